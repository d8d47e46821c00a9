import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The project's own import graph, read with the TypeScript compiler's pre-processor (every
// `import`, `import type`, `export … from` and `require`), for the layering check.

export const ROOT = path.resolve(__dirname, '..', '..');

/** The layers, lowest first: a file may import its own layer and those below, never above. */
export const LAYERS = ['config', 'contracts', 'modules', 'engines', 'stacks', 'app', 'main'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * What each layer may import. Below plus one rule more: modules are constructs with typed props
 * of their own, so they import neither the config nor the contracts built from it.
 */
export const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  config: ['config'],
  contracts: ['config', 'contracts'],
  modules: ['modules'],
  engines: ['config', 'contracts', 'modules', 'engines'],
  stacks: ['config', 'contracts', 'modules', 'engines', 'stacks'],
  app: ['config', 'contracts', 'modules', 'engines', 'stacks', 'app'],
  main: LAYERS,
};

/** The layer of a source file, or undefined for files outside the layered code (tests, scripts, the chain service). */
export function layerOf(file: string): Layer | undefined {
  if (file === 'main.ts') return 'main';
  const top = file.split('/')[0];
  return (LAYERS as readonly string[]).includes(top) ? (top as Layer) : undefined;
}

export type ImportGraph = Map<string, string[]>;

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.join(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(path.join(ROOT, candidate))) return path.normalize(candidate);
  return undefined;
}

/** Every layered source file (tracked by git) and the project files it imports. */
export function projectImportGraph(): ImportGraph {
  const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && layerOf(f) !== undefined);
  return new Map(
    files.map((f) => {
      const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, f), 'utf8'), true, true);
      const deps = info.importedFiles.map((i) => i.fileName).filter((n) => n.startsWith('.')).map((n) => resolveImport(f, n));
      return [f, deps.filter((d): d is string => d !== undefined)];
    }),
  );
}

/** Imports a layer may not make (MAY_IMPORT), as "from -> to (from layer -> to layer)". */
export function forbiddenImports(graph: ImportGraph): string[] {
  return [...graph].flatMap(([from, deps]) =>
    deps.filter((to) => layerOf(to) !== undefined && !MAY_IMPORT[layerOf(from)!].includes(layerOf(to)!)).map((to) => `${from} -> ${to} (${layerOf(from)} -> ${layerOf(to)})`),
  );
}

/** Groups of files that import each other in a circle (strongly connected components of two or more, or a self-import). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
