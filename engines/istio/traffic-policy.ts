import { HTTP_RETRY_EVENTS, TCP_RETRY_EVENTS, isHttp, versionsOf, type ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { ISTIO_NETWORKING_API, serviceHost } from './mesh-names';

// The catalog's traffic policy of one service, as Istio objects: a DestinationRule (mutual TLS,
// outlier detection, connection pool, a subset per version) and the route a VirtualService
// carries (timeout, retries, weights). The same builders serve the service's own cluster, the
// callers' copies in other accounts and the public ingress, so every caller applies the
// backend's own thresholds: per backend, not per caller (recipe challenge 5).
//
// Field reference: istio/api@1.30.3 networking/v1alpha3/virtual_service.proto (HTTPRoute,
// HTTPRetry, TCPRoute) and destination_rule.proto (TrafficPolicy, OutlierDetection,
// ConnectionPoolSettings); Istio reads durations as "1h/1m/1s/1ms" (same protos).

/** App Mesh's route default, which the other engines apply too when the catalog sets none (Istio's own default is no timeout). */
export const DEFAULT_TIMEOUT_MS = 15000;

const ms = (value: number) => `${value}ms`;

type RetryEvent = (typeof HTTP_RETRY_EVENTS)[number] | (typeof TCP_RETRY_EVENTS)[number];

/**
 * Each App Mesh retry event (HttpRetryPolicy/TcpRetryPolicy, App Mesh API reference) as Envoy's
 * retry-on condition, which Istio passes through unchanged (`retryOn`, istio/istio@1.30.3
 * pilot/pkg/networking/core/route/retry/retry.go ConvertPolicy). What each Envoy value retries on:
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export const RETRY_ON: Record<RetryEvent, string> = {
  // App Mesh: 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511. Envoy `5xx`: any 5xx, or no
  // response at all (disconnect/reset/read timeout), which App Mesh says its events include.
  'server-error': '5xx',
  // App Mesh: 502, 503, 504. Envoy `gateway-error`: the same codes; Envoy also retries an
  // upstream reset under it (source/common/router/retry_state_impl.cc, wouldRetryFromReset),
  // matching App Mesh's "both include the Envoy reset policy".
  'gateway-error': 'gateway-error',
  // App Mesh: 409. Envoy `retriable-4xx`: "Currently, the only response code in this category is 409".
  'client-error': 'retriable-4xx',
  // App Mesh: "Retry on refused stream". Envoy `refused-stream`: the upstream reset the stream
  // with REFUSED_STREAM. (The Lattice signer maps this event to the broader `reset`.)
  'stream-error': 'refused-stream',
  // App Mesh: a connection error before the request was processed. Envoy `connect-failure`: a
  // connection failure to the upstream (connect timeout, etc.).
  'connection-error': 'connect-failure',
};

/** Envoy's retry-on list for the catalog's events, in the catalog's order, without repeats. */
export function retryOn(events: readonly RetryEvent[]): string {
  return [...new Set(events.map((e) => RETRY_ON[e]))].join(',');
}

/**
 * `retries` of an HTTP route. Without catalog retries, `attempts: 0` explicitly: an absent policy
 * makes Istio apply its default one (2 retries on connect-failure, refused-stream, ...: retry.go
 * DefaultPolicy), which the catalog did not ask for and the Lattice signer does not apply (App
 * Mesh had a default of its own: "Envoy defaults set by App Mesh" in its user guide). Istio
 * rejects a per-try timeout or retryOn next to 0 attempts (pkg/config/validation/validation.go
 * validateHTTPRetry), so none is set then.
 */
export function retries(s: ServiceSpec) {
  const r = s.traffic.retries;
  if (!r) return { attempts: 0 };
  // No events would leave retryOn empty, which Istio fills with its defaults: catalog-fit.ts stops that.
  const on = retryOn([...r.httpEvents, ...r.tcpEvents]);
  return { attempts: r.attempts, perTryTimeout: ms(r.perTryTimeoutMs), ...(on ? { retryOn: on } : {}) };
}

/** The versions a route splits between, each a DestinationRule subset selected by the pods' `version` label. */
const weighted = (s: ServiceSpec, host: string) =>
  versionsOf(s).map((v) => ({ destination: { host, subset: v.name, port: { number: s.port } }, weight: v.weight }));

/**
 * The route to `s` as a VirtualService carries it: an HTTP route with timeout and retries, or a
 * TCP route (Istio's TCPRoute has neither; a tcp service's catalog timeout has no Istio field,
 * as App Mesh applies it to HTTP listeners only).
 */
export function serviceRoute(s: ServiceSpec, namespace: string): { http: object[] } | { tcp: object[] } {
  const route = weighted(s, serviceHost(s, namespace));
  if (!isHttp(s.protocol)) return { tcp: [{ route }] };
  return { http: [{ timeout: ms(s.traffic.timeoutMs ?? DEFAULT_TIMEOUT_MS), retries: retries(s), route }] };
}

/**
 * The cluster-level policy of `s`: always ISTIO_MUTUAL (with no `sni`, Istio sends
 * `outbound_.<port>_.<subset>_.<host>`, which the callee's AUTO_PASSTHROUGH gateway routes on:
 * istio/istio@1.30.3 pilot/pkg/networking/core/cluster_builder.go, model.BuildDNSSrvSubsetKey).
 */
export function trafficPolicy(s: ServiceSpec) {
  const { outlierDetection: od, connectionPool: pool } = s.traffic;
  return {
    tls: { mode: 'ISTIO_MUTUAL' },
    ...(od
      ? {
          // consecutive5xxErrors, not consecutiveGatewayErrors: the catalog counts every 5xx
          // (App Mesh maxServerErrors). Istio sets maxEjectionPercent only when above 0
          // (cluster_traffic_policy.go applyOutlierDetection); catalog-fit.ts stops a 0.
          outlierDetection: { consecutive5xxErrors: od.maxServerErrors, interval: ms(od.intervalMs), baseEjectionTime: ms(od.baseEjectionMs), maxEjectionPercent: od.maxEjectionPercent },
        }
      : {}),
    ...(pool
      ? {
          // Istio maps http2MaxRequests to Envoy's max_requests and http1MaxPendingRequests to
          // max_pending_requests for every protocol of the cluster (cluster_traffic_policy.go
          // applyConnectionPool), the meaning the catalog's fields have.
          connectionPool: {
            tcp: { maxConnections: pool.maxConnections },
            ...(pool.maxPendingRequests || pool.maxRequests
              ? { http: { ...(pool.maxPendingRequests ? { http1MaxPendingRequests: pool.maxPendingRequests } : {}), ...(pool.maxRequests ? { http2MaxRequests: pool.maxRequests } : {}) } }
              : {}),
          },
        }
      : {}),
  };
}

/** A subset per version, selecting the pods by the `version` label every Deployment carries (modules/workloads/kube-objects.ts podLabels). */
export const subsets = (s: ServiceSpec) => versionsOf(s).map((v) => ({ name: v.name, labels: { version: v.name } }));

/** A DestinationRule for `s`'s plain name, visible in `exportTo`. */
export function destinationRule(s: ServiceSpec, namespace: string, exportTo: string[]): KubeObject {
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'DestinationRule',
    metadata: { name: s.name, namespace },
    spec: {
      host: serviceHost(s, namespace),
      exportTo,
      trafficPolicy: trafficPolicy(s),
      subsets: subsets(s),
    },
  };
}

/** The VirtualService sidecars in `namespace` use to call `s` by its plain name. */
export function meshVirtualService(s: ServiceSpec, namespace: string): KubeObject {
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'VirtualService',
    metadata: { name: s.name, namespace },
    spec: { hosts: [serviceHost(s, namespace)], exportTo: ['.'], ...serviceRoute(s, namespace) },
  };
}
