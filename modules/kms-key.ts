import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export interface RotatingKeyProps {
  provider: AwsProvider;
  accountId: string;
  region: string;
  alias: string;
  description: string;
  /** Let CloudWatch Logs in this account and region use the key (log groups encrypted with it). */
  allowCloudWatchLogs?: boolean;
}

/** A customer-managed KMS key with yearly rotation and a policy naming who may use it. */
export class RotatingKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: RotatingKeyProps) {
    super(scope, id);
    const statements: object[] = [
      // The account root statement is what lets IAM policies grant use of the key at all.
      { Sid: 'AccountAdmin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogs',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${props.region}:${props.accountId}:*` } },
      });
    }
    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    new KmsAlias(this, 'alias', { provider: props.provider, name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }
}
