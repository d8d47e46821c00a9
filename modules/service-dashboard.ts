import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ENVOY_METRICS_NAMESPACE, ENVOY_SERIES } from './addons/envoy-metrics';

export interface ServiceDashboardProps {
  provider: AwsProvider;
  clusterName: string;
  region: string;
  namespace: string;
  services: string[];
  thresholds: { alarm5xxPercent: number; alarmP99LatencyMs: number; alarmTopicArn?: string };
}

/** One CloudWatch dashboard per cluster, and 5xx-ratio and p99-latency alarms per service. */
export class ServiceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const dims = (service: string) => ({ ClusterName: props.clusterName, Namespace: props.namespace, Service: service });
    const metric = (name: string, service: string, extra: Record<string, string> = {}) => {
      const d = { ...dims(service), ...extra };
      return [ENVOY_METRICS_NAMESPACE, name, ...Object.entries(d).flat()];
    };
    const widget = (title: string, metrics: unknown[], stat: string, x: number, y: number) => ({
      type: 'metric',
      x,
      y,
      width: 8,
      height: 6,
      properties: { title, region: props.region, stat, period: 60, view: 'timeSeries', metrics },
    });
    const serviceRows = props.services.flatMap((service, i) => [
      widget(`${service}: requests/min`, [metric(ENVOY_SERIES.requests, service)], 'Sum', 0, i * 6),
      widget(`${service}: 4xx and 5xx`, ['4', '5'].map((c) => metric(ENVOY_SERIES.responsesByClass, service, { envoy_response_code_class: c })), 'Sum', 8, i * 6),
      widget(`${service}: latency p50 / p99 (ms)`, ['p50', 'p99'].map((p) => [...metric(ENVOY_SERIES.latency, service), { stat: p, label: p }]), 'p99', 16, i * 6),
    ]);
    const insights = (name: string) => ['ContainerInsights', name, 'ClusterName', props.clusterName];
    const y = props.services.length * 6;
    const clusterRow = [
      widget('Node CPU / memory %', [insights('node_cpu_utilization'), insights('node_memory_utilization')], 'Average', 0, y),
      widget('Pod CPU / memory %', [insights('pod_cpu_utilization'), insights('pod_memory_utilization')], 'Average', 8, y),
      widget('Running pods', [insights('cluster_number_of_running_pods')], 'Average', 16, y),
    ];
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: `${props.clusterName}-mesh`,
      dashboardBody: JSON.stringify({ widgets: [...serviceRows, ...clusterRow] }),
    });

    const actions = props.thresholds.alarmTopicArn ? [props.thresholds.alarmTopicArn] : [];
    for (const service of props.services) {
      const q = (id: string, name: string, extra: Record<string, string> = {}) => ({
        id,
        returnData: false,
        metric: { namespace: ENVOY_METRICS_NAMESPACE, metricName: name, dimensions: { ...dims(service), ...extra }, period: 300, stat: 'Sum' },
      });
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `${service}-5xx`, {
          provider: props.provider,
          alarmName: `${props.clusterName}-${service}-5xx-ratio`,
          alarmDescription: `5xx responses of ${service} above ${props.thresholds.alarm5xxPercent}% of requests`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: props.thresholds.alarm5xxPercent,
          evaluationPeriods: 1,
          // No traffic is not an outage of this service.
          treatMissingData: 'notBreaching',
          metricQuery: [
            q('errors', ENVOY_SERIES.responsesByClass, { envoy_response_code_class: '5' }),
            q('requests', ENVOY_SERIES.requests),
            { id: 'ratio', expression: '100 * errors / MAX([requests, 1])', label: '5xx %', returnData: true },
          ],
          alarmActions: actions,
          okActions: actions,
        }),
        new CloudwatchMetricAlarm(this, `${service}-p99`, {
          provider: props.provider,
          alarmName: `${props.clusterName}-${service}-p99-latency`,
          alarmDescription: `p99 latency of ${service} above ${props.thresholds.alarmP99LatencyMs} ms`,
          namespace: ENVOY_METRICS_NAMESPACE,
          metricName: ENVOY_SERIES.latency,
          dimensions: dims(service),
          extendedStatistic: 'p99',
          period: 300,
          evaluationPeriods: 1,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: props.thresholds.alarmP99LatencyMs,
          treatMissingData: 'notBreaching',
          alarmActions: actions,
          okActions: actions,
        }),
      );
    }
  }
}
