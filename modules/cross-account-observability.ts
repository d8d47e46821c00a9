import { Construct } from 'constructs';
import { OamSink } from '@cdktf/provider-aws/lib/oam-sink';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import { OamLink } from '@cdktf/provider-aws/lib/oam-link';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

// CloudWatch cross-account observability (Observability Access Manager): a sink in one
// monitoring account, and a link from each source account, so a trace that crosses accounts,
// and the metrics and logs around it, are seen in one place. "CloudWatch cross-account
// observability", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html;
// the sink policy's shape (oam:CreateLink/oam:UpdateLink, condition key oam:ResourceTypes) is
// from the Service Authorization Reference for Amazon CloudWatch Observability Access Manager,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_oam.html. OAM is
// regional: the sink sees the source accounts' data of its own region.

/** What each source account shares: X-Ray traces, CloudWatch metrics and CloudWatch Logs. */
export const SHARED_RESOURCE_TYPES = ['AWS::XRay::Trace', 'AWS::CloudWatch::Metric', 'AWS::Logs::LogGroup'] as const;

export interface ObservedAccount {
  /** A short name, shown as the account's label in the monitoring account. */
  name: string;
  accountId: string;
  provider: AwsProvider;
}

export interface CrossAccountObservabilityProps {
  sinkName: string;
  /** Where everything is seen (the sink). */
  monitoring: ObservedAccount;
  /** Every account that shares into it; at least one. */
  sources: ObservedAccount[];
  /** Prefix of each source's label, e.g. the project name. */
  labelPrefix: string;
}

export class CrossAccountObservability extends Construct {
  readonly sink: OamSink;
  readonly sinkPolicy: OamSinkPolicy;
  readonly links: Map<string, OamLink>;

  constructor(scope: Construct, id: string, props: CrossAccountObservabilityProps) {
    super(scope, id);
    if (props.sources.length === 0) throw new Error(`${this.node.path}: cross-account observability needs at least one source account besides ${props.monitoring.name}`);
    const sourceIds = props.sources.map((s) => s.accountId);
    if (sourceIds.includes(props.monitoring.accountId)) {
      throw new Error(`${this.node.path}: account ${props.monitoring.accountId} cannot be both the monitoring account and a source`);
    }
    this.sink = new OamSink(this, 'sink', { provider: props.monitoring.provider, name: props.sinkName });
    // Only the mesh's own accounts may link, and only for the types shared here: the condition
    // holds every type a link asks for to this list (ForAllValues).
    this.sinkPolicy = new OamSinkPolicy(this, 'sink-policy', {
      provider: props.monitoring.provider,
      sinkIdentifier: this.sink.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: sourceIds },
            Action: ['oam:CreateLink', 'oam:UpdateLink'],
            Resource: '*',
            Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...SHARED_RESOURCE_TYPES] } },
          },
        ],
      }),
    });
    this.links = new Map(
      props.sources.map((source) => [
        source.name,
        new OamLink(this, `link-${source.name}`, {
          provider: source.provider,
          sinkIdentifier: this.sink.arn,
          labelTemplate: `${props.labelPrefix}-${source.name}`,
          resourceTypes: [...SHARED_RESOURCE_TYPES],
          // The sink refuses links until its policy admits the account.
          dependsOn: [this.sinkPolicy],
        }),
      ]),
    );
  }
}
