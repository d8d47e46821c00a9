import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from './errors';
import type { FlatIssue } from './issues';

// A config file as YAML wrote it: the text of every scalar and where it sits. The schema sees
// only the values YAML made of the text, and YAML makes numbers of unquoted digits: an account
// id 012345678901 becomes 12345678901 and a version 1.30 becomes 1.3. This keeps the text so the
// loader can tell the user what happened and how to quote it.

type Path = ReadonlyArray<string | number>;

/**
 * Fields whose value is text that people write as a bare number: ids and versions, and the
 * fields that name an account (where an id is the likely mistake, which the rules then name).
 * A number there is taken as the text it was written as, but only when that is exactly the text
 * the number prints as, so nothing is lost: 111111111111 and 1.35 are kept, 012345678901 and
 * 1.30 are not. Elsewhere (env values, quantities) a number is reported, not converted.
 */
const NUMBER_AS_TEXT: ReadonlyArray<Path> = [
  ['accounts', '*', 'id'],
  ['accounts', '*', 'cluster', 'version'],
  ['mesh', 'owner'],
  ['backend', 'account'],
];

const matches = (pattern: Path, path: Path) => pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i]);

export class YamlSource {
  private constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The document, or the first syntax error with its position. */
  static parse(text: string): { source: YamlSource; value: unknown } | { error: string } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    if (doc.errors.length > 0) return { error: doc.errors[0].message.split('\n')[0] };
    return { source: new YamlSource(doc, lines), value: doc.toJS() };
  }

  /** The node at `path`, or the deepest one on the way when the rest is missing. */
  private walk(path: Path): { node: Node | undefined; found: boolean } {
    let node = this.doc.contents as Node | null | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.doc);
      let next: Node | null | undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment));
        next = (pair?.value as Node | null) ?? (pair?.key as Node | undefined);
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment] as Node | undefined;
      }
      if (!next) return { node: node ?? undefined, found: false };
      node = next;
    }
    return { node: node ?? undefined, found: true };
  }

  /** Line and column of the value at `path` (or of the mapping a missing key belongs in). */
  locate(path: Path): Problem['at'] {
    const start = this.walk(path).node?.range?.[0];
    if (start === undefined) return undefined;
    const { line, col } = this.lines.linePos(start);
    return { line, column: col };
  }

  /** The text of an unquoted number at `path`, as written. */
  numberText(path: Path): string | undefined {
    const { node, found } = this.walk(path);
    return found && isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number' ? node.source : undefined;
  }
}

/** The issue says the field takes text (a string, or one of a list of strings). */
function takesText(issue: FlatIssue['issue']): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'string';
  if (issue.code === 'invalid_value') return issue.values.length > 0 && issue.values.every((v) => typeof v === 'string');
  return false;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
}

/**
 * Where a field takes text and YAML read a number: keeps the written text when nothing is lost
 * and the field is one written as a bare number; reports the trap when the number changed the text.
 * Returns the input to check again (with the written text in place) and the problems found.
 */
export function readNumbersAsWritten(raw: unknown, issues: FlatIssue[], source: YamlSource): { raw: unknown; problems: Problem[]; changed: boolean } {
  const copy = structuredClone(raw);
  const problems: Problem[] = [];
  let changed = false;
  for (const { path, issue } of issues) {
    if (typeof issue.input !== 'number' || !takesText(issue)) continue;
    const text = source.numberText(path);
    if (text === undefined) continue;
    const lossless = text === String(issue.input);
    if (lossless && !NUMBER_AS_TEXT.some((p) => matches(p, path))) continue;
    if (!lossless) {
      const key = typeof path[path.length - 1] === 'string' ? `${path[path.length - 1]}: ` : '';
      problems.push({ path, message: `${text} is read by YAML as the number ${issue.input}, not as the text "${text}", so it must be quoted. Fix: quote it: ${key}"${text}"` });
    }
    // Either way the check goes on with the value as written, to report what else is wrong with it.
    setAt(copy, path, text);
    changed = true;
  }
  return { raw: copy, problems, changed };
}
