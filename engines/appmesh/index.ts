import { Token } from 'cdktf';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import type { MeshEngine, MeshBuild, WorkloadScope, WorkloadRouting } from '../engine';
import { SharedAppMesh } from './shared-mesh';
import { AppMeshControllerAddOn } from './controller';
import { podSecurityLabels } from '../../modules/addons/addon';
import { envoyPermissions } from './envoy-permissions';
import type { MeshCoordinates } from './arns';
import { meshMembership, needsRouter, virtualNodes, virtualRouter, virtualService, virtualServiceArn, type RoutingContext } from './routing';
import { service, type KubeObject } from '../../modules/workloads/kube-objects';
import { OTLP_GRPC, OTLP_HTTP } from '../../config/telemetry';
import { accountByName, type MeshConfig } from '../../config/load';
import { cloudMapAccounts, cloudMapNamespaceName } from '../../contracts/mesh';
import { appMeshServiceSignals } from '../../modules/observability/signals';

/** Where the shared mesh is, from the config. */
const meshCoordinates = (config: MeshConfig): MeshCoordinates => ({ region: config.region, meshName: config.mesh.name, meshOwnerId: accountByName(config, config.mesh.owner).id });

/** AWS App Mesh: Envoy sidecars configured by the App Mesh controller, calls over VPC peering. */
export const appMeshEngine: MeshEngine = {
  name: 'appmesh',
  // AWS's end-of-support notice (App Mesh user guide, every page since 2024-09-24): "After
  // September 30, 2026, you will no longer be able to access the AWS App Mesh console or AWS App
  // Mesh resources." Existing meshes stop too: their Envoys stream configuration from App Mesh.
  notice:
    'warning: mesh.engine "appmesh": AWS discontinued App Mesh on 2026-09-30 and its resources can no longer be created or reached, so this config cannot be deployed on AWS. ' +
    'It is kept, built and tested, for existing installs and review. Migrate with mesh.engine "lattice" (AWS: "Migrating from AWS App Mesh to Amazon VPC Lattice"; README, "Moving from App Mesh to Lattice").',
  callsNeedPeering: true,
  meshMocks: (config, ownerAccountId) => ({ arn: `arn:aws:appmesh:${config.region}:${ownerAccountId}:mesh/${config.mesh.name}`, id: config.mesh.name }),

  endpointOutput(config: MeshConfig, account: string) {
    const here = config.services.filter((s) => s.account === account);
    const accountId = accountByName(config, account).id;
    return {
      key: 'virtual_service_arns',
      description: 'ARN of the App Mesh virtual service of each service in this account, for callers in other accounts',
      mock: Object.fromEntries(here.map((s) => [s.name, virtualServiceArn(meshCoordinates(config), accountId, s, config.mesh.namespace)])),
    };
  },

  unsupported: () => [],

  buildSharedMesh(build: MeshBuild) {
    const { config, providers, scope } = build;
    const owner = accountByName(config, config.mesh.owner);
    const shared = new SharedAppMesh(scope, 'appmesh', {
      meshName: config.mesh.name,
      project: config.project,
      owner: { account: owner, provider: providers.get(owner.name)! },
      members: config.accounts.filter((a) => a.name !== owner.name).map((a) => ({ name: a.name, accountId: a.id, account: a, provider: providers.get(a.name)! })),
      sameOrganization: config.mesh.sameOrganization,
    });
    // A mesh owner can only reference Cloud Map namespaces in its own account's terms, so each
    // account that asks for Cloud Map gets a private namespace in its own VPC.
    const created = cloudMapAccounts(config).map((account) => {
      const ns = new ServiceDiscoveryPrivateDnsNamespace(scope, `cloud-map-${account}`, {
        provider: providers.get(account)!,
        name: cloudMapNamespaceName(config, account),
        description: `Cloud Map discovery for mesh services in ${account}`,
        vpc: build.network().entry('vpc_ids', account),
      });
      return [account, ns] as const;
    });
    return {
      mesh_name: shared.mesh.name,
      mesh_arn: shared.mesh.arn,
      mesh_id: shared.mesh.id,
      mesh_owner_account_id: owner.id,
      resource_share_arn: shared.share.share.arn,
      cloud_map_namespace_ids: Object.fromEntries(created.map(([a, ns]) => [a, ns.id])),
      cloud_map_namespace_names: Object.fromEntries(created.map(([a, ns]) => [a, ns.name])),
      // App Mesh names services by Kubernetes DNS; it needs no zone of its own.
      dns_zone_ids: {},
      root_ca_pem: '',
    };
  },

  // The owner's id and the mesh's name come from the config: the mesh stack publishes the same
  // values, and literal ones let the ARN form depend on whether this account owns the mesh.
  controllerAddOns: (_mesh, config) => [new AppMeshControllerAddOn({ ownerAccountId: meshCoordinates(config).meshOwnerId, name: config.mesh.name })],

  // Every service has an Envoy sidecar, which serves its inbound requests.
  clusterSignals: (c) => c.services.filter((s) => s.account === c.account).map((s) => appMeshServiceSignals({ clusterName: c.clusterName, namespace: c.namespace, service: s.name }, c.thresholds)),

  // The injector adds Envoy (and the X-Ray daemon) to every pod in the labeled namespace.
  // Envoy's init container needs NET_ADMIN to redirect traffic, which only "privileged"
  // admits; warn/audit at "restricted" still report everything else.
  namespaceLabels: (config) => ({
    mesh: config.mesh.name,
    'appmesh.k8s.aws/sidecarInjectorWebhook': 'enabled',
    ...podSecurityLabels({ enforce: 'privileged', warnAndAudit: 'restricted' }),
  }),

  workloadRouting(w: WorkloadScope): WorkloadRouting {
    const { config, account } = w;
    const here = config.services.filter((s) => s.account === account.name);
    const byName = new Map(config.services.map((s) => [s.name, s]));
    const routing: RoutingContext = {
      namespace: w.namespace,
      meshName: config.mesh.name,
      meshOwnerId: w.mesh.string('mesh_owner_account_id'),
      cloudMapNamespace: here.some((s) => s.discovery === 'cloudmap') ? cloudMapNamespaceName(config, account.name) : undefined,
      // Derived, so a caller deploys beside its callees instead of after them; the workloads
      // stack checks the derived ARN against the one the callee's stack publishes.
      remoteBackendArn: (backend) => {
        const target = byName.get(backend)!;
        return target.account === account.name ? undefined : w.calleeEndpoint(target, virtualServiceArn(meshCoordinates(config), accountByName(config, target.account).id, target, w.namespace));
      },
    };
    // The CRD comes from the controllers stack; the CR lives here because Terraform needs a
    // custom resource's CRD to exist when it plans the resource.
    const membership = w.kube('mesh-membership', meshMembership(routing) as unknown as KubeObject);
    // Backends in other accounts get a selector-less Service, so their name resolves here and
    // Envoy can route it to the remote virtual service (the walkthrough did this by hand).
    [...new Set(here.flatMap((s) => s.backends))]
      .map((b) => byName.get(b)!)
      .filter((b) => b.account !== account.name)
      .forEach((b) => w.kube(`remote-service-${b.name}`, service(b.name, w.namespace, b.port)));

    const arns: Record<string, string> = {};
    return {
      permissions: () => envoyPermissions(meshCoordinates(config), account.id),
      route(s) {
        const nodes = virtualNodes(s, routing).map((vn) => w.kube(`virtualnode-${vn.metadata.name}`, vn as unknown as KubeObject, [membership]));
        const router = needsRouter(s) ? [w.kube(`virtualrouter-${s.name}`, virtualRouter(s, routing) as unknown as KubeObject, nodes)] : [];
        const vs = w.kube(`virtualservice-${s.name}`, virtualService(s, routing) as unknown as KubeObject, [...nodes, ...router]);
        // The controller writes the ARN into status once App Mesh has the resource; wait for it.
        vs.putWait({ fields: { 'status.virtualServiceARN': '^arn:aws' } });
        arns[s.name] = Token.asString(vs.interpolationForAttribute('object.status.virtualServiceARN'));
        // Pods are created after their virtual node exists, so the injector finds it.
        return nodes;
      },
      // With DROP_ALL egress, Envoy drops whatever is not a declared backend, the OTLP export to
      // the in-cluster collector included. The injector leaves ports named in this annotation
      // out of its redirect (aws-app-mesh-controller-for-k8s v1.13.3, pkg/inject/constants.go
      // AppMeshEgressIgnoredPortsAnnotation; it replaces the default "22"), so traces go
      // straight to the collector on its OTLP ports.
      decorate(_s, object: KubeObject) {
        if (object.kind !== 'Deployment') return;
        const template = object.spec.template;
        template.metadata.annotations = { ...(template.metadata.annotations ?? {}), 'appmesh.k8s.aws/egressIgnoredPorts': `${OTLP_GRPC.port},${OTLP_HTTP.port}` };
      },
      endpoints: () => arns,
    };
  },
};
