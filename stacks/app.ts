import { App } from 'cdktf';
import type { MeshConfig } from '../config/load';
import type { SynthSettings, StackContext } from './context';
import { NetworkStack } from './network-stack';

/** Builds every stack of the config into `app`, with their dependencies. */
export function buildStacks(app: App, config: MeshConfig, settings: SynthSettings) {
  const ctx: StackContext = { config, settings };
  const network = new NetworkStack(app, ctx);
  return { network };
}
