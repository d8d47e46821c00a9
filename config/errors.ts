/** One thing wrong with a config: where, and a message that carries the bad value and the fix. */
export interface Problem {
  path: ReadonlyArray<string | number>;
  message: string;
  /** Where the value sits in the config file, when it came from one (1-based). */
  at?: { line: number; column: number };
}

/**
 * The longest line a problem may print. Every problem line goes through `problemLine`, so no
 * message, however it was built, can flood a terminal with a whole catalog again.
 */
export const MAX_PROBLEM_LINE = 300;

const ELLIPSIS = '…';

/** `['accounts', 1, 'vpc', 'cidr']` → `accounts[1].vpc.cidr`, the way a user finds it in the file. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('') || '(root)';
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, Math.max(room - 1, 0))}${ELLIPSIS}`;
}

/**
 * `  - <path> (line L, column C): <message>`, at most MAX_PROBLEM_LINE characters. When a
 * message is too long its description is shortened first, so the fix stays readable.
 */
export function problemLine(p: Problem): string {
  const where = `  - ${clip(formatPath(p.path), 120)}${p.at ? ` (line ${p.at.line}, column ${p.at.column})` : ''}: `;
  const room = MAX_PROBLEM_LINE - where.length;
  if (p.message.length <= room) return where + p.message;
  const cut = p.message.indexOf(' Fix: ');
  if (cut < 0) return where + clip(p.message, room);
  const fix = p.message.slice(cut);
  const description = p.message.slice(0, cut);
  // Keep at least a third of the room for the description, then give the fix what is left.
  const forDescription = Math.max(Math.floor(room / 3), room - fix.length);
  const shownDescription = clip(description, forDescription);
  return where + shownDescription + clip(fix, room - shownDescription.length);
}

/** Thrown before any stack is built, so a bad config never leaves partial output behind. */
export class ConfigError extends Error {
  constructor(
    readonly problems: Problem[],
    what = 'config',
    /** Checks that could not run because what they read did not parse, each with the reason. */
    readonly skipped: string[] = [],
  ) {
    super(
      [
        `Invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
        ...problems.map(problemLine),
        ...(skipped.length ? ['Not checked yet, because the fields they read did not parse (run again after fixing the above):', ...skipped.map((s) => clip(`  - ${s}`, MAX_PROBLEM_LINE))] : []),
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}
