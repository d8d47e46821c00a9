import type { ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { OTLP_GRPC } from '../../config/telemetry';
import { ISTIO_NETWORKING_API, namespacedHost, serviceHost } from './mesh-names';

// Egress limited to declared backends: a Sidecar per workload whose proxy knows only the hosts of
// its backends and the in-cluster OpenTelemetry collector, and drops traffic to anything else
// (outboundTrafficPolicy REGISTRY_ONLY: "unknown outbound traffic will be dropped"; egress hosts
// in `namespace/dnsName` form; istio/api@1.30.3 networking/v1alpha3/sidecar.proto). The same proto
// warns that this is not an outbound firewall: a process that escapes the proxy's capture is not
// held back by it. What enforces the catalog is the callee's AuthorizationPolicy
// (./authorization.ts); this keeps a workload's config small and its mistakes loud.

/** The collector's namespace, read from its Service host `<service>.<namespace>.svc.cluster.local`. */
const collectorNamespace = (host: string) => {
  const [, namespace, svc] = host.split('.');
  if (svc !== 'svc') throw new Error(`the OTLP collector host ${host} is not a Kubernetes Service name`);
  return namespace;
};

/** The hosts a workload may reach: its backends (each by its plain name, local or federated) and the collector. */
export function egressHosts(s: ServiceSpec, namespace: string): string[] {
  const backends = s.backends.map((b) => namespacedHost(namespace, serviceHost({ name: b }, namespace)));
  // Apps export spans there (OTLP over HTTP or gRPC: both are ports of the same Service).
  const collector = namespacedHost(collectorNamespace(OTLP_GRPC.host), OTLP_GRPC.host);
  return [...new Set([...backends, collector])];
}

export function egressSidecar(s: ServiceSpec, namespace: string): KubeObject {
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'Sidecar',
    metadata: { name: s.name, namespace },
    spec: {
      // Every version's pods carry `app: <service>` (modules/workloads/kube-objects.ts podLabels).
      workloadSelector: { labels: { app: s.name } },
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: egressHosts(s, namespace) }],
    },
  };
}
