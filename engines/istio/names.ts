// The fixed names of the Istio engine's per-cluster control plane: namespaces, release names,
// service accounts and gateway selectors. IAM (Pod Identity), RBAC (the issuer's approver role)
// and Istio selectors bind to these strings, so they live in one place and nothing derives them
// twice.

export const NAMESPACES = {
  /** istiod, its `cacerts`, the mesh-wide policy. */
  istio: 'istio-system',
  /**
   * The istio-cni node agent (host network, hostPath, root with NET_ADMIN and SYS_ADMIN:
   * manifests/charts/istio-cni/templates/daemonset.yaml, 1.30.3), which only Pod Security
   * `privileged` admits. kube-system already runs EKS's own node agents of that kind (aws-node,
   * kube-proxy), is EKS's to label, and is where Istio installs the CNI on platforms that require
   * it (https://istio.io/latest/docs/setup/additional-setup/cni/, GKE). Every namespace this
   * project creates can then enforce `baseline` or stricter.
   */
  cni: 'kube-system',
  ingress: 'istio-ingress',
  eastWest: 'istio-eastwest',
  certManager: 'cert-manager',
} as const;

/**
 * The Pod Security level each namespace the engine creates can enforce (labels:
 * modules/addons/addon.ts `podSecurityLabels`). istiod's container drops every capability and runs
 * non-root (istio-discovery templates/deployment.yaml, 1.30.3): `baseline`. Gateway pods set the sysctl
 * `net.ipv4.ip_unprivileged_port_start` to bind port 80 (manifests/charts/gateway/templates/
 * deployment.yaml), which `baseline` allows, and the injected proxy has no seccomp profile unless
 * one is configured, which `restricted` requires. cert-manager's and the issuer's pods meet
 * `restricted` (pki-values.ts).
 */
export const POD_SECURITY = {
  [NAMESPACES.istio]: { enforce: 'baseline', warnAndAudit: 'restricted' },
  [NAMESPACES.ingress]: { enforce: 'baseline', warnAndAudit: 'restricted' },
  [NAMESPACES.eastWest]: { enforce: 'baseline', warnAndAudit: 'restricted' },
  [NAMESPACES.certManager]: { enforce: 'restricted', warnAndAudit: 'restricted' },
} as const;

/**
 * cert-manager's service account. The chart names it after its full name, which is the release
 * name when that contains "cert-manager" (deploy/charts/cert-manager/templates/_helpers.tpl,
 * `cert-manager.fullname` and `cert-manager.serviceAccountName`, v1.21.1); `serviceAccount.name`
 * is only a commented key of its values.yaml. So the release must be named `cert-manager`.
 */
export const CERT_MANAGER = { release: 'cert-manager', serviceAccount: 'cert-manager' } as const;

/**
 * aws-privateca-issuer's service account, set explicitly through `serviceAccount.name` so that it
 * does not depend on the release name. The issuer's Pod Identity role is bound to exactly this
 * namespace and service account.
 */
export const PCA_ISSUER = { release: 'aws-privateca-issuer', namespace: NAMESPACES.certManager, serviceAccount: 'aws-privateca-issuer' } as const;

/**
 * The two gateway releases of the `gateway` chart. Its `name` value names the Deployment,
 * Service and service account, and the pods' `istio` label is the name without "istio-"
 * (manifests/charts/gateway/templates/_helpers.tpl, `gateway.name`, `gateway.selectorLabels`,
 * `gateway.serviceAccountName`, 1.30.3). Istio `Gateway` objects select on that label.
 */
export const GATEWAYS = {
  ingress: { name: 'istio-ingressgateway', namespace: NAMESPACES.ingress, selector: { istio: 'ingressgateway' } },
  eastWest: { name: 'istio-eastwestgateway', namespace: NAMESPACES.eastWest, selector: { istio: 'eastwestgateway' } },
} as const;

/**
 * Gateway ports. 15021 is the proxy's health endpoint (`/healthz/ready`), 15443 the port Istio's
 * multicluster samples use for AUTO_PASSTHROUGH mTLS (samples/multicluster/expose-services.yaml,
 * 1.30.3), 80 the public HTTP listener behind the ALB.
 */
export const GATEWAY_PORTS = { status: 15021, crossAccountTls: 15443, publicHttp: 80 } as const;
export const READINESS_PATH = '/healthz/ready';

/** The mesh-wide objects' names. */
export const MESH_WIDE = { peerAuthentication: 'default', telemetry: 'mesh-default', eastWestGateway: 'cross-account', ingressGateway: 'public' } as const;

/** The extension provider the Telemetry resource names; defined in meshConfig.extensionProviders. */
export const TRACING_PROVIDER = 'otel';

/** The Secret istiod mounts at /etc/cacerts (manifests/charts/istio-control/istio-discovery/templates/deployment.yaml, 1.30.3). */
export const CACERTS_SECRET = 'cacerts';
