import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MIRROR_ENV } from './plan/terraform';

// `npm run mirror -- <folder>`: builds the filesystem mirror of the AWS provider that the offline
// plan installs from (TF_PROVIDER_MIRROR). It writes a one-file Terraform configuration that
// requires exactly the provider version the pinned @cdktf/provider-aws was generated for (the
// version every synthesized stack requires), and runs `terraform providers mirror` on it, which
// downloads from registry.terraform.io: it needs network access, once. HashiCorp, "terraform
// providers mirror command": the target folder gets the filesystem-mirror layout (.zip packages),
// which a filesystem_mirror block reads as is; -platform adds platforms, default is this one.

/** The provider the bindings were generated for: `cdktf.provider` in @cdktf/provider-aws's package.json. */
export function awsProviderPin(): { source: string; version: string } {
  const pkg = JSON.parse(fs.readFileSync(require.resolve('@cdktf/provider-aws/package.json'), 'utf8'));
  const { name, version } = pkg.cdktf.provider as { name: string; version: string };
  return { source: name.replace(/^registry\.terraform\.io\//, ''), version };
}

/** The Terraform configuration the mirror command reads (JSON syntax). */
export function mirrorConfig(pin = awsProviderPin()) {
  return { terraform: { required_providers: { aws: { source: pin.source, version: pin.version } } } };
}

const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
const USAGE = 'Usage: npm run mirror -- <folder> [--platform <os_arch>]... [--dry-run]';

export interface MirrorArgs {
  folder: string;
  platforms: string[];
  dryRun: boolean;
}

/** The command line, checked; throws a one-line message naming what is wrong and the usage. */
export function parseMirrorArgs(args: string[]): MirrorArgs {
  const parsed: MirrorArgs = { folder: '', platforms: [], dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--dry-run') parsed.dryRun = true;
    else if (arg === '--platform' || arg.startsWith('--platform=')) {
      const value = arg === '--platform' ? args[++i] : arg.slice('--platform='.length);
      if (!value || !PLATFORM.test(value)) throw new Error(`--platform takes an os_arch such as linux_amd64 or darwin_arm64, not "${value ?? ''}". ${USAGE}`);
      parsed.platforms.push(value);
    } else if (arg.startsWith('-')) throw new Error(`unknown option "${arg}". ${USAGE}`);
    else if (parsed.folder) throw new Error(`one folder only, got "${parsed.folder}" and "${arg}". ${USAGE}`);
    else parsed.folder = arg;
  }
  if (!parsed.folder) throw new Error(`name the folder to fill. ${USAGE}`);
  return parsed;
}

/** The terraform arguments, run in the folder holding mirrorConfig(). */
export const mirrorCommand = (folder: string, platforms: string[]) => ['providers', 'mirror', '-no-color', ...platforms.map((p) => `-platform=${p}`), path.resolve(folder)];

export interface MirrorRun {
  args: string[];
  /** Runs terraform in `cwd`; the real one spawns it. */
  terraform?: (args: string[], cwd: string) => { status: number | null; stderr: string; error?: Error };
  report?: (line: string) => void;
}

/** Terraform's first error (-no-color), summary and detail on one line, at most 240 characters. */
export function terraformError(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  const at = lines.findIndex((l) => l.startsWith('Error: '));
  if (at < 0) return undefined;
  const detail: string[] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line) break;
    detail.push(line);
  }
  const text = `${lines[at].slice('Error: '.length)}${detail.length ? `: ${detail.join(' ')}` : '.'}`;
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

function spawnTerraform(args: string[], cwd: string) {
  // No update check (CHECKPOINT_DISABLE): this command should reach only the registry.
  const run = spawnSync('terraform', args, { cwd, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' }, stdio: ['ignore', 'inherit', 'pipe'] });
  return { status: run.status, stderr: run.stderr ?? '', error: run.error };
}

/** `npm run mirror`: returns the export line to use on success; throws a one-line message otherwise. */
export function runMirror(run: MirrorRun): string {
  const { folder, platforms, dryRun } = parseMirrorArgs(run.args);
  const report = run.report ?? ((line: string) => console.error(line));
  const pin = awsProviderPin();
  const target = path.resolve(folder);
  const exportLine = `export ${MIRROR_ENV}=${target}`;
  if (dryRun) {
    report(`would run, in a folder holding main.tf.json ${JSON.stringify(mirrorConfig(pin))}:`);
    report(`  terraform ${mirrorCommand(target, platforms).join(' ')}`);
    return exportLine;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-mirror-'));
  try {
    fs.writeFileSync(path.join(work, 'main.tf.json'), `${JSON.stringify(mirrorConfig(pin), null, 2)}\n`);
    report(`mirroring ${pin.source} ${pin.version} into ${target} (downloads from registry.terraform.io)`);
    const result = (run.terraform ?? spawnTerraform)(mirrorCommand(target, platforms), work);
    if (result.error) throw new Error(`could not run terraform (${result.error.message}). Fix: install Terraform >= 1.10 and put it on PATH`);
    if (result.status !== 0) {
      const reason = terraformError(result.stderr) ?? `exit code ${result.status}`;
      throw new Error(`terraform providers mirror failed: ${reason} Fix: run it where registry.terraform.io is reachable, then copy ${target} to this machine`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return exportLine;
}

if (require.main === module) {
  try {
    const line = runMirror({ args: process.argv.slice(2) });
    console.log(line);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
