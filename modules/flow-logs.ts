import { Construct } from 'constructs';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { encryptedLogGroup } from './log-group';
import { fullNameTags, iamRoleName } from './limits/fit';

export interface VpcFlowLogsProps {
  provider: AwsProvider;
  vpcId: string;
  name: string;
  accountId: string;
  region: string;
  retentionDays: number;
  kmsKeyArn: string;
}

/** All traffic of a VPC to an encrypted, retained log group, written by a role only VPC Flow Logs can assume. */
export class VpcFlowLogs extends Construct {
  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { provider } = props;
    const group = encryptedLogGroup(this, 'group', { provider, name: `/aws/vpc/${props.name}/flow-logs`, retentionDays: props.retentionDays, kmsKeyArn: props.kmsKeyArn });
    const role = new IamRole(this, 'role', {
      provider,
      name: iamRoleName(`${props.name}-flow-logs`),
      tags: fullNameTags('iam-role', `${props.name}-flow-logs`),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard: only flow logs of this account may assume the role.
            Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*` } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'write', {
      provider,
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${group.arn}:*` },
          // DescribeLogGroups has no resource-level permission (Service Authorization Reference,
          // CloudWatch Logs: no resource type), so it is granted on "*" or not at all; AWS's
          // flow-log role policy does the same (VPC user guide, "IAM role for publishing flow
          // logs to CloudWatch Logs"). It only lists group names and settings.
          { Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      provider,
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
    });
  }
}
