import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaleConfig } from '../../config/scale';
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

/** Generated scale configs, written to a scratch folder: the target case and the one with half the services. */
function scaleConfigs(): BenchConfig[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-configs-'));
  return [
    { accounts: 10, services: 50 },
    { accounts: 10, services: 100, targets: { [PROJECT_SYNTH.name]: 10 } },
  ].map(({ accounts, services, targets }) => {
    const file = path.join(dir, `scale-${accounts}x${services}.json`);
    fs.writeFileSync(file, JSON.stringify(scaleConfig(accounts, services)));
    return { name: `${accounts}x${services}`, env: { MESH_CONFIG: file }, targets };
  });
}

const DEMO: BenchConfig = { name: 'demo', env: {}, targets: { [PROJECT_SYNTH.name]: 2 } };

/** The demo's stack graph deploys in at most this many sequential waves (README, "Deploy waves"). */
const DEMO_MAX_WAVES = 4;

function configs(env: NodeJS.ProcessEnv): BenchConfig[] {
  const extra = (env.BENCH_CONFIGS ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of extra) if (!fs.existsSync(path.resolve(ROOT, f))) throw new Error(`BENCH_CONFIGS: no such file ${f}. Fix: a path relative to ${ROOT}`);
  return [DEMO, ...scaleConfigs(), ...extra.map((f) => ({ name: path.basename(f), env: { MESH_CONFIG: path.resolve(ROOT, f) } }))];
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
