import type { EngineName, MeshEngine } from './engine';
import { appMeshEngine } from './appmesh';
import { latticeEngine } from './lattice';
import { istioEngine } from './istio';

/** Every engine by its config name; adding one is a folder and a line here. */
const ENGINES: Record<EngineName, MeshEngine> = { lattice: latticeEngine, appmesh: appMeshEngine, istio: istioEngine };

/** The valid values of `mesh.engine`, in the order the docs list them. */
export const ENGINE_NAMES = Object.keys(ENGINES);

export const isEngine = (name: unknown): name is EngineName => typeof name === 'string' && Object.hasOwn(ENGINES, name);

/** The engine a validated config names (validation stops an unknown name first, see ./rules.ts). */
export function engineFor(config: { mesh: { engine: EngineName } }): MeshEngine {
  const engine = ENGINES[config.mesh.engine];
  if (!engine || !Object.hasOwn(ENGINES, config.mesh.engine)) throw new Error(`mesh.engine "${config.mesh.engine}" is not registered in engines/registry.ts`);
  return engine;
}
