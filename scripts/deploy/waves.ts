import { quote } from 'shell-quote';
import { stackWaves, type StackManifest } from '../../app/order';

// `npm run deploy` and `npm run destroy`: one cdktf invocation per deploy wave, each started when
// the one before has finished. Why not one invocation naming every stack: cdktf refuses a stack
// set that leaves out a dependency (deploy) or a dependant (destroy), so with the S3 backend it
// would have to name `bootstrap` on destroy too; and the flag that lifts that check makes cdktf
// start every named stack at once, ignoring their order (@cdktf/cli-core 0.21.0,
// src/lib/cdktf-project.ts: `next` with ignoreMissingStackDependencies, parallelism -1). One wave
// per invocation keeps the order and lets each name only its own stacks, which share no
// dependency, so running them side by side is what cdktf would have done.

export type Action = 'deploy' | 'destroy';

/** The stack holding the S3 backend's state bucket: deployed first, destroyed only when asked. */
export const BOOTSTRAP = 'bootstrap';

/** Set on every wave: the output is synthesized once, before the first wave. */
export const FIXED_FLAGS = ['--skip-synth', '--ignore-missing-stack-dependencies'];

export interface WaveRun {
  stacks: string[];
  /** What follows `cdktf`. */
  args: string[];
}

export interface RunOptions {
  /** Destroy only: include the state bucket's stack, last. */
  includeBootstrap?: boolean;
  /** Extra cdktf arguments (`--auto-approve`, `--parallelism 1`, ...), added to every wave. */
  passthrough?: string[];
}

export function waveRuns(action: Action, manifest: StackManifest, options: RunOptions = {}): WaveRun[] {
  const waves = stackWaves(manifest);
  const ordered = action === 'deploy' ? waves : [...waves].reverse().map((w) => w.filter((s) => options.includeBootstrap || s !== BOOTSTRAP));
  return ordered.filter((w) => w.length > 0).map((stacks) => ({ stacks, args: [action, ...stacks, ...FIXED_FLAGS, ...(options.passthrough ?? [])] }));
}

/** The command line a user could paste to run one wave by hand. */
export const commandLine = (run: WaveRun) => `CHECKPOINT_DISABLE=1 npx cdktf ${quote(run.args)}`;

const OWN_OUTPUT = ['-o', '--output', '-a', '--app'];

/**
 * The extra arguments, checked: no stack names (every stack runs, wave by wave) and nothing that
 * would make cdktf read another output than the one synthesized for the waves. Flags the
 * script sets itself are dropped when repeated.
 */
export function checkPassthrough(action: Action, args: string[], stacks: string[]): string[] {
  for (const arg of args) {
    const flag = arg.split('=')[0];
    if (OWN_OUTPUT.includes(flag)) {
      throw new Error(`npm run ${action}: ${arg} is not allowed: the script synthesizes into cdktf.out and each wave reads it. Fix: drop ${flag}`);
    }
    if (!arg.startsWith('-') && (stacks.includes(arg) || /[*?[\]{}]/.test(arg))) {
      throw new Error(
        `npm run ${action}: "${arg}" looks like a stack; the script runs every stack, wave by wave. Fix: drop it, or run one stack on its own: CHECKPOINT_DISABLE=1 npx cdktf ${action} ${arg} --ignore-missing-stack-dependencies`,
      );
    }
  }
  return args.filter((a) => !FIXED_FLAGS.includes(a));
}
