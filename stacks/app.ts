import { App } from 'cdktf';
import { accountByName, type MeshConfig } from '../config/load';
import type { SynthSettings, StackContext } from './context';
import { NetworkStack } from './network-stack';
import { ClusterStack } from './cluster-stack';
import { BootstrapStack } from './bootstrap-stack';
import { SharedMeshStack } from './mesh-stack';
import { ControllersStack } from './controllers-stack';
import { WorkloadsStack } from './workloads-stack';
import { crossAccountCalls } from '../config/topology';
import { engineFor } from '../modules/engines/registry';

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
  const workloads = new Map<string, WorkloadsStack>();
  // Where the engine reads callee endpoints from state (Lattice), callees come first and the
  // catalog rules have already rejected cycles, so this terminates. App Mesh derives them, so
  // every workloads stack deploys in the same wave.
  const calls = engineFor(config).callersReadCalleeState ? crossAccountCalls(config) : [];
  const build = (account: string): WorkloadsStack => {
    if (!workloads.has(account)) {
      const callees = [...new Set(calls.filter((c) => c.from === account).map((c) => c.to))].map(build);
      workloads.set(account, new WorkloadsStack(app, ctx, accountByName(config, account), { cluster: clusters.get(account)!, controllers: controllers.get(account)!, mesh, callees }));
    }
    return workloads.get(account)!;
  };
  config.accounts.filter((a) => config.services.some((s) => s.account === a.name)).forEach((a) => build(a.name));
  return { bootstrap, network, clusters, mesh, controllers, workloads };
}
