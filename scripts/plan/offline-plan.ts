import * as fs from 'fs';
import * as path from 'path';
import type { MeshConfig } from '../../config/load';
import { synthesize } from '../../stacks/synth';
import { stackWaves } from '../../stacks/order';
import { offlineEnv, providerMirror, readPlanJson, terraform, writeCliConfig, type PlanCounts } from './terraform';

// Offline plan of every AWS-only stack: synthesize in offline mode into a scratch folder,
// then init, validate and plan stack by stack in dependency order (stacks of one wave side by
// side). Upstream outputs that have no state come from the contracts' mocks, and are listed.

export interface StackPlan {
  stack: string;
  result: 'ok' | 'failed' | 'not planned offline (needs a live cluster)';
  counts?: PlanCounts;
  /** Upstream outputs the plan used mock values for, as `<stack>.<output>`. */
  mocked: string[];
  providers: string[];
  error?: string;
}

export interface OfflinePlanOptions {
  config: MeshConfig;
  /** Scratch folder for the synthesized output, state and CLI config; reused across runs. */
  workdir: string;
  env?: NodeJS.ProcessEnv;
  /** Stacks planned at once within a wave. */
  parallel?: number;
}

const EMPTY_STATE = { version: 4, terraform_version: '1.11.4', serial: 0, lineage: 'offline-plan-mock', outputs: {}, resources: [] };

function mockedInputs(stackJson: any): string[] {
  const remote = stackJson.data?.terraform_remote_state ?? {};
  return Object.entries<any>(remote).flatMap(([id, r]) => {
    const upstream = id.replace(/^upstream-/, '');
    const statePath = r.config?.path;
    const hasState = statePath && fs.existsSync(statePath) && Object.keys(JSON.parse(fs.readFileSync(statePath, 'utf8')).outputs ?? {}).length > 0;
    return hasState ? [] : Object.keys(r.defaults ?? {}).map((k) => `${upstream}.${k}`);
  });
}

/** Every upstream a stack reads gets an empty state file, so remote state falls back to its mocks. */
function seedUpstreamState(stackJson: any): void {
  for (const r of Object.values<any>(stackJson.data?.terraform_remote_state ?? {})) {
    const file = r.config?.path;
    if (file && !fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(EMPTY_STATE));
    }
  }
}

async function planStack(stack: string, dir: string, env: NodeJS.ProcessEnv): Promise<Pick<StackPlan, 'result' | 'counts' | 'error'>> {
  const steps: Array<[string, string[]]> = [
    ['init', ['init', '-input=false', '-no-color']],
    ['validate', ['validate', '-no-color']],
  ];
  for (const [name, args] of steps) {
    const run = await terraform(args, dir, env);
    if (run.code !== 0) return { result: 'failed', error: `terraform ${name} failed for ${stack}:\n${run.stderr || run.stdout}` };
  }
  const plan = await terraform(['plan', '-json', '-input=false', '-lock=false', '-refresh=false', '-no-color'], dir, env);
  const { counts, errors } = readPlanJson(plan.stdout);
  if (plan.code !== 0 || !counts) return { result: 'failed', error: `terraform plan failed for ${stack}:\n${errors.join('\n') || plan.stderr}` };
  return { result: 'ok', counts };
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

export async function runOfflinePlan(options: OfflinePlanOptions): Promise<StackPlan[]> {
  const mirror = providerMirror(options.env);
  const workdir = path.resolve(options.workdir);
  const cliConfig = path.join(workdir, 'terraform.rc');
  writeCliConfig(cliConfig, mirror);
  const outdir = path.join(workdir, 'cdktf.out');
  synthesize(options.config, { offlinePlan: true, stateDir: path.join(workdir, 'state') }, outdir);
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const env = offlineEnv(cliConfig);
  const report: StackPlan[] = [];
  for (const wave of stackWaves(manifest)) {
    const plans = await inBatches(wave, options.parallel ?? 2, async (stack): Promise<StackPlan> => {
      const dir = path.join(outdir, manifest.stacks[stack].workingDirectory);
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[stack].synthesizedStackPath), 'utf8'));
      const providers = Object.keys(json.terraform?.required_providers ?? {}).sort();
      const mocked = mockedInputs(json);
      if (providers.some((p) => p !== 'aws')) return { stack, result: 'not planned offline (needs a live cluster)', providers, mocked };
      seedUpstreamState(json);
      return { stack, providers, mocked, ...(await planStack(stack, dir, env)) };
    });
    report.push(...plans);
  }
  return report;
}

/** The summary table the CLI prints, then the mocked inputs of each stack by name. */
export function formatReport(report: StackPlan[]): string {
  const header = ['stack', 'add', 'change', 'destroy', 'mocked inputs', 'result'];
  const rows = report.map((r) => [r.stack, String(r.counts?.add ?? '-'), String(r.counts?.change ?? '-'), String(r.counts?.destroy ?? '-'), String(r.mocked.length), r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const mocked = report.filter((r) => r.mocked.length).map((r) => `  ${r.stack}: ${r.mocked.map((m) => `${m} (mocked)`).join(', ')}`);
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', mocked.length ? 'Mocked inputs (upstream not applied; a deploy never sees these):' : 'No mocked inputs.', ...mocked].join('\n');
}
