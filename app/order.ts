/** The part of cdktf's manifest.json this reads: each stack's dependencies. */
export interface StackManifest {
  stacks: Record<string, { dependencies: string[] }>;
}

/**
 * Stacks grouped in deploy waves: every stack comes after all it depends on, and the stacks of
 * one wave do not depend on each other (so they may run side by side). Destroy is the reverse.
 */
export function stackWaves(manifest: StackManifest): string[][] {
  const pending = new Map(Object.entries(manifest.stacks).map(([name, s]) => [name, new Set(s.dependencies)]));
  const waves: string[][] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => [...deps].every((d) => !pending.has(d))).map(([name]) => name).sort();
    if (ready.length === 0) throw new Error(`stack dependencies form a cycle among: ${[...pending.keys()].sort().join(', ')}`);
    ready.forEach((name) => pending.delete(name));
    waves.push(ready);
  }
  return waves;
}
