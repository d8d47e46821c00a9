import { relabel, published, metricKey, type Labels, type MetricDeclaration } from './support/prometheus';
import { CONFIGS } from './support/istio-fixtures';
import { clusterInput } from './support/istio-fixture';
import { describeWithMirrors, readUpstream } from './support/upstream';
import { ISTIO_SOURCE, ISTIO_API } from './support/istio-api';
import { agentConfig as scraperAgentConfig, scrapeConfig, METRICS_PATH, SCRAPED_PROXIES } from '../modules/addons/envoy-metrics';
import { agentConfig as insightsAgentConfig } from '../modules/addons/observability';
import { ISTIO_METRICS } from '../modules/observability/metrics';
import type { MetricStat, Signals } from '../modules/observability/signals';
import { istioClusterSignals } from '../engines/istio/signals';
import { istiodValues } from '../engines/istio/control-plane-values';
import { meshTracing } from '../engines/istio/mesh-wide-objects';
import { egressHosts } from '../engines/istio/egress';
import { OTLP_GRPC, OTLP_HTTP } from '../config/telemetry';
import type { MeshConfig } from '../config/load';
import { synthConfig, demoWith } from './support/synth';
import * as YAML from 'yaml';

// The Istio rows of every cluster's dashboard read exactly what the CloudWatch agent publishes
// from Istio's sidecars: the series a sidecar emits (Istio's standard metrics, as Envoy's summary
// for the duration, next to Envoy's own series) go through the scraper's relabeling and the
// agent's metric declarations (support/prometheus.ts evaluates both), and the CloudWatch
// metrics that come out are compared with the metrics the panels and alarms read.

const CATALOGS = CONFIGS.filter(([name]) => name === 'Yelb (demo)' || name === 'chain');

/** Envoy's default summary quantiles (envoyproxy/envoy source/common/stats/histogram_impl.cc, supportedQuantiles). */
const ENVOY_QUANTILES = ['0', '0.25', '0.5', '0.75', '0.9', '0.95', '0.99', '0.995', '0.999', '1'];

const clusterName = (config: MeshConfig, account: string) => `${config.project}-${account}`;
const signalsOf = (config: MeshConfig, account: string) =>
  istioClusterSignals({ services: config.services, account, clusterName: clusterName(config, account), namespace: config.mesh.namespace, thresholds: { alarm5xxPercent: 5, alarmP99LatencyMs: 500 } });

/** Every metric a dashboard panel or an alarm (and each input of its expression) reads. */
function readMetrics(signals: Signals[]): MetricStat[] {
  return signals.flatMap((s) => [
    ...s.panels.flatMap((p) => p.metrics),
    ...s.alarms.flatMap((a) => ('metric' in a.watch ? [a.watch.metric] : Object.values(a.watch.inputs))),
  ]);
}

/** Pod discovery's target for the sidecar of a pod labelled app=<app> in <namespace> (one per declared port, or bare). */
const sidecarTarget = (namespace: string, app: string, port?: number): Labels => ({
  __address__: port ? `10.0.1.7:${port}` : '10.0.1.7',
  __meta_kubernetes_namespace: namespace,
  __meta_kubernetes_pod_label_app: app,
  __meta_kubernetes_pod_container_name: 'istio-proxy',
  ...(port ? { __meta_kubernetes_pod_container_port_number: String(port) } : {}),
});

/**
 * What one sidecar's /stats/prometheus?histogram_buckets=summary holds, in the label names of
 * Istio's standard metrics: requests served (reporter destination) by response code, requests
 * sent to its backends (reporter source), the duration as a summary per quantile with _sum and
 * _count, and series nobody reads (Envoy's own, request sizes, tcp).
 */
function sidecarSeries(service: { name: string; protocol: string }, callers: string[], backends: string[]): Labels[] {
  const out: Labels[] = [{ __name__: 'envoy_cluster_upstream_rq_total', cluster_name: 'xds-grpc' }, { __name__: 'istio_tcp_connections_opened_total', reporter: 'destination' }];
  const std = (reporter: string, source: string, destination: string, code: string): Labels => ({ reporter, source_workload: source, destination_service_name: destination, response_code: code, response_flags: '-' });
  const emit = (labels: Labels) => {
    out.push({ __name__: ISTIO_METRICS.requests, ...labels });
    for (const q of ENVOY_QUANTILES) out.push({ __name__: ISTIO_METRICS.latency, ...labels, quantile: q });
    out.push({ __name__: `${ISTIO_METRICS.latency}_sum`, ...labels }, { __name__: `${ISTIO_METRICS.latency}_count`, ...labels });
    for (const q of ENVOY_QUANTILES) out.push({ __name__: 'istio_request_bytes', ...labels, quantile: q });
  };
  if (service.protocol !== 'tcp') for (const caller of callers) for (const code of ['200', '404', '503', '0']) emit(std('destination', caller, service.name, code));
  for (const backend of backends) for (const code of ['200', '500']) emit(std('source', service.name, backend, code));
  return out;
}

/** The CloudWatch metrics the agent publishes for one cluster, from every sidecar of its services and its ingress gateway. */
function publishedFor(config: MeshConfig, account: string): Set<string> {
  const name = clusterName(config, account);
  const job = scrapeConfig(name).scrape_configs.find((j) => j.job_name === SCRAPED_PROXIES.istioProxy.job)!;
  const declarations = scraperAgentConfig(name, config.region).logs.metrics_collected.prometheus.emf_processor.metric_declaration as MetricDeclaration[];
  const namespace = config.mesh.namespace;
  const local = config.services.filter((s) => s.account === account);
  const pods: Array<{ namespace: string; app: string; port: number; series: Labels[] }> = local.map((s) => ({
    namespace,
    app: s.name,
    port: s.port,
    series: sidecarSeries(s, [...config.services.filter((c) => c.backends.includes(s.name)).map((c) => c.name), ...(s.exposure === 'public' ? ['istio-ingressgateway'] : [])], s.backends),
  }));
  // The ingress gateway is an istio-proxy container too; it only ever reports as the source.
  pods.push({ namespace: 'istio-ingress', app: 'istio-ingressgateway', port: 80, series: sidecarSeries({ name: 'istio-ingressgateway', protocol: 'http' }, [], local.filter((s) => s.exposure === 'public').map((s) => s.name)) });
  const out = new Set<string>();
  for (const pod of pods) {
    for (const t of [sidecarTarget(pod.namespace, pod.app, SCRAPED_PROXIES.istioProxy.port), sidecarTarget(pod.namespace, pod.app)]) {
      const target = relabel(t, job.relabel_configs as any);
      expect(target).toMatchObject({ __address__: `10.0.1.7:${SCRAPED_PROXIES.istioProxy.port}` });
      for (const series of pod.series) {
        const kept = relabel({ ...series, ...target!, job: job.job_name }, (job as any).metric_relabel_configs);
        if (kept) for (const key of published(kept, declarations)) out.add(key);
      }
    }
  }
  return out;
}

describe.each(CATALOGS)('%s with Istio: what the dashboards read is what the agent publishes', (_name, config) => {
  test.each(config.accounts.map((a) => a.name))('cluster of %s: the same CloudWatch metrics, no more, no fewer', (account) => {
    const signals = signalsOf(config, account);
    const read = new Set(readMetrics(signals).map((m) => {
      expect(m.namespace).toBe(ISTIO_METRICS.namespace);
      return metricKey(m.name, m.dimensions);
    }));
    expect([...publishedFor(config, account)].sort()).toEqual([...read].sort());
  });

  test('a row and the two alarms for every HTTP service, in its own cluster only; none for a tcp store', () => {
    for (const account of config.accounts.map((a) => a.name)) {
      const signals = signalsOf(config, account);
      const served = signals.map((s) => s.alarms.map((a) => a.id));
      const expected = config.services.filter((s) => s.account === account && s.protocol !== 'tcp').map((s) => s.name).sort();
      expect(served).toEqual(expected.map((s) => [`${s}-5xx`, `${s}-p99`]));
    }
    if (config.services.some((s) => s.protocol === 'tcp')) {
      const all = config.accounts.flatMap((a) => readMetrics(signalsOf(config, a.name)).map((m) => m.dimensions.Service));
      for (const store of config.services.filter((s) => s.protocol === 'tcp')) expect(all).not.toContain(store.name);
    }
  });

  test('the 5xx alarm divides 5xx by all requests of the same service; the p99 alarm reads quantile 0.99 as the worst series', () => {
    const [first] = signalsOf(config, config.services.find((s) => s.protocol !== 'tcp')!.account);
    const [ratio, p99] = first.alarms;
    if (!('expression' in ratio.watch) || !('metric' in p99.watch)) throw new Error('unexpected alarm shapes');
    const { errors, requests } = ratio.watch.inputs;
    expect(errors.dimensions).toEqual({ ...requests.dimensions, response_code_class: '5xx' });
    expect(p99.watch.metric).toMatchObject({ name: 'istio_request_duration_milliseconds', stat: 'Maximum', dimensions: { quantile: '0.99' } });
  });
});

describe('synthesized with mesh.engine istio (the demo), each controllers stack', () => {
  const app = synthConfig(demoWith((c) => (c.mesh.engine = 'istio')));
  test.each(['frontend', 'backend'])('%s: its alarms are the Istio signals of its HTTP services, its dashboard reads their metrics, its scraper has the istio-proxy job', (account) => {
    const stack = app.stack(`controllers-${account}`);
    const name = `${app.config.project}-${account}`;
    const signals = istioClusterSignals({ services: app.config.services, account, clusterName: name, namespace: app.config.mesh.namespace, thresholds: app.config.observability });
    expect(signals.length).toBeGreaterThan(0);
    expect(stack.resourceList('aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort()).toEqual(signals.flatMap((s) => s.alarms.map((a) => a.name)).sort());
    const dashboard = stack.resourceList('aws_cloudwatch_dashboard').find((d) => d.dashboard_name === `${name}-mesh`);
    const lines = JSON.parse(dashboard.dashboard_body).widgets.flatMap((w: any) => w.properties.metrics);
    for (const m of readMetrics(signals)) expect(lines).toContainEqual([m.namespace, m.name, ...Object.entries(m.dimensions).flat(), expect.objectContaining({ stat: m.stat })]);
    const scrape = stack.resourceList('kubernetes_manifest').find((r) => r.manifest.kind === 'ConfigMap' && r.manifest.metadata.name === 'cwagent-prometheus-scrape').manifest;
    expect(YAML.parse(scrape.data['prometheus.yaml']).scrape_configs.map((j: any) => j.job_name)).toContain(SCRAPED_PROXIES.istioProxy.job);
  });
});

describe('the scraper, for Istio', () => {
  const job = scrapeConfig('c').scrape_configs.find((j) => j.job_name === SCRAPED_PROXIES.istioProxy.job)!;

  test('keeps only istio-proxy containers, whatever else the pod runs, and asks Envoy for summaries', () => {
    for (const other of ['yelb-ui', 'istio-init', 'istio-validation', 'my-istio-proxy', 'envoy', 'lattice-signer']) {
      expect(relabel({ ...sidecarTarget('yelb', 'yelb-ui', 8080), __meta_kubernetes_pod_container_name: other }, job.relabel_configs as any)).toBeUndefined();
    }
    expect(job.metrics_path).toBe('/stats/prometheus');
    expect(job.params).toEqual({ histogram_buckets: ['summary'] });
  });

  test('the reporter filter is what keeps a caller\'s view of its backend out of the caller\'s own row', () => {
    // Guard of the comparison above: the same evaluation with one rule removed differs.
    const rules = (job as any).metric_relabel_configs.filter((r: any) => !(r.source_labels?.[0] === ISTIO_METRICS.reporterLabel));
    const series = { __name__: ISTIO_METRICS.requests, reporter: 'source', response_code: '200', Service: 'yelb-ui', ClusterName: 'c', Namespace: 'yelb', job: job.job_name };
    expect(relabel(series, (job as any).metric_relabel_configs)).toBeUndefined();
    expect(relabel(series, rules)).toBeDefined();
  });
});

describe('traces: Istio\'s OpenTelemetry provider is the agent\'s OTLP/gRPC receiver', () => {
  const values = istiodValues(clusterInput('frontend'));
  const provider = values.meshConfig.extensionProviders.find((p) => p.name === meshTracing().spec.tracing[0].providers[0].name);

  test('the Telemetry names a provider that meshConfig defines, sampling every request in the demo', () => {
    expect(provider).toBeDefined();
    expect(meshTracing().spec.tracing[0].randomSamplingPercentage).toBe(100);
  });

  test('the provider\'s service and port are the agent\'s Service and the port its OTLP gRPC receiver listens on', () => {
    const grpc = insightsAgentConfig({ grpc: OTLP_GRPC.port, http: OTLP_HTTP.port }).traces.traces_collected.otlp.grpc_endpoint;
    expect(provider!.opentelemetry).toEqual({ service: OTLP_GRPC.host, port: Number(grpc.split(':').pop()) });
    // No `http` block: Istio then exports over gRPC, which is what that port speaks.
    expect(provider!.opentelemetry).not.toHaveProperty('http');
  });

  test.each(CATALOGS)('%s: every service\'s Sidecar lets its proxy and its app reach the collector under REGISTRY_ONLY', (_name, config) => {
    for (const s of config.services) expect(egressHosts(s, config.mesh.namespace)).toContain(`amazon-cloudwatch/${OTLP_GRPC.host}`);
  });
});

describeWithMirrors([ISTIO_SOURCE.repo, ISTIO_API.repo])('what the scraper and the tracer assume, against Istio 1.30.3', () => {
  const read = (repo: string, path: string) => readUpstream({ repo, ref: ISTIO_SOURCE.ref, path })!;

  test('the sidecar container is istio-proxy, declares 15090, and 15090 is left out of inbound capture', () => {
    const template = read(ISTIO_SOURCE.repo, 'manifests/charts/istio-control/istio-discovery/files/injection-template.yaml');
    const container = /- name: (istio-proxy)\n[\s\S]*?ports:\n\s*- containerPort: (\d+)/.exec(template);
    expect(container?.[1]).toBe(SCRAPED_PROXIES.istioProxy.container);
    expect(Number(container?.[2])).toBe(SCRAPED_PROXIES.istioProxy.port);
    expect(template).toMatch(new RegExp(`- "${SCRAPED_PROXIES.istioProxy.port},15021,\\{\\{ excludeInboundPort`));
    const options = read(ISTIO_SOURCE.repo, 'pilot/cmd/pilot-agent/options/options.go');
    expect(Number(/"ENVOY_PROMETHEUS_PORT", (\d+)/.exec(options)?.[1])).toBe(SCRAPED_PROXIES.istioProxy.port);
  });

  test('Envoy\'s 15090 listener routes the /stats/prometheus prefix to the admin port (so the query string reaches the admin handler)', () => {
    const bootstrap = read(ISTIO_SOURCE.repo, 'tools/packaging/common/envoy_bootstrap.json');
    expect(bootstrap).toMatch(/"prefix": "\/stats\/prometheus"\s*\},\s*"route": \{\s*"cluster": "prometheus_stats"/);
    expect(bootstrap).toMatch(/"name": "prometheus_stats",[\s\S]*?"port_value": \{\{ \.config\.ProxyAdminPort \}\}/);
    expect(METRICS_PATH.startsWith('/stats/prometheus')).toBe(true);
  });

  test('metric names and labels are the ones istioctl\'s own queries use', () => {
    const istioctl = read(ISTIO_SOURCE.repo, 'istioctl/pkg/metrics/metrics.go');
    expect(istioctl).toContain(`reqTot                     = "${ISTIO_METRICS.requests}"`);
    expect(istioctl).toContain(`reqDur                     = "${ISTIO_METRICS.latency}"`);
    expect(istioctl).toContain(`${ISTIO_METRICS.reporterLabel}="${ISTIO_METRICS.serverReporter}",${ISTIO_METRICS.responseCodeLabel}=~"[45][0-9]{2}"`);
  });

  test('an OpenTelemetry provider without `http` exports over gRPC', () => {
    const proto = read(ISTIO_API.repo, 'mesh/v1alpha1/config.proto');
    expect(proto).toMatch(/configuration for exporting OTLP traces via HTTP\.\s*\/\/ When empty, traces will be exported via gRPC\./);
  });
});
