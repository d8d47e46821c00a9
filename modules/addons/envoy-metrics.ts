import * as YAML from 'yaml';
import { APP_MESH_ENVOY_DIMENSIONS, ENVOY_METRICS, ISTIO_DIMENSIONS, ISTIO_METRICS, SIGNER_DIMENSIONS } from '../observability/metrics';

// The CloudWatch agent in Prometheus mode, scraping the Envoy proxies of the mesh and publishing
// their request, error and latency series as CloudWatch metrics (EMF):
// - App Mesh: the injected sidecar, container `envoy`, admin port 9901
//   (aws/aws-app-mesh-controller-for-k8s v1.13.3, pkg/inject/envoy.go and config.go);
// - Lattice: the caller's signing proxy, container `lattice-signer`, whose stats listener serves
//   /stats/prometheus on 15090, one HTTP connection manager per backend with the backend's name
//   as stat_prefix;
// - Istio: the injected sidecar, container `istio-proxy`, whose Envoy serves Envoy's own
//   /stats/prometheus on 15090 (the `prometheus_stats` listener of istio/istio@1.30.3
//   tools/packaging/common/envoy_bootstrap.json, routing that path prefix, query string
//   included, to the admin port). Not pilot-agent's merged endpoint on 15020: that adds the
//   agent's and the application's series, which nothing here reads. 15090 is left out of the
//   sidecar's inbound capture (injection-template.yaml `-d 15090,15021,<status port>`), so the
//   scraper reaches it in plain HTTP whatever the PeerAuthentication says.

export const SCRAPER = { namespace: 'amazon-cloudwatch', serviceAccount: 'cwagent-prometheus', name: 'cwagent-prometheus' };

/** Where every scraped proxy serves Envoy's Prometheus text. */
export const METRICS_PATH = '/stats/prometheus';

/**
 * The proxies scraped: which container, which port, and the job that keeps them. The Lattice
 * signer takes its container name and stats port from here, so scraper and proxy cannot drift.
 */
export const SCRAPED_PROXIES = {
  appMeshEnvoy: { job: 'kubernetes-pod-appmesh-envoy', container: 'envoy', port: 9901 },
  latticeSigner: { job: 'kubernetes-pod-lattice-signer', container: 'lattice-signer', port: 15090 },
  istioProxy: { job: 'kubernetes-pod-istio-proxy', container: 'istio-proxy', port: 15090 },
} as const;

type Proxy = (typeof SCRAPED_PROXIES)[keyof typeof SCRAPED_PROXIES];

/**
 * One job per proxy kind: keep only that container's target, point it at the stats port (a
 * container without declared ports yields the pod's bare address), and label the series.
 */
function proxyJob(proxy: Proxy, clusterName: string, workloadLabel: 'Service' | 'Caller', metricRelabel?: object[]) {
  const escaped = proxy.container.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    job_name: proxy.job,
    sample_limit: 10000,
    metrics_path: METRICS_PATH,
    // Histograms as summaries: the agent drops histograms (see ENVOY_METRICS). The signer's stats
    // route matches the path with the query string removed (Envoy RouteMatch.path), so it passes.
    params: { histogram_buckets: ['summary'] },
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_container_name'], action: 'keep', regex: escaped },
      { source_labels: ['__address__'], action: 'replace', regex: '([^:]+)(?::\\d+)?', replacement: `\${1}:${proxy.port}`, target_label: '__address__' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'Namespace' },
      { source_labels: ['__meta_kubernetes_pod_label_app'], target_label: workloadLabel },
      { action: 'replace', replacement: clusterName, target_label: 'ClusterName' },
    ],
    ...(metricRelabel ? { metric_relabel_configs: metricRelabel } : {}),
  };
}

/** The signer names each backend's listener after it; give that a dimension-friendly name. */
const SIGNER_METRIC_RELABEL = [{ source_labels: [ENVOY_METRICS.statPrefixLabel], target_label: 'Backend' }];

/**
 * Istio's sidecar publishes hundreds of Envoy series; keep the two the dashboards read, as the
 * serving side reports them (a caller's sidecar reports the same request as `source`, and the
 * gateways, also `istio-proxy` containers, only as `source`). Metric relabeling runs before
 * sample_limit counts, so the limit applies to what is kept. The response class is derived from
 * the code because an alarm cannot filter a dimension by pattern, for 4xx and 5xx only (what the
 * panels and alarms read); code "0" (no response sent) gets none, as Envoy's own per-class
 * counters count only real codes.
 */
const ISTIO_METRIC_RELABEL = [
  // Requests, and of the latency summary only the quantiles read (each kept series is a CloudWatch metric, billed).
  { source_labels: ['__name__', ISTIO_METRICS.quantileLabel], action: 'keep', regex: `${ISTIO_METRICS.requests};|${ISTIO_METRICS.latency};(${Object.values(ISTIO_METRICS.quantiles).map((q) => q.replace('.', '\\.')).join('|')})` },
  { source_labels: [ISTIO_METRICS.reporterLabel], action: 'keep', regex: ISTIO_METRICS.serverReporter },
  { source_labels: [ISTIO_METRICS.responseCodeLabel], regex: '([45])[0-9][0-9]', replacement: '${1}xx', target_label: ISTIO_METRICS.responseClassLabel },
];

export const scrapeConfig = (clusterName: string) => ({
  global: { scrape_interval: '1m', scrape_timeout: '10s' },
  scrape_configs: [
    proxyJob(SCRAPED_PROXIES.appMeshEnvoy, clusterName, 'Service'),
    proxyJob(SCRAPED_PROXIES.latticeSigner, clusterName, 'Caller', SIGNER_METRIC_RELABEL),
    proxyJob(SCRAPED_PROXIES.istioProxy, clusterName, 'Service', ISTIO_METRIC_RELABEL),
  ],
});

/** Which series of which job become CloudWatch metrics, and under which dimensions. */
function envoyDeclarations(job: string, dimensions: readonly string[]) {
  const declare = (extra: string[], metric: string) => ({ source_labels: ['job'], label_matcher: `^${job}$`, dimensions: [[...dimensions, ...extra]], metric_selectors: [`^${metric}$`] });
  return [
    declare([], ENVOY_METRICS.requests),
    // One series per quantile; without the quantile dimension they would merge into one.
    declare([ENVOY_METRICS.quantileLabel], ENVOY_METRICS.latency),
    declare([ENVOY_METRICS.responseClassLabel], ENVOY_METRICS.responsesByClass),
  ];
}

/** Istio: requests in total and per response class (two dimension sets of one metric), latency per quantile. */
function istioDeclarations(job: string) {
  const base = [...ISTIO_DIMENSIONS];
  const declare = (dimensions: string[][], metric: string) => ({ source_labels: ['job'], label_matcher: `^${job}$`, dimensions, metric_selectors: [`^${metric}$`] });
  return [declare([base, [...base, ISTIO_METRICS.responseClassLabel]], ISTIO_METRICS.requests), declare([[...base, ISTIO_METRICS.quantileLabel]], ISTIO_METRICS.latency)];
}

export const agentConfig = (clusterName: string, region: string) => ({
  agent: { region },
  logs: {
    metrics_collected: {
      prometheus: {
        cluster_name: clusterName,
        log_group_name: `/aws/containerinsights/${clusterName}/prometheus`,
        prometheus_config_path: '/etc/prometheusconfig/prometheus.yaml',
        emf_processor: {
          metric_declaration: [
            ...envoyDeclarations(SCRAPED_PROXIES.appMeshEnvoy.job, APP_MESH_ENVOY_DIMENSIONS),
            ...envoyDeclarations(SCRAPED_PROXIES.latticeSigner.job, SIGNER_DIMENSIONS),
            ...istioDeclarations(SCRAPED_PROXIES.istioProxy.job),
          ],
        },
      },
    },
    force_flush_interval: 5,
  },
});

/** The Kubernetes objects of the scraper (its namespace exists: the managed add-on creates it). */
export function envoyScraperObjects(clusterName: string, region: string, image: string): Record<string, any>[] {
  const meta = { name: SCRAPER.name, namespace: SCRAPER.namespace };
  const labels = { app: SCRAPER.name };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SCRAPER.serviceAccount, namespace: SCRAPER.namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: SCRAPER.name },
      // Read-only discovery of pods; nothing else.
      rules: [{ apiGroups: [''], resources: ['pods', 'nodes', 'endpoints'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: SCRAPER.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SCRAPER.name },
      subjects: [{ kind: 'ServiceAccount', name: SCRAPER.serviceAccount, namespace: SCRAPER.namespace }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${SCRAPER.name}-scrape`, namespace: SCRAPER.namespace }, data: { 'prometheus.yaml': YAML.stringify(scrapeConfig(clusterName)) } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${SCRAPER.name}-agent`, namespace: SCRAPER.namespace }, data: { 'cwagentconfig.json': JSON.stringify(agentConfig(clusterName, region)) } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: SCRAPER.serviceAccount,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'cloudwatch-agent',
                image,
                resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '500m', memory: '500Mi' } },
                // The agent writes its state and buffers under /opt/aws, so its root filesystem stays writable.
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
                env: [{ name: 'CI_VERSION', value: 'k8s/1.3.x' }],
                volumeMounts: [
                  { name: 'prometheus-config', mountPath: '/etc/prometheusconfig' },
                  { name: 'agent-config', mountPath: '/etc/cwagentconfig' },
                ],
              },
            ],
            volumes: [
              { name: 'prometheus-config', configMap: { name: `${SCRAPER.name}-scrape` } },
              { name: 'agent-config', configMap: { name: `${SCRAPER.name}-agent` } },
            ],
          },
        },
      },
    },
  ];
}
