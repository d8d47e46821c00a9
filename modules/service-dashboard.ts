import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AlarmSpec, MetricStat, Panel } from './observability/signals';

export interface ServiceDashboardProps {
  provider: AwsProvider;
  dashboardName: string;
  region: string;
  /** One row of panels each (a service, or a caller and its backend). */
  rows: Panel[][];
  alarms: AlarmSpec[];
  /** Existing SNS topic told of every state change; without it alarms only show on the console. */
  alarmTopicArn?: string;
}

const ROW_HEIGHT = 6;
const GRID_WIDTH = 24;
const PERCENTILE = /^p\d+(\.\d+)?$/;

/** A dashboard metric line: namespace, name, dimension pairs, then the rendering options. */
const metricLine = (m: MetricStat) => [m.namespace, m.name, ...Object.entries(m.dimensions).flat(), { stat: m.stat, ...(m.label ? { label: m.label } : {}) }];

/**
 * One CloudWatch dashboard and its alarms, from engine-neutral panels and alarm specs
 * (modules/observability/signals.ts). The controllers stack uses it for what is known at synth
 * time, the workloads stack for what exists only after the controllers created it (Lattice ids).
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const widgets = props.rows.flatMap((row, y) =>
      row.map((panel, x) => {
        const width = Math.floor(GRID_WIDTH / row.length);
        return {
          type: 'metric',
          x: x * width,
          y: y * ROW_HEIGHT,
          width,
          height: ROW_HEIGHT,
          properties: { title: panel.title, region: props.region, view: 'timeSeries', period: 60, metrics: panel.metrics.map(metricLine) },
        };
      }),
    );
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets }),
    });
    const actions = props.alarmTopicArn ? [props.alarmTopicArn] : [];
    this.alarms = props.alarms.map(
      (a) =>
        new CloudwatchMetricAlarm(this, a.id, {
          provider: props.provider,
          alarmName: a.name,
          alarmDescription: a.description,
          comparisonOperator: a.comparison,
          threshold: a.threshold,
          evaluationPeriods: a.evaluationPeriods,
          treatMissingData: a.treatMissingData,
          ...('metric' in a.watch ? singleMetric(a.watch.metric, a.periodSeconds) : { metricQuery: mathQueries(a.watch, a.periodSeconds) }),
          alarmActions: actions,
          okActions: actions,
          insufficientDataActions: [],
        }),
    );
  }
}

function singleMetric(m: MetricStat, period: number) {
  return {
    namespace: m.namespace,
    metricName: m.name,
    dimensions: m.dimensions,
    period,
    ...(PERCENTILE.test(m.stat) ? { extendedStatistic: m.stat } : { statistic: m.stat }),
  };
}

function mathQueries(watch: { expression: string; label: string; inputs: Record<string, MetricStat> }, period: number): CloudwatchMetricAlarmMetricQuery[] {
  return [
    ...Object.entries(watch.inputs).map(([id, m]) => ({
      id,
      returnData: false,
      metric: { namespace: m.namespace, metricName: m.name, dimensions: m.dimensions, period, stat: m.stat },
    })),
    { id: 'result', expression: watch.expression, label: watch.label, returnData: true },
  ];
}
