import { Token, type ITerraformDependable } from 'cdktf';
import { versionsOf, type ServiceSpec } from '../../../services/catalog';
import { versionName, type KubeObject } from '../../workloads/kube-objects';
import type { WorkloadRouting, WorkloadScope } from '../engine';
import { callersOf, isLatticeService, servedPorts } from './topology';
import { addSignerToPod, signerConfig, signerLayout } from './signing-proxy';

// The Lattice side of a workloads stack: a Gateway on the shared service network, an HTTPRoute
// and an IAMAuthPolicy per called HTTP service, a NetworkPolicy for the tcp services that stay
// plain Kubernetes Services, and a signing proxy next to every caller.

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const LATTICE_API = 'application-networking.k8s.aws/v1alpha1';
export const LATTICE_GATEWAY_CLASS = 'amazon-vpc-lattice';
const ASSIGNED_DOMAIN = 'application-networking.k8s.aws/lattice-assigned-domain-name';

export const gatewayName = (meshName: string) => meshName;

export function latticeRouting(w: WorkloadScope): WorkloadRouting {
  const { config, account, namespace } = w;
  const services = config.services;
  const byName = new Map(services.map((s) => [s.name, s]));
  const domains: Record<string, string> = {};
  const gw = gatewayName(config.mesh.name);

  // The controller watches this class; its CRD comes from the controllers stack.
  const gatewayClass = w.kube('gatewayclass', { apiVersion: GATEWAY_API, kind: 'GatewayClass', metadata: { name: LATTICE_GATEWAY_CLASS }, spec: { controllerName: 'application-networking.k8s.aws/gateway-api-controller' } });
  // The controller binds a Gateway to the service network of the same name. A cluster that only
  // calls still gets one (a listener on 80), so every cluster is a member in the same way.
  const ports = servedPorts(services, account.name);
  const gateway = w.kube(
    'gateway',
    {
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: { name: gw, namespace },
      spec: {
        gatewayClassName: LATTICE_GATEWAY_CLASS,
        listeners: (ports.length ? ports : [80]).map((port) => ({ name: `http-${port}`, protocol: 'HTTP', port, allowedRoutes: { namespaces: { from: 'Same' } } })),
      },
    },
    [gatewayClass],
  );

  const latticeBackends = (s: ServiceSpec) => s.backends.map((b) => byName.get(b)!).filter((b) => isLatticeService(services, b));
  const exposed = new Map<string, ITerraformDependable[]>();
  // A backend in this cluster is exposed before its caller's proxy is configured with its domain.
  const expose = (s: ServiceSpec) => {
    if (!exposed.has(s.name)) exposed.set(s.name, exposeOnLattice(s));
    return exposed.get(s.name)!;
  };
  const domainOf = (b: ServiceSpec) => (b.account === account.name ? (expose(b), domains[b.name]) : w.calleeEndpoint(b));

  function exposeOnLattice(s: ServiceSpec): ITerraformDependable[] {
    const route = w.kube(
      `httproute-${s.name}`,
      {
        apiVersion: GATEWAY_API,
        kind: 'HTTPRoute',
        metadata: { name: s.name, namespace },
        spec: {
          parentRefs: [{ name: gw, sectionName: `http-${s.port}` }],
          rules: [{ backendRefs: versionsOf(s).map((v) => ({ name: versionName(s, v.name), kind: 'Service', port: s.port, ...(s.versions.length ? { weight: v.weight } : {}) })) }],
        },
      },
      [gateway],
    );
    // The controller annotates the route with the Lattice service's domain once it exists.
    route.putWait({ fields: { [`metadata.annotations["${ASSIGNED_DOMAIN}"]`]: '^.+$' } });
    domains[s.name] = Token.asString(route.interpolationForAttribute(`object.metadata.annotations["${ASSIGNED_DOMAIN}"]`));
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: callersOf(services, s).map((c) => w.serviceRoleArn(c)) }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }],
    };
    w.kube(`iamauthpolicy-${s.name}`, {
      apiVersion: LATTICE_API,
      kind: 'IAMAuthPolicy',
      metadata: { name: s.name, namespace },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: s.name }, policy: JSON.stringify(policy) },
    }, [route]);
    return [route];
  }

  /** tcp services stay in their cluster; a NetworkPolicy keeps the catalog's allow-list. */
  function keepPlain(s: ServiceSpec): ITerraformDependable[] {
    const callers = callersOf(services, s);
    if (callers.length === 0) return [];
    return [
      w.kube(`networkpolicy-${s.name}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: s.name, namespace },
        spec: {
          podSelector: { matchLabels: { app: s.name } },
          policyTypes: ['Ingress'],
          ingress: [{ from: callers.map((c) => ({ podSelector: { matchLabels: { app: c.name } } })), ports: [{ protocol: 'TCP', port: s.port }] }],
        },
      }),
    ];
  }

  const signerName = (s: ServiceSpec) => `${s.name}-lattice-signer`;
  return {
    permissions: (s) =>
      latticeBackends(s).length
        ? { Version: '2012-10-17', Statement: [{ Sid: 'InvokeLatticeServices', Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] }
        : undefined,
    route(s) {
      const deps = [...(isLatticeService(services, s) ? expose(s) : keepPlain(s))];
      const backends = latticeBackends(s);
      if (backends.length) {
        const config_ = signerConfig(s.name, config.region, signerLayout(backends).map((b) => ({ ...b, domain: domainOf(b.service) })));
        deps.push(w.kube(`configmap-${signerName(s)}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: signerName(s), namespace }, data: { 'envoy.yaml': config_ } }));
      }
      return deps;
    },
    decorate(s, deployment: KubeObject) {
      const backends = latticeBackends(s);
      if (!backends.length) return;
      addSignerToPod(deployment.spec.template.spec, signerName(s), signerLayout(backends), namespace);
    },
    endpoints: () => domains,
  };
}
