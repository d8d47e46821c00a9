import { App } from 'cdktf';
import type { MeshConfig } from '../config/load';
import type { SynthSettings, StackContext } from '../stacks/context';
import { NetworkStack } from '../stacks/network-stack';
import { ClusterStack } from '../stacks/cluster-stack';
import { BootstrapStack } from '../stacks/bootstrap-stack';
import { SharedMeshStack } from '../stacks/mesh-stack';
import { ControllersStack } from '../stacks/controllers-stack';
import { WorkloadsStack } from '../stacks/workloads-stack';
import { ControlPlaneStack } from '../stacks/control-plane-stack';
import { engineFor } from '../engines/registry';
import { runsIn } from '../config/catalog/schema';

/** Builds every stack of the config into `app`; dependencies come from the outputs each reads. */
export function buildStacks(app: App, config: MeshConfig, settings: SynthSettings) {
  const ctx: StackContext = { config, settings };
  // Only the S3 backend needs a bucket made first; it deploys with local state before the rest.
  const bootstrap = config.backend.type === 's3' ? new BootstrapStack(app, ctx) : undefined;
  const network = new NetworkStack(app, ctx);
  if (bootstrap) network.addDependency(bootstrap);
  const clusters = new Map(config.accounts.map((a) => [a.name, new ClusterStack(app, ctx, a, network)]));
  const mesh = new SharedMeshStack(app, ctx, { network, clusters });
  const controllers = new Map(config.accounts.map((a) => [a.name, new ControllersStack(app, ctx, a, { network, cluster: clusters.get(a.name)!, mesh })]));
  // An engine with its own per-cluster control plane gets a stack for it in every cluster.
  const engine = engineFor(config);
  const controlPlaneAddOns = engine.controlPlaneAddOns?.bind(engine);
  const controlPlanes = new Map(
    controlPlaneAddOns
      ? config.accounts.map((a) => [a.name, new ControlPlaneStack(app, ctx, a, controlPlaneAddOns, { network, cluster: clusters.get(a.name)!, mesh, controllers: controllers.get(a.name)! })])
      : [],
  );
  // Engines derive a callee's endpoint from the config, so no workloads stack waits for another:
  // they all deploy in the same wave.
  const workloads = new Map(
    config.accounts
      .filter((a) => config.services.some((s) => runsIn(s, a.name)))
      .map((a) => [a.name, new WorkloadsStack(app, ctx, a, { cluster: clusters.get(a.name)!, controllers: controlPlanes.get(a.name) ?? controllers.get(a.name)!, mesh })]),
  );
  return { bootstrap, network, clusters, mesh, controllers, controlPlanes, workloads };
}
