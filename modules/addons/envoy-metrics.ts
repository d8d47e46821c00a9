import * as YAML from 'yaml';
import { APP_MESH_ENVOY_DIMENSIONS, ENVOY_METRICS, SIGNER_DIMENSIONS } from '../observability/metrics';

// The CloudWatch agent in Prometheus mode, scraping the Envoy proxies of the mesh and publishing
// their request, error and latency series as CloudWatch metrics (EMF):
// - App Mesh: the injected sidecar, container `envoy`, admin port 9901
//   (aws/aws-app-mesh-controller-for-k8s v1.13.3, pkg/inject/envoy.go and config.go);
// - Lattice: the caller's signing proxy, container `lattice-signer`, whose stats listener serves
//   /stats/prometheus on 15090, one HTTP connection manager per backend with the backend's name
//   as stat_prefix.

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
} as const;

type Proxy = (typeof SCRAPED_PROXIES)[keyof typeof SCRAPED_PROXIES];

/**
 * One job per proxy kind: keep only that container's target, point it at the stats port (a
 * container without declared ports yields the pod's bare address), and label the series.
 */
function proxyJob(proxy: Proxy, clusterName: string, workloadLabel: 'Service' | 'Caller') {
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
    // The signer names each backend's listener after it; give that a dimension-friendly name.
    ...(workloadLabel === 'Caller' ? { metric_relabel_configs: [{ source_labels: [ENVOY_METRICS.statPrefixLabel], target_label: 'Backend' }] } : {}),
  };
}

export const scrapeConfig = (clusterName: string) => ({
  global: { scrape_interval: '1m', scrape_timeout: '10s' },
  scrape_configs: [proxyJob(SCRAPED_PROXIES.appMeshEnvoy, clusterName, 'Service'), proxyJob(SCRAPED_PROXIES.latticeSigner, clusterName, 'Caller')],
});

/** Which series of which job become CloudWatch metrics, and under which dimensions. */
function declarations(job: string, dimensions: readonly string[]) {
  const declare = (extra: string[], metric: string) => ({ source_labels: ['job'], label_matcher: `^${job}$`, dimensions: [[...dimensions, ...extra]], metric_selectors: [`^${metric}$`] });
  return [
    declare([], ENVOY_METRICS.requests),
    // One series per quantile; without the quantile dimension they would merge into one.
    declare([ENVOY_METRICS.quantileLabel], ENVOY_METRICS.latency),
    declare([ENVOY_METRICS.responseClassLabel], ENVOY_METRICS.responsesByClass),
  ];
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
          metric_declaration: [...declarations(SCRAPED_PROXIES.appMeshEnvoy.job, APP_MESH_ENVOY_DIMENSIONS), ...declarations(SCRAPED_PROXIES.latticeSigner.job, SIGNER_DIMENSIONS)],
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
