/** One thing wrong with a config: where, and a message that carries the bad value and the fix. */
export interface Problem {
  path: ReadonlyArray<string | number>;
  message: string;
}

/** `['accounts', 1, 'vpc', 'cidr']` → `accounts[1].vpc.cidr`, the way a user finds it in the file. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('') || '(root)';
}

/** Thrown before any stack is built, so a bad config never leaves partial output behind. */
export class ConfigError extends Error {
  constructor(
    readonly problems: Problem[],
    what = 'config',
  ) {
    super(
      `Invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${formatPath(p.path)}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
