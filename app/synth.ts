import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { type MeshConfig } from '../config/load';
import { loadConfig } from './config';
import type { SynthSettings } from '../stacks/context';
import { buildStacks } from './app';
import { enforcePolicy } from './policy/check';
import { readSynthesizedStacks } from './policy/model';
import { engineFor } from '../engines/registry';
import { enforceNameLimits } from './limits/check';
import { withoutTokenStackTraces } from './token-traces';

/** Settings from the environment; only main.ts and scripts call this. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): SynthSettings {
  const offlinePlan = env.MESH_OFFLINE_PLAN === '1';
  return {
    offlinePlan,
    stateDir: path.resolve(env.MESH_STATE_DIR ?? (offlinePlan ? '.offline-plan/state' : 'state')),
  };
}

/** Whether cdktf-cli started this process: its synth sets this context key (@cdktf/cli-core 0.21.0, src/lib/synth-stack.ts). */
export function startedByCdktfCli(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    return 'cdktfRelativeModules' in JSON.parse(env.CDKTF_CONTEXT_JSON ?? '{}');
  } catch {
    return false;
  }
}

const stackFolders = (outdir: string): string[] => {
  const stacks = path.join(outdir, 'stacks');
  return fs.existsSync(stacks) ? fs.readdirSync(stacks, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
};

/** Terraform's working files from an earlier synth, kept so a re-synth does not force a re-init. */
function carryOverWorkingFiles(from: string, to: string): void {
  const stacks = path.join(from, 'stacks');
  if (!fs.existsSync(stacks)) return;
  for (const stack of fs.readdirSync(stacks)) {
    const target = path.join(to, 'stacks', stack);
    if (!fs.existsSync(target)) continue;
    for (const file of ['.terraform', '.terraform.lock.hcl']) {
      const source = path.join(stacks, stack, file);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(target, file));
    }
  }
}

export interface SwapOptions {
  /**
   * cdktf-cli runs this app (see startedByCdktfCli). The CLI lists the output's stack folders
   * before it starts the app and, once the app is done, deletes each one the new manifest does
   * not name, with an rmSync that fails when the folder is missing (@cdktf/cli-core 0.21.0,
   * src/lib/synth-stack.ts, SynthStack.synth: existingDirectories, orphanedDirectories). The swap
   * replaces the whole folder, so a stack that went away would already be gone: for the CLI, an
   * empty folder is left in its place, which the CLI then deletes.
   */
  cdktfCli?: boolean;
}

/**
 * Synthesizes every stack into a staging folder and swaps it in only when all of them
 * succeeded, so an error (a bad catalog, a security policy violation) never leaves partial output.
 */
export function synthesize(
  config: MeshConfig,
  settings: SynthSettings,
  outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out',
  print: (line: string) => void = (l) => console.warn(l),
  swap: SwapOptions = {},
): App {
  const notice = engineFor(config).notice;
  if (notice) print(notice);
  const final = path.resolve(outdir);
  // A sibling of the final folder, so relative state paths computed against it stay right.
  const staging = `${final}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(final), { recursive: true });
  let app: App;
  try {
    app = withoutTokenStackTraces(() => {
      const built = new App({ outdir: staging });
      buildStacks(built, config, settings);
      built.synth();
      return built;
    });
    // Name limits and the security controls read what Terraform will see; both throw before the swap.
    const stacks = readSynthesizedStacks(staging);
    enforceNameLimits(stacks, config);
    enforcePolicy(stacks, config.policy.waivers);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const kept = new Set(stackFolders(staging));
  const gone = stackFolders(final).filter((stack) => !kept.has(stack));
  carryOverWorkingFiles(final, staging);
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(staging, final);
  if (swap.cdktfCli) for (const stack of gone) fs.mkdirSync(path.join(final, 'stacks', stack), { recursive: true });
  return app;
}

/** What `main.ts` does: config from MESH_CONFIG (or the demo), settings and output folder from the environment. */
export function synthesizeFromEnv(env: NodeJS.ProcessEnv = process.env): App {
  return synthesize(loadConfig(env), settingsFromEnv(env), env.CDKTF_OUTDIR ?? 'cdktf.out', undefined, { cdktfCli: startedByCdktfCli(env) });
}
