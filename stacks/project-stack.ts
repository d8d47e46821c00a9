import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { configureBackend } from './link/state-backend';
import type { Producer } from './link/stack-link';
import type { OutputContract } from '../contracts/outputs';
import type { StackContext } from './context';

/** Every stack of the project: its backend set from the config, its outputs under a contract. */
export abstract class ProjectStack<C extends OutputContract = OutputContract> extends TerraformStack implements Producer<C> {
  abstract readonly outputContract: C;

  constructor(
    scope: Construct,
    name: string,
    protected readonly ctx: StackContext,
  ) {
    super(scope, name);
    configureBackend(this, ctx);
  }
}
