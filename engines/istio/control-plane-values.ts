import { OTLP_GRPC } from '../../config/telemetry';
import { GATEWAYS, GATEWAY_PORTS, READINESS_PATH, TRACING_PROVIDER } from './names';
import { assertNoProblems, callerCidrProblems, istioInputProblems, type IstioClusterInput, type ProxyResources, type ResourceSpec } from './input';

// Helm values of Istio's charts `base`, `cni`, `istiod` and `gateway` (1.30.3), as typed
// objects; the project serializes them with the yaml library. Each key is one of the pinned
// chart's (modules/addons/charts.ts lists them; the tests check them against values.yaml, the
// MeshConfig proto and Istio's registered environment variables). Sources are istio/istio at
// 1.30.3 unless a comment says otherwise.

export interface IstioBaseValues {
  global: { enableReaderRBAC: false };
}

export interface IstioCniValues {
  global: { hub: string; tag: string; logAsJson: boolean };
  cniBinDir: string;
  cniConfDir: string;
  chained: true;
  ambient: { enabled: false };
  useAppArmorAnnotation: false;
  resources: { requests: ResourceSpec };
}

export interface MeshConfigValues {
  trustDomain: string;
  caCertificates: Array<{ pem: string; trustDomains: string[] }>;
  outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' };
  defaultConfig: { proxyMetadata: Record<string, string> };
  extensionProviders: Array<{ name: string; opentelemetry: { service: string; port: number } }>;
}

export interface IstiodValues {
  global: {
    hub: string;
    tag: string;
    logAsJson: boolean;
    meshID: string;
    multiCluster: { clusterName: string };
    enableReaderRBAC: false;
    proxy: { excludeIPRanges: string; resources: ProxyResources };
  };
  cni: { enabled: true };
  resources: { requests: ResourceSpec };
  autoscaleMin: number;
  env: Record<string, string>;
  meshConfig: MeshConfigValues;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'TCP';
}

export interface GatewayValues {
  name: string;
  service: { type: 'ClusterIP' | 'LoadBalancer'; ports: ServicePort[]; annotations?: Record<string, string>; loadBalancerSourceRanges?: string[] };
  autoscaling: { minReplicas: number; maxReplicas: number };
  podDisruptionBudget: { minAvailable: number };
  resources: { requests: ResourceSpec };
}

const DEFAULT_PROXY_RESOURCES: ProxyResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
const DEFAULT_ISTIOD_RESOURCES: ResourceSpec = { cpu: '100m', memory: '256Mi' };

/**
 * The EKS Pod Identity agent's link-local address (EKS user guide, service-accounts.adoc:
 * "169.254.170.23 for IPv4"). Every catalog service gets a Pod Identity role; with
 * REGISTRY_ONLY egress the sidecar would drop calls to an address no Service names, so the
 * sidecar does not capture it at all.
 */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/**
 * The `base` chart: CRDs and the default validating webhook. No istio-reader service account:
 * it exists for remote-secret multicluster, which this design does not use, and its ClusterRole
 * reads every Secret of the cluster (releasenotes/notes/56326-reader-rbac-multicluster-only.yaml
 * says to turn it off on base and istiod alike).
 */
export function istioBaseValues(): IstioBaseValues {
  return { global: { enableReaderRBAC: false } };
}

/**
 * istio-cni: the node agent that sets up each pod's traffic redirection, so injected pods need no
 * NET_ADMIN init container and their namespaces can enforce Pod Security `baseline` or stricter.
 */
export function istioCniValues(input: IstioClusterInput): IstioCniValues {
  assertNoProblems('Istio cluster input', istioInputProblems(input));
  return {
    global: { hub: input.images.hub, tag: input.images.tag, logAsJson: true },
    // Where the Amazon VPC CNI keeps its plugins and its conflist on EKS nodes (the chart's
    // defaults, stated so a chart change cannot move them); chained = appended to that conflist.
    cniBinDir: '/opt/cni/bin',
    cniConfDir: '/etc/cni/net.d',
    chained: true,
    // Sidecar mode: ambient multicluster is not what this design uses.
    ambient: { enabled: false },
    // The annotation is for Kubernetes 1.29 and older; newer ones take securityContext.appArmorProfile (values.yaml comment).
    useAppArmorAnnotation: false,
    resources: { requests: { cpu: '50m', memory: '64Mi' } },
  };
}

/**
 * istiod: the cluster's own control plane and workload CA. It signs workload certificates with
 * the intermediate cert-manager writes into the `cacerts` Secret (plugged-in CA), trusts the one
 * PCA root, and accepts the trust domain of every member account.
 */
export function istiodValues(input: IstioClusterInput, options: { replicas?: number } = {}): IstiodValues {
  assertNoProblems('Istio cluster input', istioInputProblems(input));
  const replicas = options.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`istiod replicas ${replicas} is not a positive whole number. Fix: use 2 (or 1 for a throwaway cluster)`);
  return {
    global: {
      hub: input.images.hub,
      tag: input.images.tag,
      logAsJson: true,
      meshID: input.project,
      multiCluster: { clusterName: input.clusterName },
      enableReaderRBAC: false,
      proxy: { excludeIPRanges: POD_IDENTITY_AGENT_CIDR, resources: input.proxyResources ?? DEFAULT_PROXY_RESOURCES },
    },
    // The injector then adds the unprivileged `istio-validation` init container instead of
    // `istio-init` with NET_ADMIN/NET_RAW (files/injection-template.yaml; the chart hands `cni`
    // to the template as `.Values.pilot.cni`, templates/istiod-injector-configmap.yaml).
    cni: { enabled: true },
    resources: { requests: input.istiodResources ?? DEFAULT_ISTIOD_RESOURCES },
    // The injection webhook fails closed (templates/mutatingwebhook.yaml, failurePolicy: Fail):
    // with one istiod, a node drain would block every pod creation in injected namespaces.
    autoscaleMin: replicas,
    env: {
      // Accept a new root next to the old one, so the PCA root can be rotated without an outage
      // (pilot/pkg/features/pilot.go; without it istiod refuses any root change,
      // pilot/pkg/bootstrap/istio_ca.go handleEvent). Intermediates rotate without it.
      ISTIO_MULTIROOT_MESH: 'true',
    },
    meshConfig: meshConfigValues(input),
  };
}

function meshConfigValues(input: IstioClusterInput): MeshConfigValues {
  return {
    trustDomain: input.trustDomain,
    // Peers of every member account are accepted: the trust domains listed here join the ones
    // inbound mTLS validates (pilot/pkg/networking/plugin/authn/util.go,
    // TrustDomainsForValidation). Not trustDomainAliases, which would also make principals of
    // different accounts equal in AuthorizationPolicies (pilot/pkg/security/authz/model).
    caCertificates: [{ pem: input.rootCaPem, trustDomains: [...input.trustDomains] }],
    // Only destinations in the registry (Services, catalog ServiceEntries). Istio calls this a
    // way to detect missing entries, not an egress firewall (config.proto, OutboundTrafficPolicy).
    outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    defaultConfig: {
      proxyMetadata: {
        // The sidecar answers DNS for ServiceEntry hosts, so a backend in another account
        // resolves by its plain name (pilot/cmd/pilot-agent/options/options.go).
        ISTIO_META_DNS_CAPTURE: 'true',
        // Proxies take root-certificate updates over xDS, the other half of multi-root rotation
        // (set with ISTIO_MULTIROOT_MESH in tests/integration/security/cacert_rotation/main_test.go).
        PROXY_CONFIG_XDS_AGENT: 'true',
      },
    },
    // Traces go to the cluster's CloudWatch agent over OTLP/gRPC (modules/addons/telemetry.ts).
    extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: OTLP_GRPC.host, port: OTLP_GRPC.port } }],
  };
}

const port = (name: string, number: number): ServicePort => ({ name, port: number, targetPort: number, protocol: 'TCP' });

/** Two replicas and a budget of one: a node drain never takes the gateway down. */
const HIGHLY_AVAILABLE = { autoscaling: { minReplicas: 2, maxReplicas: 5 }, podDisruptionBudget: { minAvailable: 1 } } as const;
const GATEWAY_REQUESTS = { requests: { cpu: '100m', memory: '128Mi' } };

/**
 * The public ingress gateway: a ClusterIP Service, reached only through the ALB of an Ingress
 * (target type ip, listeners 80/443), so no load balancer of its own is ever created. The ALB
 * health-checks the proxy's readiness port.
 */
export function ingressGatewayValues(): GatewayValues {
  return {
    name: GATEWAYS.ingress.name,
    service: { type: 'ClusterIP', ports: [port('status-port', GATEWAY_PORTS.status), port('http2', GATEWAY_PORTS.publicHttp)] },
    ...HIGHLY_AVAILABLE,
    resources: GATEWAY_REQUESTS,
  };
}

/**
 * The east-west gateway: an internal NLB made by the AWS Load Balancer Controller, reachable only
 * from the callers' VPCs, with exactly the health port and the AUTO_PASSTHROUGH mTLS port.
 * `networkGateway` is not used: it always adds istiod's 15012 and the webhook's 15017 to the
 * Service (templates/service.yaml, `gateway.networkGatewayPort`), which no other account may reach.
 */
export function eastWestGatewayValues(callerCidrs: readonly string[]): GatewayValues {
  assertNoProblems('east-west gateway input', callerCidrProblems(callerCidrs));
  // Annotations from aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md.
  const lbc = 'service.beta.kubernetes.io/aws-load-balancer';
  return {
    name: GATEWAYS.eastWest.name,
    service: {
      type: 'LoadBalancer',
      ports: [port('status-port', GATEWAY_PORTS.status), port('tls', GATEWAY_PORTS.crossAccountTls)],
      annotations: {
        // `external` hands the Service to the controller; the legacy cloud provider ignores it
        // (annotations.md, "Legacy Cloud Provider"; the project turns the controller's Service
        // webhook off, modules/addons/load-balancer-controller.ts).
        [`${lbc}-type`]: 'external',
        [`${lbc}-nlb-target-type`]: 'ip',
        [`${lbc}-scheme`]: 'internal',
        [`${lbc}-healthcheck-port`]: String(GATEWAY_PORTS.status),
        [`${lbc}-healthcheck-protocol`]: 'http',
        [`${lbc}-healthcheck-path`]: READINESS_PATH,
      },
      // The controller turns these into the NLB's security group rules, per Service port
      // (pkg/service/model_build_managed_sg.go, v3.5.0).
      loadBalancerSourceRanges: [...callerCidrs],
    },
    ...HIGHLY_AVAILABLE,
    resources: GATEWAY_REQUESTS,
  };
}
