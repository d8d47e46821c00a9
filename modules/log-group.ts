import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** Every log group of the project: encrypted with a customer key and never kept forever. */
export function encryptedLogGroup(scope: Construct, id: string, props: { provider: AwsProvider; name: string; retentionDays: number; kmsKeyArn: string }) {
  return new CloudwatchLogGroup(scope, id, {
    provider: props.provider,
    name: props.name,
    retentionInDays: props.retentionDays,
    kmsKeyId: props.kmsKeyArn,
  });
}
