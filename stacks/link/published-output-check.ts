import { Fn, Op, propertyAccess, ref, type TerraformStack } from 'cdktf';
import { remoteStateBlock } from './state-backend';
import type { StackContext } from '../context';

// A stack may use a value another stack also publishes, without waiting for that stack: the
// value is derived (an App Mesh ARN follows from the mesh, the account that creates the resource
// and its name), so both deploy in the same wave. A Terraform `check` then reads the producer's
// state and compares.
// Checks warn and never fail a plan, so a first deploy with the producer still pending goes
// through, and every later plan says when the two sides disagree.

/** A value this stack derived that `producer` publishes as `output[key]`. */
export interface AssumedOutput {
  producer: string;
  output: string;
  key: string;
  value: string;
}

/** Terraform identifiers allow letters, digits, `_` and `-`; stack names already fit. */
const checkName = (producer: string) => `published-${producer}`;

/** One `check` block per producer, with its state read by a data source scoped to the check. */
export function checkAssumedOutputs(stack: TerraformStack, ctx: StackContext, assumed: AssumedOutput[]): void {
  const byProducer = new Map<string, AssumedOutput[]>();
  for (const a of assumed) byProducer.set(a.producer, [...(byProducer.get(a.producer) ?? []), a]);
  for (const [producer, values] of [...byProducer].sort(([a], [b]) => a.localeCompare(b))) {
    const data = checkName(producer);
    // try(): a producer not deployed yet has no such output, and the check reports that too.
    const outputs = ref(`data.terraform_remote_state.${data}.outputs`, stack);
    const published = (a: AssumedOutput) => Fn.try([propertyAccess(outputs, [a.output, a.key]), '']);
    stack.addOverride(`check.${data}`, {
      data: { terraform_remote_state: { [data]: remoteStateBlock(producer, stack, ctx) } },
      assert: values.map((a) => ({
        condition: Op.eq(published(a), a.value),
        error_message: `${producer} does not publish ${a.output}["${a.key}"] as the value this stack uses. If ${producer} is not deployed yet, deploy it; otherwise compare \`cdktf output ${producer}\` with this stack's plan.`,
      })),
    });
  }
}
