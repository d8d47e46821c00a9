import { importCycles, layerOf, LAYERS, projectImportGraph, forbiddenImports, type ImportGraph } from './support/import-graph';

// Dependencies point one way: config, then the stack output contracts, then modules, engines,
// stacks, and the app with main.ts. A module never imports config or stacks; an engine never
// imports stacks. Read from the real import graph of the sources, so a new upward import fails
// here with its file and line of the layering named.

const graph = projectImportGraph();

describe('layering', () => {
  test('every source folder is a layer', () => {
    const folders = new Set([...graph.keys()].map((f) => layerOf(f)));
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  test('no import points to a higher layer, and no module imports config', () => {
    expect(forbiddenImports(graph)).toEqual([]);
  });

  test('no import circle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  test('the checks fail on what they guard against: an upward import, a circle', () => {
    const planted: ImportGraph = new Map(graph);
    planted.set('modules/vpc.ts', [...(graph.get('modules/vpc.ts') ?? []), 'config/load.ts', 'stacks/context.ts']);
    expect(forbiddenImports(planted)).toEqual(['modules/vpc.ts -> config/load.ts (modules -> config)', 'modules/vpc.ts -> stacks/context.ts (modules -> stacks)']);
    planted.set('config/cidr.ts', [...(graph.get('config/cidr.ts') ?? []), 'config/rules.ts']);
    expect(importCycles(planted).some((c) => c.includes('config/cidr.ts') && c.includes('config/rules.ts'))).toBe(true);
  });
});
