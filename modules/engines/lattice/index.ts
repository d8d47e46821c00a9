import type { MeshEngine } from '../engine';

// Placeholder replaced below in this change.
export const latticeEngine = {} as MeshEngine;
