import type { ServiceSpec } from '../../config/catalog/schema';

// The names every Istio object of a workloads stack refers to: hosts, identities, the two
// gateways. Written once here, so a caller's ServiceEntry, the callee's AuthorizationPolicy and
// the control plane's gateways cannot disagree.

export const ISTIO_NETWORKING_API = 'networking.istio.io/v1';
export const ISTIO_SECURITY_API = 'security.istio.io/v1';

/**
 * The public ingress gateway: a `gateway` chart release named `istio-ingressgateway` in
 * `istio-ingress`. The chart names its Service and ServiceAccount after `name` and selects pods
 * by `istio: <name without "istio-">` (istio/istio@1.30.3 manifests/charts/gateway/templates/
 * _helpers.tpl: gateway.name, gateway.selectorLabels, gateway.serviceAccountName), so the
 * release must use exactly these values for the principal and the Ingress backend below to hold.
 */
export const INGRESS_GATEWAY = {
  namespace: 'istio-ingress',
  /** Release name = chart value `name` = Service = ServiceAccount. */
  name: 'istio-ingressgateway',
  selector: { istio: 'ingressgateway' },
  /** The Istio `Gateway` resource public VirtualServices bind to. */
  gateway: 'public',
  /** Service port the ALB forwards to (chart default `http2`, 80 → 80). */
  httpPort: 80,
  /**
   * The proxy's readiness endpoint: the gateway injection template probes `/healthz/ready` on
   * 15021, and the chart's Service names 15021 `status-port` (istio/istio@1.30.3
   * manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml,
   * manifests/charts/gateway/values.yaml service.ports).
   */
  statusPort: 15021,
  readinessPath: '/healthz/ready',
} as const;

/** The east-west gateway other accounts reach this account's services through (AUTO_PASSTHROUGH on 15443). */
export const EASTWEST_GATEWAY = {
  namespace: 'istio-eastwest',
  name: 'istio-eastwestgateway',
  /** Istio's conventional mTLS passthrough port (samples/multicluster/expose-services.yaml @1.30.3). */
  tlsPort: 15443,
} as const;

/** What a workloads stack needs to know about every account of the mesh. */
export interface MeshAccount {
  /** SPIFFE trust domain of the account's istiod. */
  trustDomain: string;
  /** DNS name of the account's east-west gateway, resolvable from the other accounts' VPCs. */
  eastWestHost: string;
  /** ServiceEntry endpoint locality (`region[/zone]`), for locality-aware failover later. */
  locality?: string;
}

/** The per-account names the design uses: trust domain `<account>.<project>.mesh`, gateway `eastwest.<account>.<project>.istio.internal`. */
export const meshAccount = (project: string, account: string, locality?: string): MeshAccount => ({
  trustDomain: `${account}.${project}.mesh`,
  eastWestHost: `eastwest.${account}.${project}.istio.internal`,
  ...(locality ? { locality } : {}),
});

/** The plain Kubernetes name of a service, which callers in every account use. */
export const serviceHost = (service: Pick<ServiceSpec, 'name'>, namespace: string) => `${service.name}.${namespace}.svc.cluster.local`;

/**
 * A workload's identity as AuthorizationPolicy `principals` spell it: `<trust domain>/ns/<ns>/sa/<sa>`
 * (istio/api@1.30.3 security/v1beta1/authorization_policy.proto, Source.principals). Each
 * service's pods run as a ServiceAccount named after the service (modules/workloads/kube-objects.ts).
 */
export const principal = (trustDomain: string, namespace: string, serviceAccount: string) => `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;

/** The same identity as the URI SAN of the workload's certificate. */
export const spiffeId = (trustDomain: string, namespace: string, serviceAccount: string) => `spiffe://${principal(trustDomain, namespace, serviceAccount)}`;

/** The principal of an account's public ingress gateway pods. */
export const ingressGatewayPrincipal = (trustDomain: string) => principal(trustDomain, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name);

/** `<namespace>/<host>`: how Sidecar egress and Gateway server hosts name a host in one namespace. */
export const namespacedHost = (namespace: string, host: string) => `${namespace}/${host}`;
