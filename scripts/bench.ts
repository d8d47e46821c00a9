import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// `npm run bench`: median wall time and peak memory of synthesizing every stack, each run a
// fresh process (this machine is shared and noisy, so medians over several runs, not one).
// Figures are printed, never asserted: performance targets are not tests.

interface Scenario {
  name: string;
  /** The command, as the user runs it; `{out}` is replaced by a fresh output folder. */
  command: string[];
  env?: Record<string, string>;
  target?: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');

const SCENARIOS: Scenario[] = [
  { name: 'project synth (node dist/main.js), demo config', command: ['node', 'dist/main.js'], env: { CDKTF_OUTDIR: '{out}' }, target: '<= 2 s median' },
  { name: 'cdktf synth, demo config', command: [CDKTF, 'synth', '--output', '{out}'], env: { CHECKPOINT_DISABLE: '1' } },
];

interface Sample {
  seconds: number;
  maxRssMiB: number;
}

/** One run under GNU time, which reports the child's wall time and peak resident set. */
function runOnce(s: Scenario): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));
  try {
    const fill = (v: string) => v.replace('{out}', out);
    const env = { ...process.env, ...Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, fill(v)])) };
    const run = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M', ...s.command.map(fill)], { cwd: ROOT, env, encoding: 'utf8' });
    const line = run.stderr.split('\n').find((l) => l.startsWith('BENCH '));
    if (run.status !== 0 || !line) throw new Error(`${s.name} failed:\n${run.stderr}`);
    const [, seconds, kib] = line.split(' ');
    return { seconds: Number(seconds), maxRssMiB: Number(kib) / 1024 };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  if (!fs.existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is needed to read peak memory. Fix: apt-get install time');
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  console.log(`synth benchmark: ${runs} runs each, ${os.cpus().length} CPUs, node ${process.version}`);
  const rows = SCENARIOS.map((s) => {
    runOnce(s); // warm the file cache; not counted
    const samples = Array.from({ length: runs }, () => runOnce(s));
    const secs = samples.map((x) => x.seconds);
    return [s.name, String(runs), median(secs).toFixed(2), Math.min(...secs).toFixed(2), Math.max(...secs).toFixed(2), median(samples.map((x) => x.maxRssMiB)).toFixed(0), s.target ?? ''];
  });
  const header = ['command', 'runs', 'median s', 'min s', 'max s', 'median peak RSS MiB', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

main();
