import * as YAML from 'yaml';
import { IPv4 } from 'ip-num';
import type { ServiceSpec } from '../../config/catalog/schema';
import { ENVOY_IMAGE } from '../../config/versions';
import { OTLP_GRPC } from '../../config/telemetry';
import { METRICS_PATH, SCRAPED_PROXIES } from '../../modules/addons/envoy-metrics';

// VPC Lattice with IAM auth only admits SigV4-signed requests, and the catalog's apps (nginx in
// yelb-ui, the chain service) do not sign. So each caller pod gets a small Envoy that listens on
// a loopback address of its own per backend, at the backend's port, signs with the pod's own Pod
// Identity credentials, and sends the request to the backend's Lattice domain. The same Envoy
// applies the catalog's retries, timeouts, outlier detection and connection limits, which Lattice
// itself does not offer, and reports a client span per call to the in-cluster collector.
// Cost: one container per caller pod (requests 50m CPU / 64Mi) and a loopback hop.
//
// Credentials: Envoy's default chain reads the container credentials that the EKS Pod Identity
// webhook injects (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)
// since Envoy 1.30.0 (changelogs/1.30.0.yaml, area aws: "EKS Pod Identity provided via token
// file"); the webhook patches init containers as well as containers (aws/amazon-eks-pod-identity-
// webhook pkg/handler/handler.go, getPodSpecPatch), so the native sidecar below gets them too.

/** The container the scraper looks for (observability's SCRAPED_PROXIES). */
export const SIGNER_CONTAINER = SCRAPED_PROXIES.latticeSigner.container;
/** Envoy's admin interface: loopback only, because its POST endpoints (quitquitquit, ...) must not be reachable from other pods. */
export const SIGNER_ADMIN_PORT = 15000;
/** The one thing other pods may reach: Prometheus text from the admin interface, proxied read-only, where the scraper reads it. */
export const SIGNER_METRICS_PORT = SCRAPED_PROXIES.latticeSigner.port;
export const SIGNER_METRICS_PATH = METRICS_PATH;
/** Ports the signer binds on every address of the caller's pod or on 127.0.0.1 (see the Lattice engine's rules). */
export const SIGNER_RESERVED_PORTS = [SIGNER_ADMIN_PORT, SIGNER_METRICS_PORT] as const;

const ADMIN_ADDRESS = '127.0.0.1';
const ADMIN_CLUSTER = 'envoy_admin';
const COLLECTOR_CLUSTER = 'opentelemetry_collector';
const METRICS_LISTENER = 'signer_metrics';
/** The first loopback address handed to a backend; 127.0.0.1 stays with admin, and Linux routes all of 127.0.0.0/8 to lo. */
const FIRST_BACKEND_ADDRESS = '127.0.0.2';
/** Below this port Linux wants root (or CAP_NET_BIND_SERVICE) to bind. */
const FIRST_UNPRIVILEGED_PORT = 1024;

const ms = (n: number) => `${n / 1000}s`;
const typed = (type: string, config: object = {}) => ({ '@type': `type.googleapis.com/${type}`, ...config });
const socket = (address: string, port: number) => ({ socket_address: { address, port_value: port } });
const endpoint = (name: string, address: string, port: number) => ({ cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: socket(address, port) } }] }] });
const router = { name: 'envoy.filters.http.router', typed_config: typed('envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }) };
const hcm = (config: object) => ({ name: 'envoy.filters.network.http_connection_manager', typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', config) });

/** A Lattice backend of one caller pod and the loopback address its listener gets there. */
export interface SignerBackend {
  service: ServiceSpec;
  address: string;
}

/**
 * One loopback address per backend, in name order, so that two backends on one port, or a backend
 * on a port the app holds on another address, do not share a socket. The app binds 0.0.0.0 on its
 * own port, which still clashes with any 127.0.0.x on that same port: the engine's rules refuse it.
 */
export function signerLayout(backends: ServiceSpec[]): SignerBackend[] {
  let address = IPv4.fromDecimalDottedString(FIRST_BACKEND_ADDRESS);
  return [...backends]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((service, i) => {
      if (i > 0) address = address.nextIPNumber();
      return { service, address: address.toString() };
    });
}

/**
 * What the signing filter leaves out of the signature: headers that Envoy adds or rewrites after the
 * filter has run (the router and the tracer act later, per upstream request), so signing them would
 * make Lattice recompute a different signature. x-forwarded-for/-proto and x-amzn-trace-id are
 * Envoy's own defaults (docs: aws_request_signing_filter.rst, match_excluded_headers), listed so the
 * list is complete here: x-envoy-* (router: expected timeout, attempt count), x-forwarded-* (HCM),
 * x-request-id (HCM, per hop), traceparent/tracestate (the OpenTelemetry tracer injects its span into
 * the upstream request), x-amzn-trace-id (X-Ray, rewritten per hop).
 */
export const UNSIGNED_HEADERS = [
  { prefix: 'x-envoy-' },
  { prefix: 'x-forwarded-' },
  { exact: 'x-request-id' },
  { exact: 'traceparent' },
  { exact: 'tracestate' },
  { exact: 'x-amzn-trace-id' },
] as const;

function signingFilter(region: string, domain: string) {
  return {
    name: 'envoy.filters.http.aws_request_signing',
    typed_config: typed('envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning', {
      service_name: 'vpc-lattice-svcs',
      region,
      // The filter swaps the Host for this before it signs, and that Host is what is forwarded; a
      // route's host_rewrite_literal would act after signing, so Lattice would see a Host the
      // signature does not cover and answer 403 (aws_request_signing.proto, field 3, host_rewrite).
      // The filter runs in the HCM of this backend's own listener, so the value is per backend.
      // (Running it as an upstream filter on the cluster, Envoy >= 1.30, would sign per attempt;
      // here retries resend the one signature, which SigV4 accepts for 5 minutes, far longer
      // than the catalog's timeouts, and the clusters need no extra protocol options.)
      host_rewrite: domain,
      // "VPC Lattice does not support payload signing": the request must carry
      // x-amz-content-sha256: UNSIGNED-PAYLOAD, which this sets, and bodies stream unbuffered
      // (VPC Lattice User Guide, "SIGv4 authenticated requests for Amazon VPC Lattice").
      use_unsigned_payload: true,
      match_excluded_headers: UNSIGNED_HEADERS,
    }),
  };
}

function route(backend: ServiceSpec) {
  const t = backend.traffic;
  const r = t.retries;
  return {
    match: { prefix: '/' },
    route: {
      cluster: backend.name,
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
    load_assignment: endpoint(backend.name, domain, backend.port),
    ...(t.outlierDetection
      ? { outlier_detection: { consecutive_5xx: t.outlierDetection.maxServerErrors, interval: ms(t.outlierDetection.intervalMs), base_ejection_time: ms(t.outlierDetection.baseEjectionMs), max_ejection_percent: t.outlierDetection.maxEjectionPercent } }
      : {}),
    ...(t.connectionPool
      ? { circuit_breakers: { thresholds: [{ max_connections: t.connectionPool.maxConnections, ...(t.connectionPool.maxPendingRequests ? { max_pending_requests: t.connectionPool.maxPendingRequests } : {}), ...(t.connectionPool.maxRequests ? { max_requests: t.connectionPool.maxRequests } : {}) }] } }
      : {}),
  };
}

/** The service name the caller's spans carry in X-Ray. */
export const signerServiceName = (caller: string) => `${caller}-lattice-signer`;

/**
 * A span per call, exported over OTLP/gRPC to the in-cluster collector. The listener's direction
 * is OUTBOUND and no upstream span is spawned, so Envoy's OpenTelemetry tracer makes it a CLIENT
 * span (source/extensions/tracers/opentelemetry/opentelemetry_tracer_impl.cc, getSpanKind).
 */
const tracing = (caller: string) => ({
  provider: {
    name: 'envoy.tracers.opentelemetry',
    typed_config: typed('envoy.config.trace.v3.OpenTelemetryConfig', {
      grpc_service: { envoy_grpc: { cluster_name: COLLECTOR_CLUSTER }, timeout: '0.250s' },
      service_name: signerServiceName(caller),
    }),
  },
});

function backendListener(caller: string, region: string, { service, address, domain }: SignerBackend & { domain: string }) {
  return {
    name: service.name,
    address: socket(address, service.port),
    traffic_direction: 'OUTBOUND',
    filter_chains: [
      {
        filters: [
          hcm({
            stat_prefix: service.name,
            tracing: tracing(caller),
            route_config: { virtual_hosts: [{ name: service.name, domains: ['*'], routes: [route(service)] }] },
            http_filters: [signingFilter(region, domain), router],
          }),
        ],
      },
    ],
  };
}

/** 0.0.0.0:15090 serves GET /stats/prometheus from the admin interface and nothing else (404). */
const metricsListener = {
  name: METRICS_LISTENER,
  address: socket('0.0.0.0', SIGNER_METRICS_PORT),
  traffic_direction: 'INBOUND',
  filter_chains: [
    {
      filters: [
        hcm({
          stat_prefix: METRICS_LISTENER,
          route_config: {
            virtual_hosts: [
              {
                name: METRICS_LISTENER,
                domains: ['*'],
                routes: [{ match: { path: SIGNER_METRICS_PATH, headers: [{ name: ':method', string_match: { exact: 'GET' } }] }, route: { cluster: ADMIN_CLUSTER } }],
              },
            ],
          },
          http_filters: [router],
        }),
      ],
    },
  ],
};

/** The OTLP collector speaks gRPC, so HTTP/2 upstream. */
const collectorCluster = {
  name: COLLECTOR_CLUSTER,
  type: 'STRICT_DNS',
  dns_lookup_family: 'V4_ONLY',
  connect_timeout: '2s',
  typed_extension_protocol_options: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed('envoy.extensions.upstreams.http.v3.HttpProtocolOptions', { explicit_http_config: { http2_protocol_options: {} } }),
  },
  load_assignment: endpoint(COLLECTOR_CLUSTER, OTLP_GRPC.host, OTLP_GRPC.port),
};

/** Envoy's bootstrap for one caller: a listener per Lattice backend, the metrics listener, admin on loopback. */
export function signerConfig(caller: string, region: string, backends: Array<SignerBackend & { domain: string }>): string {
  return YAML.stringify({
    admin: { address: socket(ADMIN_ADDRESS, SIGNER_ADMIN_PORT) },
    static_resources: {
      listeners: [...backends.map((b) => backendListener(caller, region, b)), metricsListener],
      clusters: [
        ...backends.map(({ service, domain }) => cluster(service, domain)),
        { name: ADMIN_CLUSTER, type: 'STATIC', connect_timeout: '1s', load_assignment: endpoint(ADMIN_CLUSTER, ADMIN_ADDRESS, SIGNER_ADMIN_PORT) },
        collectorCluster,
      ],
    },
  });
}

/**
 * Adds the signer to a caller's pod: host aliases sending each backend's names to its loopback
 * address, and Envoy as a native sidecar (an init container with restartPolicy Always, Kubernetes
 * >= 1.29), so it is listening before the app starts and stops after it. The startup probe holds
 * the app back until Envoy has bound its listeners (it binds them together, after its clusters).
 */
export function addSignerToPod(pod: Record<string, any>, configMap: string, layout: SignerBackend[], namespace: string): void {
  pod.hostAliases = layout.map(({ service: b, address }) => ({ ip: address, hostnames: [b.name, `${b.name}.${namespace}`, `${b.name}.${namespace}.svc`, `${b.name}.${namespace}.svc.cluster.local`] }));
  pod.initContainers = [
    ...(pod.initContainers ?? []),
    {
      name: SIGNER_CONTAINER,
      image: ENVOY_IMAGE,
      restartPolicy: 'Always',
      args: ['-c', '/etc/envoy/envoy.yaml', '--log-level', 'warn'],
      ports: [{ name: 'signer-metrics', containerPort: SIGNER_METRICS_PORT, protocol: 'TCP' }],
      startupProbe: { tcpSocket: { port: SIGNER_METRICS_PORT }, periodSeconds: 1, failureThreshold: 30 },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: { runAsNonRoot: true, runAsUser: 101, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: SIGNER_CONTAINER, mountPath: '/etc/envoy', readOnly: true }],
    },
  ];
  pod.volumes = [...(pod.volumes ?? []), { name: SIGNER_CONTAINER, configMap: { name: configMap } }];
  // A backend below 1024 (say on 80) needs the same namespaced sysctl the app gets for its own low
  // port (kube-objects.ts), since the signer runs without root or capabilities.
  const lowest = Math.min(...layout.map((b) => b.service.port));
  if (lowest < FIRST_UNPRIVILEGED_PORT) {
    const context = (pod.securityContext ??= {});
    const sysctls: Array<{ name: string; value: string }> = (context.sysctls ??= []);
    const current = sysctls.find((s) => s.name === 'net.ipv4.ip_unprivileged_port_start');
    if (!current) sysctls.push({ name: 'net.ipv4.ip_unprivileged_port_start', value: String(lowest) });
    else if (Number(current.value) > lowest) current.value = String(lowest);
  }
}
