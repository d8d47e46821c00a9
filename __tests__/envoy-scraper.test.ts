import * as YAML from 'yaml';
import { relabel, type Labels } from './support/prometheus';
import { synthConfig, demoWith } from './support/synth';
import { SCRAPED_PROXIES } from '../modules/addons/envoy-metrics';
import { APP_MESH_ENVOY_DIMENSIONS, ENVOY_METRICS, SIGNER_DIMENSIONS } from '../modules/observability/metrics';

// The scraper's relabel rules, evaluated the way Prometheus evaluates them (support/prometheus.ts,
// not compared as strings) against the targets Kubernetes pod discovery yields: one per declared
// container port, one bare-address target for a container without ports.

/** What pod discovery hands to relabeling for one container (port) of a pod. */
const target = (container: string, port?: number): Labels => ({
  __address__: port ? `10.0.1.7:${port}` : '10.0.1.7',
  __meta_kubernetes_namespace: 'yelb',
  __meta_kubernetes_pod_label_app: 'yelb-ui',
  __meta_kubernetes_pod_container_name: container,
  ...(port ? { __meta_kubernetes_pod_container_port_number: String(port) } : {}),
});

const app = synthConfig(demoWith());
const stack = app.stack('controllers-frontend');
const configMap = (name: string) => stack.only('kubernetes_manifest', (m) => m.manifest.kind === 'ConfigMap' && m.manifest.metadata.name === name).manifest;
const scrape = YAML.parse(configMap('cwagent-prometheus-scrape').data['prometheus.yaml']);
const job = (name: string) => scrape.scrape_configs.find((j: any) => j.job_name === name);

/** Every job's verdict on a target: the address it would scrape and the labels it keeps. */
const scraped = (t: Labels) =>
  scrape.scrape_configs.flatMap((j: any) => {
    const result = relabel(t, j.relabel_configs);
    return result ? [{ job: j.job_name, address: result.__address__, path: j.metrics_path, labels: result }] : [];
  });

describe('the Envoy scraper', () => {
  test('keeps the App Mesh sidecar at envoy:9901 and the Lattice signer at lattice-signer:15090, whatever ports they declare', () => {
    for (const t of [target('envoy'), target('envoy', 15000), target('envoy', 9901)]) {
      expect(scraped(t)).toEqual([expect.objectContaining({ job: 'kubernetes-pod-appmesh-envoy', address: '10.0.1.7:9901', path: '/stats/prometheus' })]);
    }
    for (const t of [target('lattice-signer'), target('lattice-signer', 15090), target('lattice-signer', 4567)]) {
      expect(scraped(t)).toEqual([expect.objectContaining({ job: 'kubernetes-pod-lattice-signer', address: '10.0.1.7:15090', path: '/stats/prometheus' })]);
    }
  });

  test('drops every other container, including names that merely contain a proxy\'s name', () => {
    for (const name of ['yelb-ui', 'xray-daemon', 'envoy-init', 'my-envoy', 'lattice-signer-2', 'proxyinit']) {
      expect(scraped(target(name, 8080))).toEqual([]);
      expect(scraped(target(name))).toEqual([]);
    }
  });

  test('labels a sidecar\'s series with its service, a signer\'s with its caller, and both with cluster and namespace', () => {
    const [mesh] = scraped(target('envoy', 9901));
    expect(mesh.labels).toMatchObject({ ClusterName: 'meshdemo-frontend', Namespace: 'yelb', Service: 'yelb-ui' });
    const [signer] = scraped(target('lattice-signer'));
    expect(signer.labels).toMatchObject({ ClusterName: 'meshdemo-frontend', Namespace: 'yelb', Caller: 'yelb-ui' });
    // The signer's listener for a backend is named after it (stat_prefix): that becomes Backend.
    const sample = { __name__: ENVOY_METRICS.responsesByClass, [ENVOY_METRICS.statPrefixLabel]: 'yelb-appserver', [ENVOY_METRICS.responseClassLabel]: '5', ...signer.labels };
    expect(relabel(sample, job(SCRAPED_PROXIES.latticeSigner.job).metric_relabel_configs)).toMatchObject({ Backend: 'yelb-appserver' });
  });

  test('publishes requests, 4xx/5xx and latency of each job under the dimensions the dashboards read', () => {
    const agent = JSON.parse(configMap('cwagent-prometheus-agent').data['cwagentconfig.json']);
    const declarations = agent.logs.metrics_collected.prometheus.emf_processor.metric_declaration;
    const published = (jobName: string, metric: string) =>
      declarations.filter((d: any) => new RegExp(d.label_matcher).test(jobName) && d.metric_selectors.some((s: string) => new RegExp(s).test(metric))).map((d: any) => d.dimensions);
    for (const [jobName, dims] of [[SCRAPED_PROXIES.appMeshEnvoy.job, APP_MESH_ENVOY_DIMENSIONS], [SCRAPED_PROXIES.latticeSigner.job, SIGNER_DIMENSIONS]] as const) {
      expect(published(jobName, ENVOY_METRICS.requests)).toEqual([[[...dims]]]);
      // Latency per quantile: without the quantile dimension Envoy's quantiles would merge.
      expect(published(jobName, ENVOY_METRICS.latency)).toEqual([[[...dims, ENVOY_METRICS.quantileLabel]]]);
      expect(published(jobName, ENVOY_METRICS.responsesByClass)).toEqual([[[...dims, ENVOY_METRICS.responseClassLabel]]]);
      expect(published(jobName, 'envoy_cluster_upstream_cx_total')).toEqual([]);
    }
    // Every dimension a declaration names is a label the job's relabeling produces.
    const produced = (jobName: string) => Object.keys(relabel(target(jobName.includes('signer') ? 'lattice-signer' : 'envoy'), job(jobName).relabel_configs)!);
    expect(produced(SCRAPED_PROXIES.appMeshEnvoy.job)).toEqual(expect.arrayContaining([...APP_MESH_ENVOY_DIMENSIONS]));
    // Backend comes from the series' own label (metric relabeling, tested above).
    expect([...produced(SCRAPED_PROXIES.latticeSigner.job), 'Backend']).toEqual(expect.arrayContaining([...SIGNER_DIMENSIONS]));
  });

  test('asks every proxy for summaries, since the agent drops Prometheus histograms', () => {
    const scrape = YAML.parse(configMap('cwagent-prometheus-scrape').data['prometheus.yaml']);
    for (const j of scrape.scrape_configs) expect(j.params).toEqual({ histogram_buckets: ['summary'] });
  });

  test('the evaluator is Prometheus\'s: anchored regexes, keep drops non-matches, $1 and ${1} expand', () => {
    expect(relabel({ a: 'envoy-x' }, [{ source_labels: ['a'], action: 'keep', regex: 'envoy' }])).toBeUndefined();
    expect(relabel({ a: 'h:1', b: 'c' }, [{ source_labels: ['a', 'b'], regex: '([^:]+):1;(.*)', replacement: '$2-${1}', target_label: 'x' }])).toMatchObject({ x: 'c-h' });
    expect(relabel({ a: 'nope' }, [{ source_labels: ['a'], regex: 'x(.*)', target_label: 'y' }])).toEqual({ a: 'nope' });
  });
});
