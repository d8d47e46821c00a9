import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// Running Terraform offline: a CLI config that installs hashicorp/aws only from the local
// mirror, an environment with no AWS credentials, and plan results read from `-json` output.

export const MIRROR_ENV = 'TF_PROVIDER_MIRROR';
const AWS_PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** The mirror folder from the environment, checked; throws a message that says how to fix it. */
export function providerMirror(env: NodeJS.ProcessEnv = process.env): string {
  const mirror = env[MIRROR_ENV];
  if (!mirror) {
    throw new Error(`${MIRROR_ENV} is not set. Fix: export ${MIRROR_ENV}=<folder holding ${AWS_PROVIDER_DIR}/5.100.0/<os_arch>>, the offline mirror of the AWS provider`);
  }
  if (!fs.existsSync(path.join(mirror, AWS_PROVIDER_DIR))) {
    throw new Error(`${MIRROR_ENV}=${mirror} has no ${AWS_PROVIDER_DIR} folder. Fix: point it at the root of a filesystem mirror (the folder that contains registry.terraform.io)`);
  }
  return path.resolve(mirror);
}

/** Writes the CLI config: hashicorp/aws from the mirror, and nothing from any registry. */
export function writeCliConfig(file: string, mirror: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/*/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
}

/** No credentials, no metadata service, no prompts, no update checks. */
export function offlineEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('TF_')) env[k] = v;
  return { ...env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true' };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => reject(new Error(`could not run terraform (${e.message}). Fix: install Terraform >= 1.10 and put it on PATH`)));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
}

/** The change summary and error diagnostics from `terraform plan -json`. */
export function readPlanJson(stdout: string): { counts?: PlanCounts; errors: string[] } {
  let counts: PlanCounts | undefined;
  const errors: string[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.type === 'change_summary') counts = { add: msg.changes.add, change: msg.changes.change, destroy: msg.changes.remove };
    if (msg.type === 'diagnostic' && msg.diagnostic?.severity === 'error') errors.push(`${msg.diagnostic.summary}: ${msg.diagnostic.detail ?? ''}`.trim());
  }
  return { counts, errors };
}
