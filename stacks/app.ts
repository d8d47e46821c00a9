import { App } from 'cdktf';
import type { MeshConfig } from '../config/load';
import type { SynthSettings, StackContext } from './context';
import { NetworkStack } from './network-stack';
import { ClusterStack } from './cluster-stack';

/** Builds every stack of the config into `app`; dependencies come from the outputs each reads. */
export function buildStacks(app: App, config: MeshConfig, settings: SynthSettings) {
  const ctx: StackContext = { config, settings };
  const network = new NetworkStack(app, ctx);
  const clusters = new Map(config.accounts.map((a) => [a.name, new ClusterStack(app, ctx, a, network)]));
  return { network, clusters };
}
