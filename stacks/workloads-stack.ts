import type { Construct } from 'constructs';
import { Token, type ITerraformDependable } from 'cdktf';
import type { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { ClusterStack } from './cluster-stack';
import type { ControllersStack } from './controllers-stack';
import { cloudMapNamespaceName, type SharedMeshStack } from './mesh-stack';
import { awsProviderFor } from '../modules/aws-provider';
import { clusterProviders } from '../modules/cluster-access';
import { kubeObject } from '../modules/addons/addon';
import { PodIdentityRole } from '../modules/workload-identity';
import { UpstreamOutputs, publishOutputs, type OutputSpec } from '../modules/stack-link';
import { service, serviceObjects, type KubeObject } from '../modules/workloads/kube-objects';
import { meshMembership, needsRouter, virtualNodes, virtualRouter, virtualService, virtualServiceAwsName, type RoutingContext } from '../modules/engines/appmesh/routing';
import { envoyPermissions } from '../modules/engines/appmesh/envoy-permissions';
import { PROJECT_IMAGE_PREFIX } from '../services/chain';
import { accountByName, type MeshConfig } from '../config/load';
import { clusterName, workloadsStackName } from '../config/naming';
import type { AccountConfig } from '../config/schema';

function workloadsContract(config: MeshConfig, account: string) {
  const here = config.services.filter((s) => s.account === account);
  const owner = accountByName(config, config.mesh.owner).id;
  return {
    virtual_service_arns: {
      description: 'ARN of the App Mesh virtual service of each service in this account, for callers in other accounts',
      mock: Object.fromEntries(here.map((s) => [s.name, `arn:aws:appmesh:${config.region}:${owner}:mesh/${config.mesh.name}/virtualService/${virtualServiceAwsName(s, config.mesh.namespace)}`])),
    },
    public_urls: {
      description: 'URL of the ALB in front of each public service',
      mock: Object.fromEntries(here.filter((s) => s.exposure === 'public').map((s) => [s.name, `http://mock-${s.name}.${config.region}.elb.amazonaws.com`])),
    },
  } satisfies Record<string, OutputSpec>;
}

export interface WorkloadsUpstreams {
  cluster: ClusterStack;
  controllers: ControllersStack;
  mesh: SharedMeshStack;
  /** Workloads stacks of the accounts this account's services call. */
  callees: WorkloadsStack[];
}

/** The services of one account, their mesh routing, and the names of backends elsewhere. */
export class WorkloadsStack extends ProjectStack<ReturnType<typeof workloadsContract>> {
  readonly outputContract;

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, upstream: WorkloadsUpstreams) {
    super(scope, workloadsStackName(account.name), ctx);
    const { config } = ctx;
    this.outputContract = workloadsContract(config, account.name);
    const ns = config.mesh.namespace;
    const cluster = new UpstreamOutputs(this, upstream.cluster, ctx);
    const mesh = new UpstreamOutputs(this, upstream.mesh, ctx);
    this.addDependency(upstream.controllers);
    const callees = new Map(upstream.callees.map((s) => [s.node.id, new UpstreamOutputs(this, s, ctx)]));
    const name = clusterName(config, account.name);
    const aws = awsProviderFor(this, account, ctx);
    const { kubernetes } = clusterProviders(this, { name, endpoint: cluster.string('cluster_endpoint'), caData: cluster.string('cluster_ca_data'), region: config.region }, account);
    const byName = new Map(config.services.map((s) => [s.name, s]));
    const here = config.services.filter((s) => s.account === account.name);
    const object = (id: string, o: KubeObject, deps: ITerraformDependable[] = []) => kubeObject(this, id, kubernetes, o, deps);
    const idOf = (o: KubeObject) => `${o.kind.toLowerCase()}-${o.metadata.name}`;

    const routing: RoutingContext = {
      namespace: ns,
      meshName: config.mesh.name,
      meshOwnerId: mesh.string('mesh_owner_account_id'),
      cloudMapNamespace: here.some((s) => s.discovery === 'cloudmap') ? cloudMapNamespaceName(config, account.name) : undefined,
      remoteBackendArn: (backend) => {
        const target = byName.get(backend)!;
        return target.account === account.name ? undefined : callees.get(workloadsStackName(target.account))!.entry('virtual_service_arns', backend);
      },
    };
    // The CRD comes from the controllers stack; the CR lives here because Terraform needs a
    // custom resource's CRD to exist when it plans the resource.
    const membership = object('mesh-membership', meshMembership(routing) as unknown as KubeObject);

    // Backends in other accounts get a selector-less Service, so their name resolves here and
    // Envoy can route it to the remote virtual service (the walkthrough did this by hand).
    const remoteBackends = [...new Set(here.flatMap((s) => s.backends))].map((b) => byName.get(b)!).filter((b) => b.account !== account.name);
    remoteBackends.forEach((b) => object(`remote-service-${b.name}`, service(b.name, ns, b.port)));

    const imageOf = (image: string) => {
      if (!image.startsWith(PROJECT_IMAGE_PREFIX)) return image;
      const [repo, tag] = image.slice(PROJECT_IMAGE_PREFIX.length).split(':');
      return `${cluster.entry('ecr_repository_urls', repo)}:${tag}`;
    };
    const vsArns: Record<string, string> = {};
    const urls: Record<string, string> = {};
    for (const s of here) {
      const identity = new PodIdentityRole(this, `${s.name}-identity`, {
        provider: aws,
        roleName: `${name}-${s.name}`,
        accountId: account.id,
        clusterName: name,
        clusterNameRef: cluster.string('cluster_name'),
        namespace: ns,
        serviceAccount: s.name,
        policy: envoyPermissions(config.region, routing.meshOwnerId, config.mesh.name),
      });
      const nodes = virtualNodes(s, routing).map((vn) => object(`virtualnode-${vn.metadata.name}`, vn as unknown as KubeObject, [membership]));
      const router = needsRouter(s) ? [object(`virtualrouter-${s.name}`, virtualRouter(s, routing) as unknown as KubeObject, nodes)] : [];
      const vs = object(`virtualservice-${s.name}`, virtualService(s, routing) as unknown as KubeObject, [...nodes, ...router]);
      // The controller writes the ARN into status once App Mesh has the resource; wait for it.
      vs.putWait({ fields: { 'status.virtualServiceARN': '^arn:aws' } });
      vsArns[s.name] = Token.asString(vs.interpolationForAttribute('object.status.virtualServiceARN'));
      // Pods are created after their virtual node exists, so the injector finds it.
      for (const o of serviceObjects(s, ns, imageOf)) {
        const created: Manifest = object(idOf(o), o, o.kind === 'Deployment' ? [...nodes, identity.association] : []);
        if (o.kind === 'Ingress') {
          created.putWait({ fields: { 'status.loadBalancer.ingress[0].hostname': '^.+$' } });
          urls[s.name] = `http://${Token.asString(created.interpolationForAttribute('object.status.loadBalancer.ingress[0].hostname'))}`;
        }
      }
    }
    publishOutputs(this, { virtual_service_arns: vsArns, public_urls: urls });
  }

}
