import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import type { ClusterStack } from './cluster-stack';
import type { SharedMeshStack } from './mesh-stack';
import { awsProviderFor } from '../modules/aws-provider';
import { clusterProviders } from '../modules/cluster-access';
import { UpstreamOutputs, publishOutputs, type OutputSpec } from './link/stack-link';
import { type ClusterAddOn, type ClusterHandle, namespace } from '../modules/addons/addon';
import { engineFor } from '../engines/registry';
import { LoadBalancerControllerAddOn } from '../modules/addons/load-balancer-controller';
import { ObservabilityAddOn } from '../modules/addons/observability';
import { clusterName, controllersStackName } from '../config/naming';
import type { AccountConfig } from '../config/schema';

const controllersContract = (ns: string) =>
  ({
    workload_namespace: { description: 'Namespace that joins the mesh', mock: ns },
    dashboard_name: { description: 'CloudWatch dashboard of this cluster', mock: 'mock-mesh' },
  }) satisfies Record<string, OutputSpec>;

export interface ControllersUpstreams {
  network: NetworkStack;
  cluster: ClusterStack;
  mesh: SharedMeshStack;
}

/**
 * The controllers of one cluster, each an add-on with the same anatomy (IAM bound to its
 * service account, namespace, pinned chart, explicit dependencies), and the namespace that
 * joins the mesh. Needs a live cluster to plan: the Kubernetes and Helm providers talk to it.
 */
export class ControllersStack extends ProjectStack<ReturnType<typeof controllersContract>> {
  readonly outputContract;

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, upstream: ControllersUpstreams) {
    super(scope, controllersStackName(account.name), ctx);
    const { config } = ctx;
    this.outputContract = controllersContract(config.mesh.namespace);
    const cluster = new UpstreamOutputs(this, upstream.cluster, ctx);
    const net = new UpstreamOutputs(this, upstream.network, ctx);
    const mesh = new UpstreamOutputs(this, upstream.mesh, ctx);
    const name = clusterName(config, account.name);
    const endpoint = { name, endpoint: cluster.string('cluster_endpoint'), caData: cluster.string('cluster_ca_data'), region: config.region };
    const handle: ClusterHandle = {
      scope: this,
      config,
      account,
      clusterName: name,
      clusterNameRef: cluster.string('cluster_name'),
      vpcId: net.entry('vpc_ids', account.name),
      nodeSecurityGroupId: cluster.string('node_security_group_id'),
      aws: awsProviderFor(this, account, ctx),
      ...clusterProviders(this, endpoint, account),
    };

    const engine = engineFor(config);
    const observability = new ObservabilityAddOn({ engine: engine.name, services: config.services, thresholds: config.observability, alarmTopicArn: config.observability.alarmTopicArn });
    const addOns: ClusterAddOn[] = [new LoadBalancerControllerAddOn(), ...engine.controllerAddOns(mesh, config), observability];
    const ready = addOns.flatMap((addOn) => addOn.deploy(handle));

    // The namespace joins the mesh by label (engine-specific, Pod Security levels included),
    // after the controllers, so it is removed before them on destroy.
    namespace(handle, 'workload-namespace', config.mesh.namespace, engine.namespaceLabels(config), ready);

    publishOutputs(this, { workload_namespace: config.mesh.namespace, dashboard_name: `${name}-mesh` });
  }
}
