import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// An earlier revision of this project, built in a scratch git worktree, so a performance target
// stated against "the time before a change" is measured in the same run as today's code (this
// machine is shared and noisy: figures from different runs do not compare).

export interface Baseline {
  rev: string;
  /** What changed since: printed next to the ratio. */
  label: string;
  /** The ratio today / baseline the demo's synth should stay within. */
  maxRatio: number;
}

/**
 * The revisions the project's performance targets are stated against: the demo's synth time
 * before VPC Lattice became the default engine, and before the config and limit checks.
 */
export const BASELINES: Baseline[] = [
  { rev: '18f23ab', label: 'before Lattice became the default engine', maxRatio: 1.2 },
  { rev: '0d2f08e', label: 'before the config-error and name-limit checks', maxRatio: 1.2 },
];

const git = (root: string, args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });

/**
 * Checks out `rev` into a scratch worktree that shares this checkout's node_modules (the
 * dependencies only grew since), builds it with this checkout's compiler, and returns its folder
 * and a cleanup; undefined with the reason when the revision is not in this clone.
 */
export function prepareBaseline(root: string, rev: string): { dir: string; dispose(): void } | { skipped: string } {
  if (git(root, ['cat-file', '-e', `${rev}^{commit}`]).status !== 0) return { skipped: `revision ${rev} is not in this clone (a shallow clone? fetch the history)` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-bench-${rev}-`));
  const added = git(root, ['worktree', 'add', '--detach', '--force', dir, rev]);
  if (added.status !== 0) return { skipped: `git worktree add ${rev} failed: ${added.stderr.trim()}` };
  const dispose = () => {
    git(root, ['worktree', 'remove', '--force', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const chain = path.join(root, 'services', 'chain-service', 'node_modules');
  if (fs.existsSync(chain) && fs.existsSync(path.join(dir, 'services', 'chain-service'))) fs.symlinkSync(chain, path.join(dir, 'services', 'chain-service', 'node_modules'), 'dir');
  // Type errors against today's dependency versions do not matter here: only the emitted main.js runs.
  spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
  if (!fs.existsSync(path.join(dir, 'dist', 'main.js'))) {
    dispose();
    return { skipped: `building ${rev} produced no dist/main.js` };
  }
  return { dir, dispose };
}
