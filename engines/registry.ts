import type { EngineName, MeshEngine } from './engine';

/**
 * Every engine by its config name; adding one is a folder and a line here. An engine's module is
 * loaded only when a config names it: each pulls in its own provider classes and builders, a
 * good part of a synth's start-up otherwise spent on engines the config does not use.
 */
const ENGINES: Record<EngineName, () => MeshEngine> = {
  lattice: () => (require('./lattice') as typeof import('./lattice')).latticeEngine,
  appmesh: () => (require('./appmesh') as typeof import('./appmesh')).appMeshEngine,
  istio: () => (require('./istio') as typeof import('./istio')).istioEngine,
};

/** The valid values of `mesh.engine`, in the order the docs list them. */
export const ENGINE_NAMES = Object.keys(ENGINES);

export const isEngine = (name: unknown): name is EngineName => typeof name === 'string' && Object.hasOwn(ENGINES, name);

/** The engine a validated config names (validation stops an unknown name first, see ./rules.ts). */
export function engineFor(config: { mesh: { engine: EngineName } }): MeshEngine {
  if (!isEngine(config.mesh.engine)) throw new Error(`mesh.engine "${config.mesh.engine}" is not registered in engines/registry.ts`);
  return ENGINES[config.mesh.engine]();
}
