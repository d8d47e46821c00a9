import { APP_MESH_ENVOY_DIMENSIONS, CONTAINER_INSIGHTS_SERVICE, ENVOY_METRICS, ISTIO_DIMENSIONS, ISTIO_METRICS, LATTICE_METRICS, SIGNER_DIMENSIONS } from './metrics';

// What to watch for each service, per engine: the dashboard panels and the alarms, as plain data
// (modules/service-dashboard.ts turns them into CloudWatch resources). Every metric comes from
// ./metrics.ts, and every alarm says what it does when its metric has no data, and why.

export interface MetricStat {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  /** Sum, Minimum, Average, or a percentile such as p99. */
  stat: string;
  label?: string;
}

export interface Panel {
  title: string;
  metrics: MetricStat[];
}

/** CloudWatch's treat_missing_data values. */
export type MissingData = 'missing' | 'breaching' | 'notBreaching' | 'ignore';

export interface AlarmSpec {
  /** Construct id, unique within its dashboard. */
  id: string;
  name: string;
  description: string;
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  threshold: number;
  /** One metric, or a metric-math expression over named inputs (ids are lower-case words). */
  watch: { metric: MetricStat } | { expression: string; label: string; inputs: Record<string, MetricStat> };
  periodSeconds: number;
  evaluationPeriods: number;
  treatMissingData: MissingData;
}

export interface Signals {
  panels: Panel[];
  alarms: AlarmSpec[];
}

export interface Thresholds {
  alarm5xxPercent: number;
  alarmP99LatencyMs: number;
}

/**
 * No traffic is not an outage, and it is not health either: an error-rate or latency alarm
 * without data shows INSUFFICIENT_DATA, never OK, so a metric that does not exist (a wrong
 * name, a scraper that does not run) is visible on the alarm list instead of looking green.
 */
const NO_TRAFFIC: MissingData = 'missing';

/**
 * 5xx as a share of requests. Error counts are often reported only when non-zero (Lattice,
 * Envoy's per-class counters), so they are filled with 0 where requests exist; where requests do
 * not exist the expression has no value and the alarm has no data (NO_TRAFFIC).
 */
const ERROR_RATIO = 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)';

function errorRatioAlarm(id: string, name: string, what: string, errors: MetricStat, requests: MetricStat, t: Thresholds): AlarmSpec {
  return {
    id,
    name,
    description: `5xx responses of ${what} above ${t.alarm5xxPercent}% of requests over 5 minutes; no data while there is no traffic`,
    comparison: 'GreaterThanThreshold',
    threshold: t.alarm5xxPercent,
    watch: { expression: ERROR_RATIO, label: '5xx %', inputs: { errors, requests } },
    periodSeconds: 300,
    evaluationPeriods: 1,
    treatMissingData: NO_TRAFFIC,
  };
}

function latencyAlarm(id: string, name: string, what: string, metric: MetricStat, t: Thresholds): AlarmSpec {
  return {
    id,
    name,
    description: `p99 latency of ${what} above ${t.alarmP99LatencyMs} ms over 5 minutes; no data while there is no traffic`,
    comparison: 'GreaterThanThreshold',
    threshold: t.alarmP99LatencyMs,
    watch: { metric },
    periodSeconds: 300,
    evaluationPeriods: 1,
    treatMissingData: NO_TRAFFIC,
  };
}

const dims = (names: readonly string[], values: string[]) => Object.fromEntries(names.map((n, i) => [n, values[i]]));

/** The Envoy series of one proxy, under the given dimensions: request, 4xx/5xx and latency panels. */
function envoySeries(dimensions: Record<string, string>) {
  const m = (name: string, stat: string, extra: Record<string, string> = {}, label?: string): MetricStat => ({
    namespace: ENVOY_METRICS.namespace,
    name,
    dimensions: { ...dimensions, ...extra },
    stat,
    ...(label ? { label } : {}),
  });
  return {
    requests: m(ENVOY_METRICS.requests, 'Sum'),
    byClass: (c: '4' | '5') => m(ENVOY_METRICS.responsesByClass, 'Sum', { [ENVOY_METRICS.responseClassLabel]: c }, `${c}xx`),
    // Envoy's own quantile per pod (ENVOY_METRICS): the worst pod's p99, the pods' mean p50.
    latency: (p: 'p50' | 'p99') => m(ENVOY_METRICS.latency, p === 'p99' ? 'Maximum' : 'Average', { [ENVOY_METRICS.quantileLabel]: ENVOY_METRICS.quantiles[p] }, p),
  };
}

/** App Mesh: the service's own Envoy sidecar, as the server of its requests. */
export function appMeshServiceSignals(p: { clusterName: string; namespace: string; service: string }, t: Thresholds): Signals {
  const e = envoySeries(dims(APP_MESH_ENVOY_DIMENSIONS, [p.clusterName, p.namespace, p.service]));
  return {
    panels: [
      { title: `${p.service}: requests/min`, metrics: [e.requests] },
      { title: `${p.service}: 4xx and 5xx`, metrics: [e.byClass('4'), e.byClass('5')] },
      { title: `${p.service}: latency p50 / p99 (ms)`, metrics: [e.latency('p50'), e.latency('p99')] },
    ],
    alarms: [
      errorRatioAlarm(`${p.service}-5xx`, `${p.clusterName}-${p.service}-5xx-ratio`, p.service, e.byClass('5'), e.requests, t),
      latencyAlarm(`${p.service}-p99`, `${p.clusterName}-${p.service}-p99-latency`, p.service, e.latency('p99'), t),
    ],
  };
}

/**
 * Istio: Istio's standard metrics as the service's own sidecar reports them (server side), the
 * same panels and alarms as App Mesh's. Latency is Envoy's quantile per series (ISTIO_METRICS):
 * the worst series' p99 across the service's pods and callers, the mean p50.
 */
export function istioServiceSignals(p: { clusterName: string; namespace: string; service: string }, t: Thresholds): Signals {
  const base = dims(ISTIO_DIMENSIONS, [p.clusterName, p.namespace, p.service]);
  const m = (name: string, stat: string, extra: Record<string, string> = {}, label?: string): MetricStat => ({
    namespace: ISTIO_METRICS.namespace,
    name,
    dimensions: { ...base, ...extra },
    stat,
    ...(label ? { label } : {}),
  });
  const requests = m(ISTIO_METRICS.requests, 'Sum');
  const byClass = (c: '4xx' | '5xx') => m(ISTIO_METRICS.requests, 'Sum', { [ISTIO_METRICS.responseClassLabel]: c }, c);
  const latency = (q: 'p50' | 'p99') => m(ISTIO_METRICS.latency, q === 'p99' ? 'Maximum' : 'Average', { [ISTIO_METRICS.quantileLabel]: ISTIO_METRICS.quantiles[q] }, q);
  return {
    panels: [
      { title: `${p.service}: requests/min`, metrics: [requests] },
      { title: `${p.service}: 4xx and 5xx`, metrics: [byClass('4xx'), byClass('5xx')] },
      { title: `${p.service}: latency p50 / p99 (ms)`, metrics: [latency('p50'), latency('p99')] },
    ],
    alarms: [
      errorRatioAlarm(`${p.service}-5xx`, `${p.clusterName}-${p.service}-5xx-ratio`, p.service, byClass('5xx'), requests, t),
      latencyAlarm(`${p.service}-p99`, `${p.clusterName}-${p.service}-p99-latency`, p.service, latency('p99'), t),
    ],
  };
}

/**
 * Lattice, caller side: the signing Envoy in the caller's pod, one listener per backend. This is
 * what the caller's application saw, Lattice, its auth policy and the signer's retries included.
 */
export function signerEdgeSignals(p: { clusterName: string; namespace: string; caller: string; backend: string }, t: Thresholds): Signals {
  const e = envoySeries(dims(SIGNER_DIMENSIONS, [p.clusterName, p.namespace, p.caller, p.backend]));
  const edge = `${p.caller} → ${p.backend}`;
  return {
    panels: [
      { title: `${edge}: requests/min`, metrics: [e.requests] },
      { title: `${edge}: 4xx and 5xx`, metrics: [e.byClass('4'), e.byClass('5')] },
      { title: `${edge}: latency p50 / p99 (ms)`, metrics: [e.latency('p50'), e.latency('p99')] },
    ],
    alarms: [errorRatioAlarm(`${p.caller}-to-${p.backend}-5xx`, `${p.clusterName}-${p.caller}-to-${p.backend}-5xx-ratio`, `${p.backend} as ${p.caller} sees it`, e.byClass('5'), e.requests, t)],
  };
}

/**
 * Lattice, server side: the Lattice service of one HTTPRoute and the target group of each
 * backend Service it routes to. `serviceId` and the target group ids are known only after the
 * controller created them, so they are Terraform references.
 */
export function latticeServiceSignals(p: { clusterName: string; service: string; serviceId: string; targetGroups: Array<{ name: string; id: string }> }, t: Thresholds): Signals {
  const s = LATTICE_METRICS.service;
  const m = (metric: { name: string; stat: string }, label?: string): MetricStat => ({
    namespace: LATTICE_METRICS.namespace,
    name: metric.name,
    dimensions: { [s.dimension]: p.serviceId },
    stat: metric.stat,
    ...(label ? { label } : {}),
  });
  const healthy = LATTICE_METRICS.targetGroup.healthyTargets;
  const targets = (tg: { name: string; id: string }): MetricStat => ({
    namespace: LATTICE_METRICS.namespace,
    name: healthy.name,
    dimensions: { [LATTICE_METRICS.targetGroup.dimension]: tg.id },
    stat: healthy.stat,
    label: tg.name,
  });
  const requestTime = (stat: 'p50' | 'p99') => ({ ...m(s.requestTime, stat), stat });
  return {
    panels: [
      { title: `${p.service} (Lattice): requests/min`, metrics: [m(s.requests)] },
      { title: `${p.service} (Lattice): 4xx and 5xx`, metrics: [m(s.http4xx, '4xx'), m(s.http5xx, '5xx')] },
      { title: `${p.service} (Lattice): request time p50 / p99 (ms)`, metrics: [requestTime('p50'), requestTime('p99')] },
      { title: `${p.service} (Lattice): healthy targets`, metrics: p.targetGroups.map(targets) },
    ],
    alarms: [
      errorRatioAlarm(`${p.service}-lattice-5xx`, `${p.clusterName}-${p.service}-lattice-5xx-ratio`, `${p.service} (Lattice)`, m(s.http5xx), m(s.requests), t),
      latencyAlarm(`${p.service}-lattice-p99`, `${p.clusterName}-${p.service}-lattice-p99-latency`, `${p.service} (Lattice)`, m(s.requestTime), t),
      ...p.targetGroups.map(
        (tg): AlarmSpec => ({
          id: `${tg.name}-healthy-targets`,
          name: `${p.clusterName}-${tg.name}-healthy-targets`,
          description: `No healthy Lattice target behind ${tg.name} (route ${p.service}) for 3 minutes, or no health data at all`,
          comparison: 'LessThanThreshold',
          threshold: 1,
          watch: { metric: targets(tg) },
          periodSeconds: 60,
          evaluationPeriods: 3,
          // Health checks report whether or not traffic flows, so no data means the target group
          // or its metric is gone (or was never found): that must page, not stay green.
          treatMissingData: 'breaching',
        }),
      ),
    ],
  };
}

/**
 * A service placed in several regions, seen from one of them: its ready endpoints here, and an
 * alarm when there are none for 3 minutes, which is when callers in this region fail over
 * (docs/multi-region.md). Independent of traffic, so a quiet region is not "down". Missing data
 * breaches: the agent publishes nothing for a Service without ready pods (./metrics.ts), and
 * nothing when the region or its agent is gone. It does not see ready pods that are unreachable
 * (a NetworkPolicy, a broken peering): those show as 5xx and as traffic moving region.
 */
export function regionReadySignals(p: { clusterName: string; namespace: string; service: string; region: string }): Signals {
  const ready: MetricStat = {
    namespace: CONTAINER_INSIGHTS_SERVICE.namespace,
    name: CONTAINER_INSIGHTS_SERVICE.readyPods,
    dimensions: { ClusterName: p.clusterName, Namespace: p.namespace, Service: p.service },
    stat: 'Minimum',
    label: `${p.service} ready pods in ${p.region}`,
  };
  return {
    panels: [{ title: `${p.service}: ready endpoints in ${p.region}`, metrics: [ready] }],
    alarms: [
      {
        id: `${p.service}-no-ready-endpoints`,
        name: `${p.clusterName}-${p.service}-no-ready-endpoints`,
        description: `${p.service} has no ready endpoint in ${p.region} (${p.clusterName}): callers there fail over to another region. Missing data breaches (no ready pod, or no agent).`,
        comparison: 'LessThanThreshold',
        threshold: 1,
        watch: { metric: ready },
        periodSeconds: 60,
        evaluationPeriods: 3,
        treatMissingData: 'breaching',
      },
    ],
  };
}
