import * as fs from 'fs';
import * as path from 'path';
import type { MeshConfig } from '../../config/load';
import { synthesize } from '../../app/synth';
import { stackWaves } from '../../app/order';
import { readManifest, readStackJson } from '../../app/synth-output';
import { offlineEnv, providerMirror, readPlanJson, terraform, writeCliConfig, type PlanCounts } from './terraform';

// Offline plan of every AWS-only stack: synthesize in offline mode into a scratch folder,
// then init and plan each stack, started in dependency order and reported in it. Nothing is
// applied, so no plan changes what another reads: upstream state files are seeded (empty) up
// front and stacks run side by side, `parallel` at a time, whatever their wave. Upstream outputs
// that have no state come from the contracts' mocks, and are listed.

export interface StackPlan {
  stack: string;
  /** Not planned: stacks with a provider besides aws (cluster ones, or one the mirror lacks). */
  result: 'ok' | 'failed' | typeof NEEDS_CLUSTER | `not planned offline (provider not in the offline mirror: ${string})`;
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
  /** Where TF_PROVIDER_MIRROR is read from (default process.env); terraform itself runs with process.env, scrubbed. */
  env?: NodeJS.ProcessEnv;
  /** Stacks initialized and planned at once (default 2: each plan runs a ~500 MiB provider). */
  parallel?: number;
  /** Plan only these stacks (all are still synthesized); every AWS-only stack when absent. */
  only?: string[];
  /** Run `terraform validate` before plan (default true; plan validates too, so tests may skip it for speed). */
  validate?: boolean;
  /** Where the synth's notices go (an engine's discontinuation warning); default stderr. */
  print?: (line: string) => void;
  /** Called as each stack's result is known, in the order they finish (the report keeps dependency order). */
  onResult?: (plan: StackPlan) => void;
}

const NEEDS_CLUSTER = 'not planned offline (needs a live cluster)';
/** Providers that talk to a Kubernetes API, which no offline plan can stand in for. */
const CLUSTER_PROVIDERS = new Set(['kubernetes', 'helm', 'kubectl']);

export function notPlanned(providers: string[]): StackPlan['result'] {
  const others = providers.filter((p) => p !== 'aws');
  return others.some((p) => CLUSTER_PROVIDERS.has(p)) ? NEEDS_CLUSTER : `not planned offline (provider not in the offline mirror: ${others.join(', ')})`;
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

async function planStack(stack: string, dir: string, env: NodeJS.ProcessEnv, validate: boolean): Promise<Pick<StackPlan, 'result' | 'counts' | 'error'>> {
  // `validate` runs on its own although plan validates too: it is the check users and CI name,
  // and it fails fast on a schema error before any provider configuration is evaluated.
  const steps = [['init', ['init', '-input=false', '-no-color']], ['validate', ['validate', '-no-color']]] as const;
  for (const [step, args] of validate ? steps : steps.slice(0, 1)) {
    const run = await terraform([...args], dir, env);
    if (run.code !== 0) return { result: 'failed', error: `terraform ${step} failed for ${stack}:\n${run.stderr || run.stdout}` };
  }
  const plan = await terraform(['plan', '-json', '-input=false', '-lock=false', '-refresh=false', '-no-color'], dir, env);
  const { counts, errors } = readPlanJson(plan.stdout);
  if (plan.code !== 0 || !counts) return { result: 'failed', error: `terraform plan failed for ${stack}:\n${errors.join('\n') || plan.stderr}` };
  return { result: 'ok', counts };
}

/** `work` over `items`, at most `size` at a time, started in order; results in input order. */
async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return results;
}

/** A synthesized stack, ready to plan: where it is, and whether the offline mirror can plan it. */
export interface PreparedStack {
  stack: string;
  dir: string;
  awsOnly: boolean;
  providers: string[];
  mocked: string[];
}

/**
 * Synthesizes `config` in offline mode into `<workdir>/cdktf.out` and lists its stacks in
 * dependency order; every upstream an AWS-only stack reads gets an empty state, so remote state
 * falls back to the contracts' mocks.
 */
export function prepareStacks(config: MeshConfig, workdir: string, only?: string[], print?: (line: string) => void): PreparedStack[] {
  const outdir = path.join(workdir, 'cdktf.out');
  synthesize(config, { offlinePlan: true, stateDir: path.join(workdir, 'state') }, outdir, print);
  const manifest = readManifest(outdir);
  return stackWaves(manifest)
    .flat()
    .filter((stack) => !only || only.includes(stack))
    .map((stack) => {
      const json = readStackJson(outdir, manifest, stack);
      const providers = Object.keys(json.terraform?.required_providers ?? {}).sort();
      const awsOnly = providers.every((p) => p === 'aws');
      if (awsOnly) seedUpstreamState(json);
      return { stack, dir: path.join(outdir, manifest.stacks[stack].workingDirectory), awsOnly, providers, mocked: mockedInputs(json) };
    });
}

export async function runOfflinePlan(options: OfflinePlanOptions): Promise<StackPlan[]> {
  const mirror = providerMirror(options.env);
  const workdir = path.resolve(options.workdir);
  const cliConfig = path.join(workdir, 'terraform.rc');
  writeCliConfig(cliConfig, mirror);
  const env = offlineEnv(cliConfig);
  const stacks = prepareStacks(options.config, workdir, options.only, options.print);
  return pool(stacks, options.parallel ?? 3, async ({ dir, awsOnly, ...s }): Promise<StackPlan> => {
    const plan: StackPlan = awsOnly ? { ...s, ...(await planStack(s.stack, dir, env, options.validate ?? true)) } : { ...s, result: notPlanned(s.providers) };
    options.onResult?.(plan);
    return plan;
  });
}

/** One stack's result as a line, printed as it finishes. */
export function formatProgress(plan: StackPlan): string {
  const counts = plan.counts ? ` (${plan.counts.add} to add, ${plan.counts.change} to change, ${plan.counts.destroy} to destroy${plan.mocked.length ? `, ${plan.mocked.length} mocked inputs` : ''})` : '';
  return `${plan.stack}: ${plan.result}${counts}`;
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
