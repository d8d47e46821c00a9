import type { ITerraformDependable } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { PodIdentityRole } from '../workload-identity';
import { type ClusterAddOn, type ClusterInfo, kubeObject } from './addon';
import { SCRAPER, envoyScraperObjects } from './envoy-metrics';
import { ServiceDashboard } from '../service-dashboard';
import { clusterHealthRow } from '../observability/cluster-signals';
import type { Signals } from '../observability/signals';

/**
 * Permissions of the CloudWatch agent: Container Insights (metrics and logs), and X-Ray for the
 * traces it receives over OTLP. AWSXrayWriteOnlyAccess is PutTraceSegments,
 * PutTelemetryRecords and the sampling reads: what the agent's awsxray exporter calls, no reads
 * of anyone's traces.
 */
const AGENT_POLICIES = ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess'];

/**
 * The agent's own configuration, given to the managed add-on as `agent.config`, which replaces
 * the chart's default (aws-observability/helm-charts, charts/amazon-cloudwatch-observability,
 * values.yaml `agent.defaultConfig`, tags amazon-cloudwatch-observability-4.10.1 and -5.4.0):
 * - Container Insights as by default (enhanced);
 * - an OTLP receiver for traces, exported to X-Ray ("traces" section of the CloudWatch agent
 *   configuration file). Its endpoints are set to every interface: the agent's default is the
 *   loopback address, which pods on the node could not reach. The agent operator opens the same
 *   ports on the agent's Service (aws/amazon-cloudwatch-agent-operator,
 *   internal/manifests/collector/ports.go), `cloudwatch-agent` in `amazon-cloudwatch`, with
 *   internalTrafficPolicy Local, so each pod sends to the agent on its own node.
 * Application Signals (the default's other half) is left out: nothing here is auto-instrumented,
 * and its receiver (4315/4316) would add per-service metrics nobody reads.
 */
export const agentConfig = (otlp: OtlpPorts) => ({
  logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } },
  traces: { traces_collected: { otlp: { grpc_endpoint: `0.0.0.0:${otlp.grpc}`, http_endpoint: `0.0.0.0:${otlp.http}` } } },
});

/** The ports the agent receives OTLP on, where the workloads send their spans. */
export interface OtlpPorts {
  grpc: number;
  http: number;
}

export interface ObservabilityProps {
  /** The amazon-cloudwatch-observability add-on version pinned for this cluster's Kubernetes version. */
  addonVersion: string;
  /** The CloudWatch agent image the Envoy scraper runs. */
  scraperImage: string;
  otlp: OtlpPorts;
  /** The dashboard's per-service rows and alarms (the mesh engine decides what its proxies publish). */
  signals: Signals[];
  /** Existing SNS topic told of every alarm state change. */
  alarmTopicArn?: string;
}

/**
 * Container Insights and the OTLP trace receiver through the managed add-on (agent + Fluent
 * Bit), a Prometheus-mode agent for the Envoy proxies' metrics, and a dashboard with alarms per
 * cluster from what the engine's proxies publish. Each agent's IAM is bound to its own service
 * account; nothing is granted to the nodes.
 */
export class ObservabilityAddOn implements ClusterAddOn {
  readonly name = 'observability';

  constructor(private readonly props: ObservabilityProps) {}

  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const identity = (id: string, serviceAccount: string) =>
      new PodIdentityRole(cluster.scope, id, {
        provider: cluster.aws,
        roleName: `${cluster.clusterName}-${serviceAccount}`,
        accountId: cluster.accountId,
        clusterName: cluster.clusterName,
        clusterNameRef: cluster.clusterNameRef,
        namespace: 'amazon-cloudwatch',
        serviceAccount,
        managedPolicyArns: AGENT_POLICIES,
      });
    const agent = identity('cloudwatch-agent-identity', 'cloudwatch-agent');
    const insights = new EksAddon(cluster.scope, 'container-insights', {
      provider: cluster.aws,
      clusterName: cluster.clusterNameRef,
      addonName: 'amazon-cloudwatch-observability',
      addonVersion: this.props.addonVersion,
      configurationValues: JSON.stringify({ agent: { config: agentConfig(this.props.otlp) } }),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      dependsOn: [agent.association],
    });
    const scraperIdentity = identity('envoy-scraper-identity', SCRAPER.serviceAccount);
    const scraper = envoyScraperObjects(cluster.clusterName, cluster.region, this.props.scraperImage).map((object) =>
      kubeObject(cluster.scope, `envoy-scraper-${object.kind.toLowerCase()}-${object.metadata.name}`, cluster.kubernetes, object, [insights, scraperIdentity.association]),
    );
    const { signals } = this.props;
    new ServiceDashboard(cluster.scope, 'dashboard', {
      provider: cluster.aws,
      dashboardName: `${cluster.clusterName}-mesh`,
      region: cluster.region,
      rows: [...signals.map((s) => s.panels), clusterHealthRow(cluster.clusterName)],
      alarms: signals.flatMap((s) => s.alarms),
      alarmTopicArn: this.props.alarmTopicArn,
    });
    return [insights, ...scraper];
  }
}
