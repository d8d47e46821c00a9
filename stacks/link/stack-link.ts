import { Fn, Lazy, TerraformOutput, TerraformStack, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { remoteStateOf } from './state-backend';
import type { StackContext } from '../context';
import type { KeysWhere, OutputContract, OutputReader, OutputValues } from '../../contracts/outputs';

// Publishing and reading the outputs of a contract (contracts/outputs.ts) through Terraform
// remote state.

/** A stack that publishes outputs under a contract. */
export interface Producer<C extends OutputContract> extends TerraformStack {
  readonly outputContract: C;
}

export function publishOutputs<C extends OutputContract>(stack: Producer<C>, values: OutputValues<C>): void {
  for (const [key, spec] of Object.entries(stack.outputContract)) {
    // staticId keeps the output name equal to the key, so consumers can rely on it.
    new TerraformOutput(stack, key, { value: values[key], description: spec.description, sensitive: spec.sensitive, staticId: true });
  }
}

/** Typed reads of a producer's outputs through remote state; also records the stack dependency. */
export class UpstreamOutputs<C extends OutputContract> implements OutputReader<C> {
  private readonly used = new Set<string>();
  private readonly state;

  constructor(scope: Construct, producer: Producer<C>, ctx: StackContext) {
    TerraformStack.of(scope).addDependency(producer);
    const mocks = Lazy.anyValue({
      produce: () => Object.fromEntries([...this.used].sort().map((k) => [k, producer.outputContract[k].mock])),
    });
    this.state = remoteStateOf(scope, `upstream-${producer.node.id}`, producer, ctx, ctx.settings.offlinePlan ? (mocks as unknown as Record<string, unknown>) : undefined);
  }

  string(key: KeysWhere<C, string>): string {
    this.used.add(key);
    return this.state.getString(key);
  }

  list(key: KeysWhere<C, string[]>): string[] {
    this.used.add(key);
    return this.state.getList(key);
  }

  /** One entry of a map output keyed by account (or service) name. */
  entry(key: KeysWhere<C, Record<string, string>>, name: string): string {
    this.used.add(key);
    return Token.asString(Fn.lookup(this.state.get(key), name));
  }

  entryList(key: KeysWhere<C, Record<string, string[]>>, name: string): string[] {
    this.used.add(key);
    return Token.asList(Fn.lookup(this.state.get(key), name));
  }
}
