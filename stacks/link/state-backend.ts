import * as path from 'path';
import { App, DataTerraformRemoteStateLocal, DataTerraformRemoteStateS3, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StackContext } from '../context';

/** Where a stack's state lives, as seen from the working directory of `viewer`. */
type StateLocation = { kind: 'local'; path: string } | { kind: 's3'; bucket: string; key: string; region: string; roleArn?: string };

/** Stacks whose state never goes to S3: the bootstrap stack creates the bucket, so it cannot live in it. */
const ALWAYS_LOCAL = new Set(['bootstrap']);

function locate(name: string, viewer: TerraformStack, ctx: StackContext): StateLocation {
  const { backend } = ctx.config;
  if (backend.type === 's3' && !ctx.settings.offlinePlan && !ALWAYS_LOCAL.has(name)) {
    return { kind: 's3', bucket: backend.bucket, key: `${backend.keyPrefix}/${name}.tfstate`, region: backend.region, roleArn: backend.roleArn };
  }
  const file = path.join(ctx.settings.stateDir, `${name}.tfstate`);
  if (ctx.settings.offlinePlan) return { kind: 'local', path: file };
  // Relative to the viewer's working directory (<outdir>/stacks/<name>), so the synthesized
  // output does not embed this machine's paths and survives moving the checkout.
  return { kind: 'local', path: path.relative(path.join(App.of(viewer).outdir, 'stacks', viewer.node.id), file) };
}

/** How every reader and writer reaches a state object in S3: always encrypted, through the role when set. */
function s3Access(where: Extract<StateLocation, { kind: 's3' }>) {
  const { kind: _kind, roleArn, ...s3 } = where;
  return { ...s3, encrypt: true, assumeRole: roleArn ? { roleArn } : undefined };
}

/** Local by default; S3 with encryption, a lock file and one key per stack when configured. */
export function configureBackend(stack: TerraformStack, ctx: StackContext): void {
  const where = locate(stack.node.id, stack, ctx);
  if (where.kind === 'local') {
    new LocalBackend(stack, { path: where.path });
    return;
  }
  new S3Backend(stack, s3Access(where));
  // S3-native locking (Terraform >= 1.10) replaces the DynamoDB lock table; cdktf 0.21
  // predates the field, so it goes in as an override.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/** A `terraform_remote_state` reading `producer`'s state, wherever the backend keeps it. */
export function remoteStateOf(scope: Construct, id: string, producer: TerraformStack, ctx: StackContext, defaults?: Record<string, unknown>) {
  const where = locate(producer.node.id, TerraformStack.of(scope), ctx);
  if (where.kind === 'local') return new DataTerraformRemoteStateLocal(scope, id, { path: where.path, defaults });
  return new DataTerraformRemoteStateS3(scope, id, { ...s3Access(where), defaults });
}

/**
 * The body of a `terraform_remote_state` block reading the state of the stack named `producer`,
 * in Terraform's JSON syntax, for blocks cdktf has no construct for (a data source scoped to a
 * `check`). Reading by name adds no stack dependency.
 */
export function remoteStateBlock(producer: string, viewer: TerraformStack, ctx: StackContext): { backend: string; config: Record<string, unknown> } {
  const where = locate(producer, viewer, ctx);
  if (where.kind === 'local') return { backend: 'local', config: { path: where.path } };
  const { assumeRole, ...s3 } = s3Access(where);
  return { backend: 's3', config: { ...s3, ...(assumeRole ? { assume_role: { role_arn: assumeRole.roleArn } } : {}) } };
}
