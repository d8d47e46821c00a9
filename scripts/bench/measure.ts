import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stackWaves } from '../../app/order';
import { readManifest } from '../../app/synth-output';

// One synth run under GNU time, and the statistics the benchmark prints.

export interface BenchConfig {
  name: string;
  /** Passed to the synth process; `MESH_CONFIG` selects the config file (unset: the demo). */
  env: Record<string, string>;
  /** Median wall time, in seconds, a command (by name) should stay under for this config. */
  targets?: Record<string, number>;
  /** The commands (by name) to run this config with; all when absent. */
  commands?: string[];
}

export interface Command {
  name: string;
  /** The command, as the user runs it; `{out}` is replaced by a fresh output folder. */
  argv: string[];
  env?: Record<string, string>;
}

export interface Sample {
  seconds: number;
  maxRssMiB: number;
  stacks: number;
  /** Sequential deploy waves of the stack graph. */
  waves: number;
}

/** Inherited settings that would change what is synthesized; each scenario sets its own. */
const SCRUBBED = ['MESH_CONFIG', 'MESH_OFFLINE_PLAN', 'MESH_STATE_DIR', 'CDKTF_OUTDIR'];

/** One run in `cwd` under GNU time, which reports the child's wall time and peak resident set. */
export function runOnce(cwd: string, config: BenchConfig, command: Command): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
  try {
    const fill = (v: string) => v.replace('{out}', out);
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
    for (const k of SCRUBBED) delete env[k];
    for (const [k, v] of Object.entries({ ...config.env, ...command.env })) env[k] = fill(v);
    const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', ...command.argv.map(fill)], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = run.stderr.split('\n').find((l) => l.startsWith('BENCH '));
    if (run.status !== 0 || !line) throw new Error(`${command.name} (${config.name} config, in ${cwd}) failed:\n${run.stdout}\n${run.stderr}`);
    if (!fs.existsSync(path.join(out, 'manifest.json'))) throw new Error(`${command.name} (${config.name} config) wrote no manifest.json`);
    const [, seconds, kib] = line.split(' ');
    const parsed = readManifest(out);
    return { seconds: Number(seconds), maxRssMiB: Number(kib) / 1024, stacks: Object.keys(parsed.stacks).length, waves: stackWaves(parsed).length };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}
