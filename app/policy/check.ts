import type { Control, Finding } from './control';
import type { ControlId } from '../../config/policy-ids';
import { CONTROLS } from './controls';
import { PolicyInput, type SynthesizedStack } from './model';

/** A config's written exception to one control for one resource (its construct path). */
export interface Waiver {
  control: ControlId;
  resource: string;
  reason: string;
}

export interface Violation extends Finding {
  control: Control;
}

export interface PolicyReport {
  violations: Violation[];
  waived: { waiver: Waiver; violation: Violation }[];
  /** Waivers that matched nothing: a stale exception hides the next real violation. */
  unused: Waiver[];
}

export function evaluatePolicy(stacks: SynthesizedStack[], waivers: readonly Waiver[] = [], controls: Control[] = CONTROLS): PolicyReport {
  const input = new PolicyInput(stacks);
  const report: PolicyReport = { violations: [], waived: [], unused: [] };
  const used = new Set<Waiver>();
  for (const control of controls) {
    for (const finding of control.check(input)) {
      const violation = { ...finding, control };
      const waiver = waivers.find((w) => w.control === control.id && w.resource === finding.resource);
      if (waiver) {
        used.add(waiver);
        report.waived.push({ waiver, violation });
      } else report.violations.push(violation);
    }
  }
  report.unused = waivers.filter((w) => !used.has(w));
  return report;
}

const describe = (v: Violation) => `  - [${v.control.id}] ${v.resource}: ${v.problem}.\n      Why: ${v.control.reason}\n      Fix: ${v.fix ?? v.control.fix}`;

export class PolicyError extends Error {
  constructor(readonly report: PolicyReport) {
    const parts = [];
    if (report.violations.length) {
      parts.push(
        `Security policy: ${report.violations.length} violation${report.violations.length === 1 ? '' : 's'}; nothing was written.`,
        ...report.violations.map(describe),
        '  To accept one knowingly, add to the config: policy.waivers: [{ control: <id>, resource: <path above>, reason: <why> }]',
      );
    }
    if (report.unused.length) {
      parts.push(
        `Security policy: ${report.unused.length} waiver${report.unused.length === 1 ? '' : 's'} match${report.unused.length === 1 ? 'es' : ''} nothing; remove ${report.unused.length === 1 ? 'it' : 'them'} from policy.waivers:`,
        ...report.unused.map((w) => `  - [${w.control}] ${w.resource}`),
      );
    }
    super(parts.join('\n'));
    this.name = 'PolicyError';
  }
}

/** The line printed for each waiver in force, at every synth. */
export const waiverLine = ({ waiver }: PolicyReport['waived'][number]) => `policy waiver: [${waiver.control}] ${waiver.resource}: ${waiver.reason}`;

/**
 * Checks a synth's output; prints every waiver in force and throws a PolicyError on any
 * violation or unused waiver.
 */
export function enforcePolicy(stacks: SynthesizedStack[], waivers: readonly Waiver[], print: (line: string) => void = (l) => console.warn(l)): PolicyReport {
  const report = evaluatePolicy(stacks, waivers);
  report.waived.forEach((w) => print(waiverLine(w)));
  if (report.violations.length || report.unused.length) throw new PolicyError(report);
  return report;
}
