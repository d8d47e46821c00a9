import type { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import { awsProviderFor } from './link/providers';
import { RotatingKey } from '../modules/kms-key';
import { publishOutputs } from './link/stack-link';
import { bootstrapContract } from '../contracts/bootstrap';
import { accountByName } from '../config/load';

/**
 * The state bucket for the S3 backend: versioned (a bad apply can be rolled back), KMS-encrypted,
 * owner-enforced, private, TLS-only. Its own state stays local: it cannot live in the bucket it creates.
 */
export class BootstrapStack extends ProjectStack<ReturnType<typeof bootstrapContract>> {
  readonly outputContract;

  constructor(scope: Construct, ctx: StackContext) {
    super(scope, 'bootstrap', ctx);
    const backend = ctx.config.backend;
    if (backend.type !== 's3') throw new Error('the bootstrap stack exists only for the S3 backend');
    this.outputContract = bootstrapContract(backend.bucket);
    const account = accountByName(ctx.config, backend.account);
    const provider = awsProviderFor(this, account, ctx, undefined, backend.region);
    const key = new RotatingKey(this, 'state-key', { provider, accountId: account.id, region: backend.region, alias: `${ctx.config.project}-state`, description: 'Encrypts Terraform state' });
    const bucket = new S3Bucket(this, 'state', { provider, bucket: backend.bucket, lifecycle: { preventDestroy: true } });
    new S3BucketVersioningA(this, 'versioning', { provider, bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketPublicAccessBlock(this, 'public-access', { provider, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketOwnershipControls(this, 'ownership', { provider, bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPolicy(this, 'tls-only', {
      provider,
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [bucket.arn, `${bucket.arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      }),
    });
    publishOutputs(this, { state_bucket: bucket.bucket, state_key_arn: key.key.arn });
  }
}
