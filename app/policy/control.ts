import type { ControlId } from '../../config/policy-ids';
import type { PolicyInput, Resource } from './model';

/** One thing a control found wrong: where (the construct path a waiver names) and what. */
export interface Finding {
  resource: string;
  problem: string;
  /** Overrides the control's fix when the remedy depends on what was found. */
  fix?: string;
}

/** A named security rule checked over everything one synth produced. */
export interface Control {
  id: ControlId;
  /** One line: why the rule exists. */
  reason: string;
  /** What to change when the rule fails. */
  fix: string;
  check(input: PolicyInput): Finding[];
}

/** The problems that apply (the truthy ones), joined; undefined when none does. */
export function problemsOf(...candidates: Array<string | false | undefined>): string | undefined {
  const problems = candidates.filter((c): c is string => Boolean(c));
  return problems.length ? problems.join('; ') : undefined;
}

/** A finding for `resource` when `problem` is a message, none when it is undefined. */
export function findingsOf(resources: Resource[], problemOf: (r: Resource) => string | undefined): Finding[] {
  return resources.flatMap((r) => {
    const problem = problemOf(r);
    return problem ? [{ resource: r.path, problem }] : [];
  });
}
