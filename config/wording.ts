import { distance } from 'fastest-levenshtein';

// Small pieces every config message is built from: a bad value in short form, a list of
// choices, and the choice a typo most likely meant.

const SHORT = 40;

function cut(text: string, max = SHORT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A value as a message shows it: strings quoted, lists and mappings by their size or keys,
 * never the whole input (a catalog printed on one line helps nobody find the mistake).
 */
export function brief(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(cut(value));
  if (typeof value !== 'object') return String(value);
  const json = JSON.stringify(value);
  if (json.length <= SHORT) return json;
  if (Array.isArray(value)) return `a list of ${value.length} items`;
  return `{ ${cut(Object.keys(value).join(', '), SHORT - 4)} }`;
}

/** What kind of value this is, in the words a YAML user knows. */
export function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

/** Distinct choices, at most `max` of them, comma-separated. */
export function oneOf(values: ReadonlyArray<unknown>, max = 12): string {
  const distinct = [...new Set(values.map(String))];
  return distinct.length <= max ? distinct.join(', ') : `${distinct.slice(0, max).join(', ')}, …`;
}

/**
 * The choice `word` most likely meant: the same word in another case, or the closest by edit
 * distance when it is close enough to be a typo (a third of the word's length, at least 2 edits,
 * 1 for words of three letters or fewer),
 * or one that contains it (`instanceType` → `instanceTypes`). None when nothing is that close.
 */
export function nearest(word: string, choices: ReadonlyArray<string>): string | undefined {
  if (choices.length === 0) return undefined;
  const lower = word.toLowerCase();
  const sameCase = choices.find((c) => c.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const ranked = choices.map((c) => ({ c, d: distance(lower, c.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = ranked[0];
  const allowed = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  if (best.d <= allowed) return best.c;
  return lower.length >= 4 ? choices.find((c) => c.toLowerCase().startsWith(lower) || lower.startsWith(c.toLowerCase())) : undefined;
}
