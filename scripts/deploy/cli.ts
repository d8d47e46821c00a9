import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { configSource } from '../../config/load';
import { loadConfig } from '../../app/config';
import { settingsFromEnv, synthesize } from '../../app/synth';
import { readManifest } from '../../app/synth-output';
import { describeSource, lookalikeWarning } from '../../app/synth-summary';
import { BOOTSTRAP, checkPassthrough, commandLine, waveRuns, type Action } from './waves';

// `npm run deploy [-- <cdktf flags>] [--dry-run]` and `npm run destroy [-- ...] [--include-bootstrap]`:
// synthesizes the config in MESH_CONFIG (or the demo) once into cdktf.out, then runs
// `cdktf deploy|destroy` wave by wave (waves.ts says why), stopping at the first wave that fails.

const OUTDIR = 'cdktf.out';
const USAGE = 'usage: npm run deploy -- [--dry-run] [cdktf deploy flags, e.g. --auto-approve] | npm run destroy -- [--dry-run] [--include-bootstrap] [cdktf destroy flags]';

export interface Parsed {
  action: Action;
  dryRun: boolean;
  includeBootstrap: boolean;
  /** Everything else, for cdktf. */
  passthrough: string[];
}

export function parseArgs(argv: string[]): Parsed {
  const [action, ...rest] = argv;
  if (action !== 'deploy' && action !== 'destroy') throw new Error(`unknown action ${JSON.stringify(action)}. Fix: ${USAGE}`);
  const includeBootstrap = rest.includes('--include-bootstrap');
  if (includeBootstrap && action === 'deploy') throw new Error(`--include-bootstrap is for npm run destroy; npm run deploy always deploys bootstrap first. Fix: drop --include-bootstrap`);
  return { action, dryRun: rest.includes('--dry-run'), includeBootstrap, passthrough: rest.filter((a) => a !== '--dry-run' && a !== '--include-bootstrap') };
}

export function run(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): number {
  const args = parseArgs(argv);
  if (!fs.existsSync(path.join(cwd, 'cdktf.json'))) throw new Error(`no cdktf.json in ${cwd}. Fix: run npm run ${args.action} in the project folder`);
  const settings = settingsFromEnv(env);
  // Offline-plan output has placeholder credentials and no account guard: never deployable.
  if (settings.offlinePlan) throw new Error(`MESH_OFFLINE_PLAN=${env.MESH_OFFLINE_PLAN} is set, which synthesizes placeholder credentials for the offline plan. Fix: unset MESH_OFFLINE_PLAN`);
  const cdktf = path.join(cwd, 'node_modules', '.bin', 'cdktf');
  if (!args.dryRun && !fs.existsSync(cdktf)) throw new Error(`${cdktf} is missing. Fix: npm ci`);

  const source = configSource(env);
  for (const warning of lookalikeWarning(source)) console.warn(warning);
  const config = loadConfig(env);
  const outdir = path.join(cwd, OUTDIR);
  synthesize(config, settings, outdir);
  const manifest = readManifest(outdir);
  const stacks = Object.keys(manifest.stacks);
  const passthrough = checkPassthrough(args.action, args.passthrough, stacks);
  const runs = waveRuns(args.action, manifest, { includeBootstrap: args.includeBootstrap, passthrough });
  const count = runs.reduce((n, r) => n + r.stacks.length, 0);

  console.log(`${args.action}: ${count} stacks from ${describeSource(source, cwd)}, engine ${config.mesh.engine}, in ${runs.length} waves; each wave starts when the one before has finished.`);
  if (args.action === 'destroy' && stacks.includes(BOOTSTRAP)) {
    console.log(
      args.includeBootstrap
        ? `${BOOTSTRAP} goes last. Terraform refuses while its bucket has prevent_destroy (stacks/bootstrap-stack.ts), and S3 deletes only an empty bucket (every object version).`
        : `${BOOTSTRAP} is kept: its bucket holds the state of every stack. Pass --include-bootstrap to destroy it too.`,
    );
  }
  const childEnv = { ...env, CHECKPOINT_DISABLE: '1' };
  for (const [i, wave] of runs.entries()) {
    console.log(`\nwave ${i + 1}/${runs.length}: ${args.action} ${wave.stacks.join(', ')}\n  $ ${commandLine(wave)}`);
    if (args.dryRun) continue;
    const result = spawnSync(cdktf, wave.args, { cwd, env: childEnv, stdio: 'inherit' });
    const code = result.status ?? 1;
    if (code !== 0) {
      const later = runs.slice(i + 1).flatMap((r) => r.stacks);
      console.error(
        `\nwave ${i + 1}/${runs.length} failed (cdktf exited with ${result.error?.message ?? code}); ${later.length ? `not started: ${later.join(', ')}` : 'it was the last wave'}. Fix the error above and run npm run ${args.action} again: stacks already done have nothing left to change.`,
      );
      return code;
    }
  }
  console.log(args.dryRun ? `\ndry run: nothing was ${args.action}ed. The same command without --dry-run runs the waves above.` : `\n${args.action}ed ${count} stacks in ${runs.length} waves.`);
  return 0;
}

if (require.main === module) {
  try {
    process.exit(run(process.argv.slice(2), process.env));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
