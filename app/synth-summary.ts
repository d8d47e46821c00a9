import * as path from 'path';
import type { ConfigSource, MeshConfig } from '../config/load';
import { stackWaves } from './order';
import { readManifest, readStackJson } from './synth-output';

// What a synth says when it is done: which config, which engine, what each stack holds and
// needs, the deploy waves, where the output is and what to run next. Read back from the
// written output (manifest.json and each cdk.tf.json), so it reports what Terraform will see.

export interface StackSummary {
  name: string;
  /** Terraform resources in the stack's cdk.tf.json (data sources and outputs not counted). */
  resources: number;
  dependencies: string[];
}

export interface SynthSummary {
  outdir: string;
  /** In deploy order: wave by wave, by name within a wave. */
  stacks: StackSummary[];
  waves: string[][];
}

export function summarizeOutput(outdir: string): SynthSummary {
  const manifest = readManifest(outdir);
  const waves = stackWaves(manifest);
  const stacks = waves.flat().map((name) => {
    const json = readStackJson(outdir, manifest, name);
    const resources = Object.values<Record<string, unknown>>(json.resource ?? {}).reduce((n, byId) => n + Object.keys(byId).length, 0);
    return { name, resources, dependencies: [...manifest.stacks[name].dependencies].sort() };
  });
  return { outdir, stacks, waves };
}

const USAGE = 'usage: node dist/main.js [--quiet]   (config from MESH_CONFIG, output to CDKTF_OUTDIR or cdktf.out)';

/** `--quiet` (or `-q`) on the command line, or CI set to anything but "", "0" or "false"; throws on any other argument. */
export function quietRequested(args: string[], env: NodeJS.ProcessEnv): boolean {
  const unknown = args.filter((a) => a !== '--quiet' && a !== '-q');
  if (unknown.length) throw new Error(`unknown argument ${JSON.stringify(unknown[0])}. Fix: ${USAGE}`);
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return args.length > 0 || ci;
}

/** "examples/x.yaml" or "the built-in demo config", relative to the working folder when inside it. */
export function describeSource(source: ConfigSource, cwd = process.cwd()): string {
  if (!source.file) return 'the built-in demo config (MESH_CONFIG is unset)';
  const relative = path.relative(cwd, source.file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? source.file : relative;
}

/** The warning for MESHCONFIG=... and the like; empty when MESH_CONFIG is set or nothing looks like it. */
export function lookalikeWarning(source: ConfigSource): string[] {
  return source.lookalikes.map(
    (name) => `warning: MESH_CONFIG is unset, so the built-in demo config is used, but ${name} is set. Fix: if ${name} names your config, rename it: export MESH_CONFIG="$${name}"`,
  );
}

const outdirLabel = (outdir: string, cwd: string) => {
  const relative = path.relative(cwd, outdir);
  return `${relative.startsWith('..') || path.isAbsolute(relative) ? outdir : relative || '.'}/`;
};

/** One line, for runs under cdktf-cli, which prints its own report after the app. */
export function formatOneLine(summary: SynthSummary, config: MeshConfig, source: ConfigSource, cwd = process.cwd()): string {
  return `mesh: ${summary.stacks.length} stacks from ${describeSource(source, cwd)}, engine ${config.mesh.engine}, ${summary.waves.length} deploy waves`;
}

/** The report `npm run synth` and `node dist/main.js` end with. */
export function formatSummary(summary: SynthSummary, config: MeshConfig, source: ConfigSource, cwd = process.cwd()): string {
  const header = ['stack', 'resources', 'depends on'];
  const rows = summary.stacks.map((s) => [s.name, String(s.resources), s.dependencies.join(', ') || '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  const first = summary.waves[0]?.[0] ?? '<stack>';
  return [
    `Synthesized ${summary.stacks.length} stacks from ${describeSource(source, cwd)}, engine ${config.mesh.engine}, ${config.backend.type} backend.`,
    line(header),
    ...rows.map(line),
    `Deploy waves (each waits for the one before; destroy runs them in reverse):`,
    ...summary.waves.map((wave, i) => `  ${i + 1}. ${wave.join(', ')}`),
    `Output: ${outdirLabel(summary.outdir, cwd)} (manifest.json, stacks/<stack>/cdk.tf.json)`,
    `Next: npm run plan (offline plan, no AWS needed); with credentials, npx cdktf diff ${first}, then npm run deploy -- --dry-run to see every deploy command.`,
  ].join('\n');
}
