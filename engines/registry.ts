import type { EngineName, MeshEngine } from './engine';
import { appMeshEngine } from './appmesh';
import { latticeEngine } from './lattice';

/** Every engine by its config name; adding one is a folder and a line here. */
const ENGINES: Record<EngineName, MeshEngine> = { appmesh: appMeshEngine, lattice: latticeEngine };

export const engineFor = (config: { mesh: { engine: EngineName } }): MeshEngine => ENGINES[config.mesh.engine];
