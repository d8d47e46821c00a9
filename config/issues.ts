import type { z } from 'zod';
import type { Problem } from './errors';
import { brief, kindOf, nearest, oneOf } from './wording';

// Zod issues → problems a person can act on: the exact path (also inside a union such as the
// catalog, whose failure zod reports at the union), the bad value in short form, and the fix.

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** An issue with its full path, after the union it sat in (if any) was resolved to one branch. */
export interface FlatIssue {
  path: Path;
  issue: Issue;
}

/** What the schema at an issue knew that the finished issue no longer carries. */
interface Hint {
  /** Keys the object accepts, and which of them it requires. */
  keys?: string[];
  required?: string[];
  /** Values of a discriminated union's discriminator. */
  options?: string[];
}

const TOKEN = '\u0000zod-default:';

/**
 * Zod's per-parse error map: called only for issues whose schema has no message of its own.
 * It marks them (so they get worded here) and keeps what the schema instance knows.
 */
export class IssueReader {
  private readonly hints: Hint[] = [];

  readonly errorMap = (iss: z.core.$ZodRawIssue): string => {
    const def = (iss.inst as any)?._zod?.def;
    const hint: Hint = {};
    if (def?.type === 'object') {
      hint.keys = Object.keys(def.shape);
      hint.required = hint.keys.filter((k) => def.shape[k]._zod.optin !== 'optional');
    }
    if (iss.code === 'invalid_union' && def?.discriminator) {
      hint.options = def.options.flatMap((o: any) => [...(o._zod.def.shape[def.discriminator]._zod.values ?? [])].map(String));
    }
    this.hints.push(hint);
    return `${TOKEN}${this.hints.length - 1}`;
  };

  /** The hint of a default issue, or undefined when the schema gave the issue its own message. */
  private hintOf(issue: Issue): Hint | undefined {
    return issue.message.startsWith(TOKEN) ? this.hints[Number(issue.message.slice(TOKEN.length))] : undefined;
  }

  /** Every issue at its full path; a union's issues are those of the branch the input was meant for. */
  flatten(issues: readonly Issue[], base: Path = []): FlatIssue[] {
    return issues.flatMap((issue): FlatIssue[] => {
      const path = [...base, ...(issue.path as Path)];
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        const branch = chooseBranch(issue.errors);
        if (branch) return this.flatten(branch, path);
      }
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key], issue }));
      return [{ path, issue }];
    });
  }

  /** The problem an issue becomes. */
  problem({ path, issue }: FlatIssue): Problem {
    const hint = this.hintOf(issue);
    if (!hint) return { path, message: withValue(issue.message, issue.input) };
    return { path, message: word(issue, path, hint) };
  }
}

/**
 * The branch of a failed union that the input was written for: not one that rejected the input
 * as a whole (wrong type or value at the union itself), and of those the one with the fewest
 * issues. A catalog list is then checked as a list of services, not as the name "yelb".
 */
function chooseBranch(branches: Issue[][]): Issue[] | undefined {
  const fitting = branches.filter((b) => !b.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
  return fitting.sort((a, b) => a.length - b.length)[0];
}

/**
 * A schema's own message, with the bad value in front when the message starts with the verb
 * ("is not an EC2 instance type"); messages that name the value themselves start with it.
 */
function withValue(message: string, input: unknown): string {
  if (input === undefined || (input !== null && typeof input === 'object')) return message;
  return /^(is|must|does|has)\b/.test(message) ? `${brief(input)} ${message}` : message;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

const keyOf = (path: Path) => {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : undefined;
};

function word(issue: Issue, path: Path, hint: Hint): string {
  const key = keyOf(path);
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const fields = hint.required?.length ? ` with ${oneOf(hint.required)}` : '';
      const shape = issue.expected === 'object' ? `: { ${(hint.required ?? []).map((k) => `${k}: …`).join(', ')} }` : '';
      if (input === undefined) return `is missing; it takes ${expected}${fields}. Fix: add ${key ?? 'it'}${shape}`;
      if (input === null) return `is empty; it takes ${expected}${fields}. Fix: give ${key ?? 'it'} a value${shape}, or remove it`;
      const found = `${brief(input)} is ${kindOf(input)}; ${key ?? 'it'} takes ${expected}${fields}`;
      if (issue.expected === 'number' && typeof input === 'string' && /^-?\d+(\.\d+)?$/.test(input.trim())) return `${found}. Fix: write it without quotes: ${key ?? 'value'}: ${input.trim()}`;
      if (issue.expected === 'int' && typeof input === 'number') return `${input} is not a whole number. Fix: use e.g. ${Math.round(input)}`;
      if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) return `${found}. Fix: quote it: ${key ?? 'value'}: "${input}"`;
      if (issue.expected === 'array' && input !== null && typeof input !== 'object') return `${found}. Fix: write a list: ${key ?? 'value'}: [${typeof input === 'string' ? input : brief(input)}]`;
      if (issue.expected === 'object') return `${found}. Fix: write ${key ?? 'it'} as a mapping${shape}`;
      if (issue.expected === 'record') return `${found}. Fix: write ${key ?? 'it'} as a mapping of name: value pairs`;
      return `${found}. Fix: give ${key ?? 'it'} ${expected}`;
    }
    case 'invalid_value': {
      const choices = issue.values.map(String);
      if (input === undefined) return `is missing; it takes one of ${oneOf(choices)}. Fix: add ${key ?? 'it'}: ${choices[0]}, or another of these`;
      const near = typeof input === 'string' ? nearest(input, choices) : undefined;
      return `${brief(input)} is not one of ${oneOf(choices)}. Fix: use ${near !== undefined ? JSON.stringify(near) : 'one of these'}`;
    }
    case 'unrecognized_keys': {
      const unknown = String(path[path.length - 1]);
      const near = nearest(unknown, hint.keys ?? []);
      return near
        ? `"${unknown}" is not a known key; did you mean "${near}"? Fix: rename ${unknown} to ${near}`
        : `"${unknown}" is not a known key. Fix: remove it, or use one of ${oneOf(hint.keys ?? [])}`;
    }
    case 'invalid_union': {
      if (hint.options) {
        const value = issue.discriminator && input && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : input;
        const near = typeof value === 'string' ? nearest(value, hint.options) : undefined;
        return `${brief(value)} is not one of ${oneOf(hint.options)}. Fix: use ${near ? JSON.stringify(near) : 'one of these'}`;
      }
      const values = issue.errors.flatMap((b) => b.flatMap((i) => (i.code === 'invalid_value' && i.path.length === 0 ? i.values.map((v) => JSON.stringify(v)) : [])));
      const types = issue.errors.flatMap((b) => b.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [EXPECTED[i.expected] ?? i.expected] : [])));
      return `${brief(input)} is none of the accepted forms (${oneOf([...values, ...types])}). Fix: use one of them`;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      if (issue.origin === 'array') return `has ${Array.isArray(input) ? input.length : '?'} items; ${small ? 'at least' : 'at most'} ${limit} allowed. Fix: ${small ? 'add' : 'remove'} items`;
      if (issue.origin === 'string') return `${brief(input)} is too ${small ? 'short' : 'long'}: ${small ? 'at least' : 'at most'} ${limit} characters. Fix: ${small ? 'give it a value' : 'shorten it'}`;
      return `${brief(input)} is ${small ? 'below the minimum' : 'above the maximum'} of ${limit}. Fix: use ${small ? 'at least' : 'at most'} ${limit}`;
    }
    case 'invalid_format': {
      if (issue.format === 'starts_with') {
        const prefix = (issue as z.core.$ZodIssueStringStartsWith).prefix;
        return `${brief(input)} must start with "${prefix}". Fix: e.g. "${prefix}${String(input ?? '').replace(/^\/*/, '')}"`;
      }
      return `${brief(input)} does not match ${issue.pattern ?? issue.format}. Fix: use a value of that form`;
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const rule = inner?.code === 'invalid_format' ? inner.pattern ?? inner.format : 'the key format';
      return `the key ${brief(input)} does not match ${rule}. Fix: rename it`;
    }
    default:
      return `${brief(input)} is not accepted here. Fix: see the README section "Configuration"`;
  }
}
