import * as YAML from 'yaml';
import type { ServiceSpec } from '../../../services/catalog';
import { ENVOY_IMAGE } from '../../../config/versions';

// VPC Lattice with IAM auth only admits SigV4-signed requests, and the catalog's apps (nginx in
// yelb-ui, the chain service) do not sign. So each caller pod gets a small Envoy that listens on
// localhost at the backend's port, signs with the pod's own Pod Identity credentials, and sends
// the request to the backend's Lattice domain. The same Envoy applies the catalog's retries,
// timeouts, outlier detection and connection limits, which Lattice itself does not offer.
// Cost: one container per caller pod (requests 50m CPU / 64Mi) and a loopback hop.

export const SIGNER_CONTAINER = 'lattice-signer';
const ms = (n: number) => `${n / 1000}s`;

function route(backend: ServiceSpec, domain: string) {
  const t = backend.traffic;
  const r = t.retries;
  return {
    match: { prefix: '/' },
    route: {
      cluster: backend.name,
      host_rewrite_literal: domain,
      timeout: ms(t.timeoutMs ?? 15000),
      ...(r
        ? {
            retry_policy: {
              // App Mesh's "server-error" is any 5xx; "gateway-error" is 502/503/504.
              retry_on: [...new Set(r.httpEvents.map((e) => ({ 'server-error': '5xx', 'gateway-error': 'gateway-error', 'client-error': 'retriable-4xx', 'stream-error': 'reset' })[e]))].join(','),
              num_retries: r.attempts,
              per_try_timeout: ms(r.perTryTimeoutMs),
            },
          }
        : {}),
    },
  };
}

function cluster(backend: ServiceSpec, domain: string) {
  const t = backend.traffic;
  return {
    name: backend.name,
    type: 'LOGICAL_DNS',
    dns_lookup_family: 'V4_ONLY',
    connect_timeout: '2s',
    load_assignment: { cluster_name: backend.name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: domain, port_value: backend.port } } } }] }] },
    ...(t.outlierDetection
      ? { outlier_detection: { consecutive_5xx: t.outlierDetection.maxServerErrors, interval: ms(t.outlierDetection.intervalMs), base_ejection_time: ms(t.outlierDetection.baseEjectionMs), max_ejection_percent: t.outlierDetection.maxEjectionPercent } }
      : {}),
    ...(t.connectionPool
      ? { circuit_breakers: { thresholds: [{ max_connections: t.connectionPool.maxConnections, ...(t.connectionPool.maxPendingRequests ? { max_pending_requests: t.connectionPool.maxPendingRequests } : {}), ...(t.connectionPool.maxRequests ? { max_requests: t.connectionPool.maxRequests } : {}) }] } }
      : {}),
  };
}

/** Envoy's bootstrap for one caller: a loopback listener per Lattice backend. */
export function signerConfig(region: string, backends: Array<{ service: ServiceSpec; domain: string }>): string {
  const listeners = backends.map(({ service, domain }) => ({
    name: service.name,
    address: { socket_address: { address: '127.0.0.1', port_value: service.port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
              stat_prefix: service.name,
              route_config: { virtual_hosts: [{ name: service.name, domains: ['*'], routes: [route(service, domain)] }] },
              http_filters: [
                {
                  name: 'envoy.filters.http.aws_request_signing',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning',
                    service_name: 'vpc-lattice-svcs',
                    region,
                    // Lattice accepts unsigned payloads, so bodies are streamed, not buffered.
                    use_unsigned_payload: true,
                  },
                },
                { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
              ],
            },
          },
        ],
      },
    ],
  }));
  return YAML.stringify({ static_resources: { listeners, clusters: backends.map(({ service, domain }) => cluster(service, domain)) } });
}

/** The sidecar and the host aliases that send the backends' names to it. */
export function signerPodPatch(configMap: string, backends: ServiceSpec[], namespace: string) {
  return {
    hostAliases: [{ ip: '127.0.0.1', hostnames: backends.flatMap((b) => [b.name, `${b.name}.${namespace}`, `${b.name}.${namespace}.svc.cluster.local`]) }],
    container: {
      name: SIGNER_CONTAINER,
      image: ENVOY_IMAGE,
      args: ['-c', '/etc/envoy/envoy.yaml', '--log-level', 'warn'],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: { runAsNonRoot: true, runAsUser: 101, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'lattice-signer', mountPath: '/etc/envoy', readOnly: true }],
    },
    volume: { name: 'lattice-signer', configMap: { name: configMap } },
  };
}
