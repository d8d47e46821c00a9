import { z } from 'zod';

// The service catalog: each service is described once, and the network (which accounts
// must reach each other, on which ports) and later the mesh routing are derived from it.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const PROTOCOLS = ['http', 'http2', 'grpc', 'tcp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const serviceSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, {
    error: 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters). Fix: rename the service, e.g. "yelb-ui"',
  }),
  account: z.string().min(1),
  port: z.number().int(),
  protocol: z.enum(PROTOCOLS),
  backends: z.array(z.string()).default([]),
  exposure: z.enum(['internal', 'public']).default('internal'),
  /**
   * DNS (the default) resolves the Kubernetes Service name. Cloud Map registers pods in a
   * private namespace of the service's account; the walkthrough used it for the appserver.
   */
  discovery: z.enum(['dns', 'cloudmap']).default('dns'),
});

export type ServiceInput = z.input<typeof serviceSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;
