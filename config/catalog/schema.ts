import { z } from 'zod';

// The service catalog: each service is described once; the network (who reaches whom, on which
// ports), the Kubernetes objects and the mesh routing are all derived from it.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY_CPU = /^\d+(\.\d+)?m?$/;
const QUANTITY_MEMORY = /^\d+(Ki|Mi|Gi)$/;

export const PROTOCOLS = ['http', 'http2', 'grpc', 'tcp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Retry events App Mesh understands, by kind. */
export const HTTP_RETRY_EVENTS = ['server-error', 'gateway-error', 'client-error', 'stream-error'] as const;
export const TCP_RETRY_EVENTS = ['connection-error'] as const;

// A bare number is a count of whole cores to Kubernetes ("Meaning of CPU", kubernetes.io/docs/
// concepts/configuration/manage-resources-containers), so `cpu: 500` would be 500 cores, never
// what was meant; the quantity is asked for as quoted text with its unit.
const quantityText = (example: string) =>
  z.string({ error: (i) => (i.input === undefined ? undefined : `is ${typeof i.input === 'number' ? 'a number' : 'not text'}; a quantity is quoted text with its unit. Fix: e.g. ${example}`) });

const resources = z.strictObject({
  cpu: quantityText('cpu: "500m" (half a core) or cpu: "2"').regex(QUANTITY_CPU, { error: 'is not a CPU quantity. Fix: e.g. "100m" or "0.5"' }),
  memory: quantityText('memory: "256Mi"').regex(QUANTITY_MEMORY, { error: 'is not a memory quantity. Fix: e.g. "128Mi"' }),
});

const trafficSchema = z.strictObject({
  /** Per-request timeout; App Mesh's default is 15 s. */
  timeoutMs: z.number().int().min(1).optional(),
  retries: z
    .strictObject({
      attempts: z.number().int().min(1).max(10),
      perTryTimeoutMs: z.number().int().min(1),
      // What each event covers: HttpRetryPolicy in the App Mesh API reference.
      httpEvents: z
        .array(
          z.enum(HTTP_RETRY_EVENTS, {
            error: (i) => `${JSON.stringify(i.input)} is not a retry event. Fix: use server-error (500-511), gateway-error (502, 503, 504), client-error (409) or stream-error (refused stream)`,
          }),
        )
        .default([]),
      tcpEvents: z.array(z.enum(TCP_RETRY_EVENTS)).default([]),
    })
    .optional(),
  /** Eject a host after this many 5xx in the interval (circuit breaking). */
  outlierDetection: z
    .strictObject({ maxServerErrors: z.number().int().min(1), intervalMs: z.number().int().min(1), baseEjectionMs: z.number().int().min(1), maxEjectionPercent: z.number().int().min(0).max(100) })
    .optional(),
  connectionPool: z.strictObject({ maxConnections: z.number().int().min(1), maxPendingRequests: z.number().int().min(1).optional(), maxRequests: z.number().int().min(1).optional() }).optional(),
});

/**
 * How often and how strictly a health check runs. The bounds are what both engines accept: VPC
 * Lattice target groups (TargetGroupPolicy CRD of aws-application-networking-k8s v2.1.3: interval
 * 5-300 s, timeout 1-120 s, thresholds 2-10) and App Mesh listeners (HealthCheckPolicy in the App
 * Mesh API reference: interval 5,000-300,000 ms, timeout 2,000-60,000 ms, thresholds 2-10). The
 * defaults are what this project always used for App Mesh.
 */
const healthTiming = {
  intervalSeconds: z.number().int().min(5).max(300).default(5),
  timeoutSeconds: z.number().int().min(2).max(60).default(2),
  healthyThreshold: z.number().int().min(2).max(10).default(2),
  unhealthyThreshold: z.number().int().min(2).max(10).default(2),
};

export const serviceSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, {
    error: 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters). Fix: rename the service, e.g. "yelb-ui"',
  }),
  account: z.string().min(1),
  /** Image with a tag or a digest; "latest" or no tag is rejected by the catalog rules. */
  image: z.string().min(1).default('public.ecr.aws/docker/library/busybox:1.37'),
  port: z.number().int(),
  protocol: z.enum(PROTOCOLS),
  replicas: z.number().int().min(1).default(2),
  requests: resources.default({ cpu: '100m', memory: '128Mi' }),
  limits: resources.default({ cpu: '500m', memory: '256Mi' }),
  /**
   * What the mesh and the load balancers probe: an HTTP path the app serves with a 2xx, or a TCP
   * connect. VPC Lattice can only health-check over HTTP, so a service called through Lattice
   * needs an http check (the engine's rules say so).
   */
  healthCheck: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('http'), path: z.string().startsWith('/'), ...healthTiming }),
      z.strictObject({ type: z.literal('tcp'), ...healthTiming }),
    ])
    .prefault({ type: 'tcp' }),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  backends: z.array(z.string()).default([]),
  exposure: z.enum(['internal', 'public']).default('internal'),
  traffic: trafficSchema.default({}),
  /** Canary: versions with weights summing to 100; each runs its own Deployment. */
  versions: z.array(z.strictObject({ name: z.string().regex(DNS_LABEL), weight: z.number().int().min(0).max(100), image: z.string().optional() })).default([]),
  /**
   * DNS (the default) resolves the Kubernetes Service name. Cloud Map registers pods in a
   * private namespace of the service's account; the walkthrough used it for the appserver.
   */
  discovery: z.enum(['dns', 'cloudmap']).default('dns'),
  /**
   * The user the containers run as. Images that insist on root (an entrypoint that drops
   * privileges itself) can say so with nonRoot: false and a reason; the container-non-root
   * policy control then fails the synth unless the config waives it for that Deployment.
   * `group` (default: user) also owns the pod's volumes (fsGroup).
   */
  runAs: z
    .union([
      z.strictObject({ nonRoot: z.literal(true), user: z.number().int().min(1), group: z.number().int().min(1).optional(), readOnlyRootFilesystem: z.boolean() }),
      z.strictObject({ nonRoot: z.literal(false), reason: z.string().min(10) }),
    ])
    .default({ nonRoot: true, user: 65532, readOnlyRootFilesystem: true }),
  /** Replaces the image's entrypoint, e.g. to skip a start script that needs root. */
  command: z.array(z.string().min(1)).min(1).optional(),
  /** Files mounted read-only from a ConfigMap, e.g. a server config the image would otherwise generate at start. */
  files: z.array(z.strictObject({ path: z.string().regex(/^\/.*[^/]$/, { error: 'must be an absolute file path. Fix: e.g. "/etc/app/app.conf"' }), content: z.string() })).default([]),
  /** Writable scratch folders (emptyDir) for images that need them under a read-only root. */
  writablePaths: z.array(z.string().startsWith('/')).default([]),
});

export type ServiceInput = z.input<typeof serviceSchema>;
export type ServiceSpec = z.output<typeof serviceSchema>;

/** Versions to deploy: the declared ones, or a single implicit "v1" at 100%. */
export const versionsOf = (s: ServiceSpec) => (s.versions.length > 0 ? s.versions : [{ name: 'v1', weight: 100, image: undefined }]);

/** HTTP-family protocols, where App Mesh routes per request and the ALB can front the service. */
export const isHttp = (p: Protocol) => p !== 'tcp';
