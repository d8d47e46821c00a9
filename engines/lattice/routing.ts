import { Token, type ITerraformDependable } from 'cdktf';
import { VpclatticeServiceNetworkServiceAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-service-association';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { versionsOf, type ServiceSpec } from '../../config/catalog/schema';
import { versionName, type KubeObject } from '../../modules/workloads/kube-objects';
import type { WorkloadRouting, WorkloadScope } from '../engine';
import { callersOf, isLatticeService, serviceDomain, servedPorts } from './topology';
import { addSignerToPod, signerConfig, signerLayout } from './signing-proxy';
import { GATEWAY_API, LATTICE_GATEWAY_CLASS, ROUTE_ANNOTATIONS } from './api';
import { httpRoute, iamAuthPolicy, targetGroupPolicy } from './service-objects';

export { GATEWAY_API, LATTICE_API, LATTICE_GATEWAY_CLASS } from './api';

// The Lattice side of a workloads stack: a Gateway on the shared service network and, per
// called HTTP service, an HTTPRoute with its custom domain, the health checks of its target
// groups, its association with the service network, its DNS record and its IAM auth policy; a
// NetworkPolicy for the tcp services that stay plain Kubernetes Services; and a signing proxy
// next to every caller.

export const gatewayName = (meshName: string) => meshName;

/** `metadata.annotations["<key>"]` of a kubernetes_manifest, as a wait field or an attribute path. */
const annotation = (key: string) => `metadata.annotations["${key}"]`;

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
  // Every backend is named by its custom domain, known at synth. One in another account is
  // checked against the record its stack publishes; one here is exposed first.
  const domainOf = (b: ServiceSpec) => {
    const domain = serviceDomain(config.project, b);
    if (b.account === account.name) expose(b);
    else w.calleeEndpoint(b, domain);
    return domain;
  };

  function exposeOnLattice(s: ServiceSpec): ITerraformDependable[] {
    const versions = versionsOf(s).map((v) => ({ name: versionName(s, v.name), weight: s.versions.length ? v.weight : undefined }));
    // Health checks first, so the controller creates each target group with them.
    const healthChecks = versions.map((v) => w.kube(`targetgrouppolicy-${v.name}`, targetGroupPolicy(s, v.name, namespace) as unknown as KubeObject));
    const domain = serviceDomain(config.project, s);
    const route = w.kube(`httproute-${s.name}`, httpRoute({ service: s, namespace, gateway: gw, domain, backends: versions }), [gateway, ...healthChecks]);
    // The controller annotates the route once the Lattice service exists.
    route.putWait({ fields: { [annotation(ROUTE_ANNOTATIONS.serviceArn)]: '^arn:aws[a-z-]*:vpc-lattice:', [annotation(ROUTE_ANNOTATIONS.assignedDomain)]: '^.+$' } });
    const read = (key: string) => Token.asString(route.interpolationForAttribute(`object.${annotation(key)}`));
    // By the network's ARN: the Lattice API requires an ARN when the service and the service
    // network are in different accounts (CreateServiceNetworkServiceAssociation), while the
    // controller would pass the network's id (pkg/deploy/lattice/service_manager.go). The
    // controller leaves associations it did not tag alone (updateAssociations, IsArnManaged).
    new VpclatticeServiceNetworkServiceAssociation(w.scope, `lattice-association-${s.name}`, {
      provider: w.aws,
      serviceIdentifier: read(ROUTE_ANNOTATIONS.serviceArn),
      serviceNetworkIdentifier: w.mesh.string('mesh_arn'),
    });
    // The custom domain points at the domain Lattice assigned, as the controller's own
    // ExternalDNS integration would write it (CNAME, TTL 300: pkg/deploy/externaldns).
    const record = new Route53Record(w.scope, `dns-${s.name}`, {
      provider: w.aws,
      zoneId: w.mesh.entry('dns_zone_ids', account.name),
      name: domain,
      type: 'CNAME',
      ttl: 300,
      records: [read(ROUTE_ANNOTATIONS.assignedDomain)],
    });
    domains[s.name] = record.fqdn;
    w.kube(`iamauthpolicy-${s.name}`, iamAuthPolicy(s.name, namespace, callersOf(services, s).map(w.identityOf)) as unknown as KubeObject, [route]);
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
    // Invoke on Lattice services of the backends' accounts in this region only. The service ids
    // are assigned at deploy, so the resource is the account's services (Service Authorization
    // Reference, vpc-lattice-svcs: arn:<partition>:vpc-lattice:<region>:<account>:service/<id>/<path>).
    permissions(s) {
      const accounts = [...new Set(latticeBackends(s).map((b) => w.identityOf(b).accountId))].sort();
      if (!accounts.length) return undefined;
      const partition = w.identityOf(s).roleArn.split(':')[1];
      return {
        Version: '2012-10-17',
        Statement: [{ Sid: 'InvokeLatticeServices', Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: accounts.map((id) => `arn:${partition}:vpc-lattice:${config.region}:${id}:service/*`) }],
      };
    },
    route(s) {
      const deps = [...(isLatticeService(services, s) ? expose(s) : keepPlain(s))];
      const backends = latticeBackends(s);
      if (backends.length) {
        const config_ = signerConfig(s.name, config.region, signerLayout(backends).map((b) => ({ ...b, domain: domainOf(b.service) })));
        deps.push(w.kube(`configmap-${signerName(s)}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: signerName(s), namespace }, data: { 'envoy.yaml': config_ } }));
      }
      return deps;
    },
    decorate(s, object: KubeObject) {
      const backends = latticeBackends(s);
      if (object.kind !== 'Deployment' || !backends.length) return;
      addSignerToPod(object.spec.template.spec, signerName(s), signerLayout(backends), namespace);
    },
    endpoints: () => domains,
  };
}
