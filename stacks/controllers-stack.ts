import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import type { ClusterStack } from './cluster-stack';
import type { SharedMeshStack } from './mesh-stack';
import { clusterHandle } from './cluster-handle';
import { UpstreamOutputs, publishOutputs } from './link/stack-link';
import { controllersContract, type ControllersContract } from '../contracts/controllers';
import { type ClusterAddOn, namespace } from '../modules/addons/addon';
import { engineFor } from '../engines/registry';
import { LoadBalancerControllerAddOn } from '../modules/addons/load-balancer-controller';
import { ObservabilityAddOn } from '../modules/addons/observability';
import { controllersStackName } from '../config/naming';
import type { AccountConfig } from '../config/schema';
import { alarmTopicFor } from '../config/sites';
import { CLOUDWATCH_AGENT_IMAGE, EKS_ADDON_VERSIONS } from '../config/versions';
import { OTLP_GRPC, OTLP_HTTP } from '../config/telemetry';

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
export class ControllersStack extends ProjectStack<ControllersContract> {
  readonly outputContract;

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, upstream: ControllersUpstreams) {
    super(scope, controllersStackName(account.name), ctx);
    const { config } = ctx;
    this.outputContract = controllersContract(config.mesh.namespace);
    const cluster = new UpstreamOutputs(this, upstream.cluster, ctx);
    const net = new UpstreamOutputs(this, upstream.network, ctx);
    const mesh = new UpstreamOutputs(this, upstream.mesh, ctx);
    const handle = clusterHandle(this, ctx, account, cluster, net);
    const name = handle.clusterName;

    const engine = engineFor(config);
    const observability = new ObservabilityAddOn({
      addonVersion: EKS_ADDON_VERSIONS[account.cluster.version]['amazon-cloudwatch-observability'],
      scraperImage: CLOUDWATCH_AGENT_IMAGE,
      otlp: { grpc: OTLP_GRPC.port, http: OTLP_HTTP.port },
      signals: engine.clusterSignals({ services: config.services, account: account.name, clusterName: name, namespace: config.mesh.namespace, thresholds: config.observability }),
      alarmTopicArn: alarmTopicFor(config.observability, account.region, config.accounts.every((a) => a.region === config.region)),
    });
    const addOns: ClusterAddOn[] = [new LoadBalancerControllerAddOn(), ...engine.controllerAddOns(mesh, config), observability];
    const ready = addOns.flatMap((addOn) => addOn.deploy(handle));

    // The namespace joins the mesh by label (engine-specific, Pod Security levels included),
    // after the controllers, so it is removed before them on destroy.
    namespace(handle, 'workload-namespace', config.mesh.namespace, engine.namespaceLabels(config), ready);

    publishOutputs(this, { workload_namespace: config.mesh.namespace, dashboard_name: `${name}-mesh` });
  }
}
