import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaleConfig } from '../config/scale';
import { stackWaves } from '../stacks/order';
import { readManifest } from '../stacks/synth-output';

// `npm run bench`: median wall time and peak memory of synthesizing every stack, each run a
// fresh process (this machine is shared and noisy, so medians over several runs, not one).
// Figures are printed, never asserted: performance targets are not tests.
//
// A scenario is one config times one synth command. Configs and commands are data: to bench
// another config, add it to CONFIGS (or pass files in BENCH_CONFIGS=a.yaml,b.json).

interface BenchConfig {
  name: string;
  /** Passed to the synth process; `MESH_CONFIG` selects the config file (unset: the demo). */
  env: Record<string, string>;
  /** Median wall time, in seconds, a command (by name) should stay under for this config. */
  targets?: Record<string, number>;
}

interface Command {
  name: string;
  /** The command, as the user runs it; `{out}` is replaced by a fresh output folder. */
  argv: string[];
  env?: Record<string, string>;
}

/** The project folder: the nearest one above this file with a package.json (from dist/ or not). */
function projectRoot(dir = __dirname): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  return projectRoot(path.dirname(dir));
}

const ROOT = projectRoot();
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');

/** Generated scale configs, written to a scratch folder: the target case and the one with half the services. */
function scaleConfigs(): BenchConfig[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-configs-'));
  return [
    { accounts: 10, services: 50 },
    { accounts: 10, services: 100, targets: { 'node dist/main.js': 10 } },
  ].map(({ accounts, services, targets }) => {
    const file = path.join(dir, `scale-${accounts}x${services}.json`);
    fs.writeFileSync(file, JSON.stringify(scaleConfig(accounts, services)));
    return { name: `${accounts}x${services}`, env: { MESH_CONFIG: file }, targets };
  });
}

const CONFIGS: BenchConfig[] = [{ name: 'demo', env: {}, targets: { 'node dist/main.js': 2 } }, ...scaleConfigs()];

/** Issue 6's target for the demo's stack graph. */
const DEMO_MAX_WAVES = 4;

const COMMANDS: Command[] = [
  { name: 'node dist/main.js', argv: ['node', 'dist/main.js'], env: { CDKTF_OUTDIR: '{out}' } },
  { name: 'cdktf synth', argv: [CDKTF, 'synth', '--output', '{out}'], env: { CHECKPOINT_DISABLE: '1' } },
];

/** Inherited settings that would change what is synthesized; each scenario sets its own. */
const SCRUBBED = ['MESH_CONFIG', 'MESH_OFFLINE_PLAN', 'MESH_STATE_DIR', 'CDKTF_OUTDIR'];

function configs(env: NodeJS.ProcessEnv): BenchConfig[] {
  const extra = (env.BENCH_CONFIGS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of extra) if (!fs.existsSync(path.resolve(ROOT, f))) throw new Error(`BENCH_CONFIGS: no such file ${f}`);
  return [...CONFIGS, ...extra.map((f) => ({ name: path.basename(f), env: { MESH_CONFIG: path.resolve(ROOT, f) } }))];
}

interface Sample {
  seconds: number;
  maxRssMiB: number;
  stacks: number;
  /** Sequential deploy waves of the stack graph. */
  waves: number;
}

/** One run under GNU time, which reports the child's wall time and peak resident set. */
function runOnce(config: BenchConfig, command: Command): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
  try {
    const fill = (v: string) => v.replace('{out}', out);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of SCRUBBED) delete env[k];
    for (const [k, v] of Object.entries({ ...config.env, ...command.env })) env[k] = fill(v);
    const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', ...command.argv.map(fill)], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = run.stderr.split('\n').find((l) => l.startsWith('BENCH '));
    if (run.status !== 0 || !line) throw new Error(`${command.name} (${config.name} config) failed:\n${run.stdout}\n${run.stderr}`);
    const manifest = path.join(out, 'manifest.json');
    if (!fs.existsSync(manifest)) throw new Error(`${command.name} (${config.name} config) wrote no ${manifest}`);
    const [, seconds, kib] = line.split(' ');
    const parsed = readManifest(out);
    return { seconds: Number(seconds), maxRssMiB: Number(kib) / 1024, stacks: Object.keys(parsed.stacks).length, waves: stackWaves(parsed).length };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

function main(): void {
  if (!fs.existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is needed to read peak memory. Fix: apt-get install time');
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing. Fix: npm run build (npm run bench does it)');
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a whole number >= 1, got ${process.env.BENCH_RUNS}`);
  console.log(`synth benchmark: ${runs} runs per scenario after 1 warm-up, ${os.cpus().length} CPUs, node ${process.version}`);
  const rows = [['config', 'command', 'stacks', 'deploy waves', 'runs', 'median wall s', 'min', 'max', 'median peak RSS MiB']];
  const verdicts: string[] = [];
  const medians = new Map<string, number>();
  const waves = new Map<string, number>();
  for (const config of configs(process.env)) {
    for (const command of COMMANDS) {
      // A line per scenario, growing as each run finishes: a full bench takes minutes.
      process.stdout.write(`${config.name}, ${command.name}: warm-up`);
      runOnce(config, command); // warm the file cache; not counted
      process.stdout.write(', runs (s):');
      const samples = Array.from({ length: runs }, () => {
        const sample = runOnce(config, command);
        process.stdout.write(` ${sample.seconds.toFixed(2)}`);
        return sample;
      });
      waves.set(config.name, samples[0].waves);
      const secs = samples.map((x) => x.seconds);
      const med = median(secs);
      medians.set(`${config.name}|${command.name}`, med);
      const rss = median(samples.map((x) => x.maxRssMiB));
      process.stdout.write(`; median ${med.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MiB, ${samples[0].stacks} stacks, ${samples[0].waves} deploy waves\n`);
      if (config.targets?.[command.name] !== undefined) verdicts.push(`target: ${command.name}, ${config.name} config, peak RSS <= 1024 MiB: ${rss <= 1024 ? 'met' : 'MISSED'} (${rss.toFixed(0)} MiB)`);
      rows.push([config.name, command.name, String(samples[0].stacks), String(samples[0].waves), String(runs), med.toFixed(2), Math.min(...secs).toFixed(2), Math.max(...secs).toFixed(2), median(samples.map((x) => x.maxRssMiB)).toFixed(0)]);
      const target = config.targets?.[command.name];
      if (target !== undefined) verdicts.push(`target: ${command.name}, ${config.name} config, median <= ${target} s: ${med <= target ? 'met' : 'MISSED'} (${med.toFixed(2)} s)`);
    }
  }
  console.log(`\n${table(rows)}`);
  const half = medians.get('10x50|node dist/main.js');
  const full = medians.get('10x100|node dist/main.js');
  const demoWaves = waves.get('demo');
  if (demoWaves !== undefined) {
    verdicts.push(
      `target: demo deploy waves <= ${DEMO_MAX_WAVES}: ${demoWaves <= DEMO_MAX_WAVES ? 'met' : 'MISSED'} (${demoWaves}; README, "Deploy waves")`,
    );
  }
  if (half && full) verdicts.push(`growth: 10x100 / 10x50 median = ${(full / half).toFixed(2)} (2.00 would be linear in services)`);
  console.log(['', ...verdicts, 'peak RSS is GNU time\'s max RSS: the largest single process of the command (cdktf synth runs the CLI and the app at once).'].join('\n'));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
