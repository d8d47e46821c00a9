import * as fs from 'fs';
import * as path from 'path';
import type { MeshConfig } from '../../config/load';
import { notPlanned, prepareStacks, type StackPlan } from './offline-plan';
import { offlineEnv, providerMirror, terraform, writeCliConfig, type PlanCounts } from './terraform';

// The AWS-only stacks of several configs planned in ONE Terraform run, each stack a child
// module of a generated root. Terraform loads the AWS provider's schema (hundreds of MB) once
// per run instead of once per stack, which is most of a plan's time here. The test suite uses it
// for the examples; `npm run plan` keeps planning each stack on its own, as a user deploys it.
//
// What differs from a per-stack plan: a child module's backend block is ignored (Terraform
// warns; state is irrelevant to a plan of nothing applied), and provider blocks inside modules
// are the "legacy" form, which Terraform still plans. Everything each stack's configuration
// says about its resources is validated and planned as written.

export interface CombinedInput {
  /** A short label, unique among the inputs (becomes part of the module names). */
  label: string;
  config: MeshConfig;
}

const moduleName = (label: string, stack: string) => `${label}--${stack}`;

/** Planned resource changes per module, and error diagnostics, from `terraform plan -json`. */
function readCombinedPlan(stdout: string) {
  const counts = new Map<string, PlanCounts>();
  const errors: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.type === 'planned_change') {
      const module = String(msg.change.resource.module ?? '').replace(/^module\./, '');
      const c = counts.get(module) ?? { add: 0, change: 0, destroy: 0 };
      // As Terraform's own change summary counts them: a replacement is one add and one destroy.
      const action: string = msg.change.action;
      if (action === 'create' || action === 'replace') c.add += 1;
      if (action === 'update') c.change += 1;
      if (action === 'delete' || action === 'replace') c.destroy += 1;
      counts.set(module, c);
    }
    if (msg.type === 'diagnostic' && msg.diagnostic?.severity === 'error') {
      errors.push(`${msg.diagnostic.address ?? msg.diagnostic.range?.filename ?? ''}: ${msg.diagnostic.summary}: ${msg.diagnostic.detail ?? ''}`.trim());
    }
  }
  return { counts, errors };
}

export async function runCombinedOfflinePlan(options: { inputs: CombinedInput[]; workdir: string; env?: NodeJS.ProcessEnv }): Promise<StackPlan[]> {
  const workdir = path.resolve(options.workdir);
  const cliConfig = path.join(workdir, 'terraform.rc');
  writeCliConfig(cliConfig, providerMirror(options.env));
  const prepared = options.inputs.flatMap(({ label, config }) =>
    prepareStacks(config, path.join(workdir, label), undefined, () => {}).map((s) => ({ ...s, label, module: moduleName(label, s.stack) })),
  );
  const planned = prepared.filter((s) => s.awsOnly);
  const root = path.join(workdir, 'root');
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ module: Object.fromEntries(planned.map((s) => [s.module, { source: s.dir }])) }, null, 2));
  const env = offlineEnv(cliConfig);
  const init = await terraform(['init', '-input=false', '-no-color'], root, env);
  if (init.code !== 0) throw new Error(`terraform init of the combined plan failed:\n${init.stderr || init.stdout}`);
  const plan = await terraform(['plan', '-json', '-input=false', '-lock=false', '-refresh=false', '-no-color'], root, env);
  const { counts, errors } = readCombinedPlan(plan.stdout);
  const failedAll = plan.code !== 0 && errors.length === 0;
  return prepared.map(({ label, stack, module, awsOnly, providers, mocked }): StackPlan => {
    const name = `${label}/${stack}`;
    if (!awsOnly) return { stack: name, providers, mocked, result: notPlanned(providers) };
    const own = errors.filter((e) => e.includes(`module.${module}`) || e.includes(`${label}/cdktf.out/stacks/${stack}/`));
    if (own.length || failedAll) return { stack: name, providers, mocked, result: 'failed', error: own.join('\n') || plan.stderr };
    return { stack: name, providers, mocked, result: 'ok', counts: counts.get(module) ?? { add: 0, change: 0, destroy: 0 } };
  });
}
