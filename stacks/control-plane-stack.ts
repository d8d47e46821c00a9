import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import type { ClusterStack } from './cluster-stack';
import type { SharedMeshStack } from './mesh-stack';
import type { ControllersStack } from './controllers-stack';
import { clusterHandle } from './cluster-handle';
import { UpstreamOutputs } from './link/stack-link';
import type { ClusterAddOn } from '../modules/addons/addon';
import type { MeshEngine } from '../engines/engine';
import { controlPlaneStackName } from '../config/naming';
import type { AccountConfig } from '../config/schema';

export interface ControlPlaneUpstreams {
  network: NetworkStack;
  cluster: ClusterStack;
  mesh: SharedMeshStack;
  controllers: ControllersStack;
}

/**
 * The engine's own control plane in one cluster (for example a CA, istiod and its gateways), for
 * an engine that has one. It comes after the controllers, whose CRDs and webhooks it uses (a
 * Kubernetes manifest of a custom kind cannot even be planned before its CRD exists), and before
 * the workloads, whose pods it must be ready to serve; on destroy it goes after the workloads and
 * before the controllers, so no finalizer is left without its controller.
 */
export class ControlPlaneStack extends ProjectStack<Record<string, never>> {
  readonly outputContract = {};

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, controlPlaneAddOns: NonNullable<MeshEngine['controlPlaneAddOns']>, upstream: ControlPlaneUpstreams) {
    super(scope, controlPlaneStackName(account.name), ctx);
    const cluster = new UpstreamOutputs(this, upstream.cluster, ctx);
    const net = new UpstreamOutputs(this, upstream.network, ctx);
    const mesh = new UpstreamOutputs(this, upstream.mesh, ctx);
    this.addDependency(upstream.controllers);
    const handle = clusterHandle(this, ctx, account, cluster, net);
    const addOns: ClusterAddOn[] = controlPlaneAddOns(mesh, ctx.config, account);
    addOns.forEach((addOn) => addOn.deploy(handle));
  }
}
