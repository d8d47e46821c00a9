import type { MeshConfig } from '../../config/load';
import { ConfigError, formatPath, type Problem } from '../../config/errors';
import { PolicyInput, type SynthesizedStack } from '../policy/model';
import { LIMITS, nameProblem } from '../../modules/limits/table';
import { derivedNames, latticeNameClashes, type DerivedName } from './targets';
import { configOrigins, decompose, type Origin, type Segment } from './provenance';

// The synth-time check of every derived name against modules/limits/table.ts, run over what cdktf wrote
// (like the security controls), so no name escapes it whichever module derived it. A name past
// its limit stops synthesis naming the config fields that produced it and the fix; names that may
// be shortened were shortened where they were derived (modules/limits/fit.ts) and arrive here fitting.

/** A value in a message: whole when short, else its start and end. */
const shown = (value: string) => JSON.stringify(value.length <= 24 ? value : `${value.slice(0, 14)}…${value.slice(-6)}`);

const fieldList = (origins: Origin[]) => origins.map((o) => formatPath(o.path)).join(' or ');

function describeParts(segments: Segment[], primary: Origin, lengths: boolean): string {
  return segments
    .map((s) => (s.origins.includes(primary) ? null : `${fieldList(s.origins)} ${shown(s.origins[0].value)}${lengths ? ` (${s.origins[0].value.length} chars)` : ''}`))
    .filter((x): x is string => x !== null)
    .join(' + ');
}

/** A value of the primary field that would make the name fit, when simple clean-up finds one. */
function suggestion(derived: DerivedName, segment: Segment): string | undefined {
  const { value, field } = segment.origins[0];
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
  if (!cleaned || cleaned === value) return undefined;
  const name = derived.name.slice(0, segment.start) + cleaned + derived.name.slice(segment.end);
  if (nameProblem(derived.limit, name)) return undefined;
  return field ? field.replace(value, cleaned) : cleaned;
}

function problemFor(derived: DerivedName, reason: string, origins: Origin[]): Problem {
  const limit = LIMITS[derived.limit];
  const what = derived.what ?? limit.what;
  const segments = decompose(derived.name, origins);
  const all = segments.flatMap((s) => s.origins);
  if (all.length === 0) {
    return { path: [derived.where], message: `${what} ${shown(derived.name)} ${reason}, and no config field produced it. Fix: this is a bug in the project; report it with this line` };
  }
  const primary = all.reduce((best, o) => (o.rank > best.rank ? o : best));
  const primarySegment = segments.find((s) => s.origins.includes(primary))!;
  const over = limit.max !== undefined && derived.name.length > limit.max ? derived.name.length - limit.max : 0;
  const others = describeParts(segments, primary, over > 0);
  const whole = segments.length === 1 && primarySegment.start === 0 && primarySegment.end === derived.name.length;
  const subject = whole ? `${shown(primary.value)} is the ${what}` : `${shown(primary.value)}${others ? ` with ${others}` : ''} gives the ${what} ${shown(derived.name)}`;
  const fields = [...new Set(all.map((o) => formatPath(o.path)))];
  const example = suggestion(derived, primarySegment);
  const characters = `${over} character${over === 1 ? '' : 's'}`;
  const shorten = fields.length === 1 ? `shorten ${fields[0]} by ${characters}` : `shorten them by ${characters} in total`;
  const fix = over > 0 ? shorten : `change ${formatPath(primary.path)} accordingly${example ? `, e.g. "${example}"` : ''}`;
  return { path: primary.path, message: `${subject}${derived.note ? ` (${derived.note})` : ''}, which ${reason}. Fix: ${fix}` };
}

/** Every derived name past its limit, and every Lattice service name two routes would share. */
export function nameLimitProblems(stacks: SynthesizedStack[], config: MeshConfig): Problem[] {
  const input = new PolicyInput(stacks);
  const origins = configOrigins(config);
  const problems: Problem[] = [];
  for (const derived of derivedNames(input)) {
    const reason = nameProblem(derived.limit, derived.name);
    if (reason) problems.push(problemFor(derived, reason, origins));
  }
  for (const clash of latticeNameClashes(input)) {
    const paths = clash.routes.map((r) => formatPath(origins.find((o) => o.path[0] === 'catalog' && o.path[2] === 'name' && o.value === r)?.path ?? [r]));
    problems.push({
      path: ['catalog'],
      message: `${paths.join(' and ')} share their first 20 characters, so the Gateway API controller names both Lattice services "${clash.name}" and one replaces the other. Fix: make the names differ within their first 20 characters`,
    });
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Throws a ConfigError (before anything is written) when a derived name breaks its limit. */
export function enforceNameLimits(stacks: SynthesizedStack[], config: MeshConfig): void {
  const problems = nameLimitProblems(stacks, config);
  if (problems.length) throw new ConfigError(problems);
}
