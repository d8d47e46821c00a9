import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaleConfig } from '../../config/scale';
import { demoConfig } from '../../config/demo';
import type { ConfigInput } from '../../config/schema';
import { BASELINES, prepareBaseline, type Baseline } from './baseline';
import { median, runOnce, table, type BenchConfig, type Command, type Sample } from './measure';
import { regionGrowth } from './regions';

// `npm run bench`: median wall time and peak memory of synthesizing every stack, each run a
// fresh process (this machine is shared and noisy, so medians over several runs, not one).
// Figures are printed, never asserted: performance targets are not tests. A line is printed as
// each scenario finishes, the table and the targets at the end.
//
// A scenario is one config times one synth command. Configs and commands are data: to bench
// another config, add it to CONFIGS (or pass files in BENCH_CONFIGS=a.yaml,b.json). Targets
// stated against an earlier revision are measured against that revision in the same run
// (./baseline.ts), its runs interleaved with today's.

/** The project folder: the nearest one above this file with a package.json (from dist/ or not). */
function projectRoot(dir = __dirname): string {
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  return projectRoot(path.dirname(dir));
}

const ROOT = projectRoot();
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const PROJECT_SYNTH: Command = { name: 'node dist/main.js', argv: ['node', 'dist/main.js'], env: { CDKTF_OUTDIR: '{out}' } };
const COMMANDS: Command[] = [PROJECT_SYNTH, { name: 'cdktf synth', argv: [CDKTF, 'synth', '--output', '{out}'] }];

const CONFIG_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-configs-'));
/** Writes a generated config to the scratch folder; the synth reads it through MESH_CONFIG. */
function written(name: string, config: object): Record<string, string> {
  const file = path.join(CONFIG_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return { MESH_CONFIG: file };
}
const withEngine = (config: ConfigInput, engine: string): ConfigInput => ({ ...config, mesh: { ...config.mesh, engine } });

const ISTIO_10X100 = '10x100 istio';

/** Generated scale configs: the target case and the one with half the services, and the target case with Istio, in one region and in three. */
function scaleConfigs(): BenchConfig[] {
  return [
    { name: '10x50', env: written('scale-10x50', scaleConfig(10, 50)) },
    { name: '10x100', env: written('scale-10x100', scaleConfig(10, 100)), targets: { [PROJECT_SYNTH.name]: 10 } },
    // Only the project's synth: the target is stated for it, and cdktf-cli's start-up adds nothing to compare.
    { name: ISTIO_10X100, env: written('scale-10x100-istio', withEngine(scaleConfig(10, 100), 'istio')), targets: { [PROJECT_SYNTH.name]: 3 }, commands: [PROJECT_SYNTH.name] },
    // The same in three regions (Istio), as a user runs it: a fresh process, every rule .
    { name: '10x100 istio 3 regions', env: written('scale-10x100-3-regions', scaleConfig(10, 100, 3)), targets: { [PROJECT_SYNTH.name]: 3 }, commands: [PROJECT_SYNTH.name] },
  ];
}

const DEMO: BenchConfig = { name: 'demo', env: {}, targets: { [PROJECT_SYNTH.name]: 2 } };
/** The same demo with the Istio engine; its target is relative to the Lattice demo (DEMO), measured interleaved. */
const ISTIO_DEMO: BenchConfig = { name: 'demo istio', env: written('demo-istio', withEngine(demoConfig, 'istio')), commands: [PROJECT_SYNTH.name] };
const ISTIO_DEMO_MAX_RATIO = 1.3;

/** The demo's stack graph deploys in at most this many sequential waves (README, "Deploy waves"). */
const DEMO_MAX_WAVES = 4;

function configs(env: NodeJS.ProcessEnv): BenchConfig[] {
  const extra = (env.BENCH_CONFIGS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of extra) if (!fs.existsSync(path.resolve(ROOT, f))) throw new Error(`BENCH_CONFIGS: no such file ${f}. Fix: a path relative to ${ROOT}`);
  return [DEMO, ISTIO_DEMO, ...scaleConfigs(), ...extra.map((f) => ({ name: path.basename(f), env: { MESH_CONFIG: path.resolve(ROOT, f) } }))];
}

/** BENCH_BASELINES=none skips the comparison; a comma list of revisions replaces the defaults (limit 1.2x). */
function baselines(env: NodeJS.ProcessEnv): Baseline[] {
  const value = env.BENCH_BASELINES?.trim();
  if (value === undefined || value === '') return BASELINES;
  if (value === 'none') return [];
  return value.split(',').map((rev) => ({ rev: rev.trim(), label: `revision ${rev.trim()}`, maxRatio: 1.2 }));
}

const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} s (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`;

/** Today's demo synth against a baseline's, run for run in alternating order. */
function compareWithBaseline(base: Baseline, runs: number): string {
  const prepared = prepareBaseline(ROOT, base.rev);
  if ('skipped' in prepared) return `baseline ${base.rev} (${base.label}): skipped, ${prepared.skipped}`;
  try {
    const today: number[] = [];
    const then: number[] = [];
    runOnce(prepared.dir, DEMO, PROJECT_SYNTH);
    runOnce(ROOT, DEMO, PROJECT_SYNTH);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? [[ROOT, today], [prepared.dir, then]] as const : [[prepared.dir, then], [ROOT, today]] as const;
      for (const [dir, into] of order) into.push(runOnce(dir, DEMO, PROJECT_SYNTH).seconds);
    }
    const ratio = median(today) / median(then);
    const line = `target: demo synth within ${base.maxRatio}x of ${base.rev} (${base.label}): ${ratio <= base.maxRatio ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x; today ${fmt(today)}, ${base.rev} ${fmt(then)})`;
    console.log(`  ${line}`);
    return line;
  } finally {
    prepared.dispose();
  }
}

/**
 * The Istio demo against the Lattice demo (the default engine), run for run in alternating order
 * so that the machine's load falls on both alike (issue 15: within 1.3x).
 */
function compareEngines(runs: number): string {
  const istio: number[] = [];
  const lattice: number[] = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [[ISTIO_DEMO, istio], [DEMO, lattice]] as const : [[DEMO, lattice], [ISTIO_DEMO, istio]] as const;
    for (const [config, into] of order) into.push(runOnce(ROOT, config, PROJECT_SYNTH).seconds);
  }
  const ratio = median(istio) / median(lattice);
  const line = `target: demo synth with Istio within ${ISTIO_DEMO_MAX_RATIO}x of the Lattice demo, same run, interleaved: ${ratio <= ISTIO_DEMO_MAX_RATIO ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x; Istio ${fmt(istio)}, Lattice ${fmt(lattice)})`;
  console.log(`  ${line}`);
  return line;
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
    for (const command of COMMANDS.filter((c) => !config.commands || config.commands.includes(c.name))) {
      runOnce(ROOT, config, command); // warm the file cache; not counted
      const samples: Sample[] = Array.from({ length: runs }, () => runOnce(ROOT, config, command));
      waves.set(config.name, samples[0].waves);
      const secs = samples.map((x) => x.seconds);
      const med = median(secs);
      medians.set(`${config.name}|${command.name}`, med);
      const rss = median(samples.map((x) => x.maxRssMiB));
      console.log(`  ${config.name}, ${command.name}: ${fmt(secs)}, peak RSS ${rss.toFixed(0)} MiB, ${samples[0].stacks} stacks`);
      rows.push([config.name, command.name, String(samples[0].stacks), String(samples[0].waves), String(runs), med.toFixed(2), Math.min(...secs).toFixed(2), Math.max(...secs).toFixed(2), rss.toFixed(0)]);
      const target = config.targets?.[command.name];
      if (target !== undefined) {
        verdicts.push(`target: ${command.name}, ${config.name} config, median <= ${target} s: ${med <= target ? 'met' : 'MISSED'} (${med.toFixed(2)} s)`);
        verdicts.push(`target: ${command.name}, ${config.name} config, peak RSS <= 1024 MiB: ${rss <= 1024 ? 'met' : 'MISSED'} (${rss.toFixed(0)} MiB)`);
      }
    }
  }
  verdicts.push(compareEngines(runs));
  for (const base of baselines(process.env)) verdicts.push(compareWithBaseline(base, runs));
  // The multi-region variant, 1 and 3 regions in the same run (BENCH_REGIONS=none skips it).
  if (process.env.BENCH_REGIONS !== 'none') verdicts.push(...regionGrowth(Math.min(runs, 5)).lines);
  console.log(`\n${table(rows)}`);
  const half = medians.get(`10x50|${PROJECT_SYNTH.name}`);
  const full = medians.get(`10x100|${PROJECT_SYNTH.name}`);
  const demoWaves = waves.get(DEMO.name);
  if (demoWaves !== undefined) verdicts.push(`target: demo deploy waves <= ${DEMO_MAX_WAVES}: ${demoWaves <= DEMO_MAX_WAVES ? 'met' : 'MISSED'} (${demoWaves}; README, "Deploy waves")`);
  if (half && full) verdicts.push(`growth: 10x100 / 10x50 median = ${(full / half).toFixed(2)} (2.00 would be linear in services)`);
  console.log(['', ...verdicts, 'peak RSS is GNU time\'s max RSS: the largest single process of the command (cdktf synth runs the CLI and the app at once).'].join('\n'));
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
