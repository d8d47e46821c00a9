import * as YAML from 'yaml';
import { CLOUDWATCH_AGENT_IMAGE } from '../../config/versions';

// The CloudWatch agent in Prometheus mode, scraping Envoy's admin endpoint on every meshed pod
// and publishing the request, error and latency series as CloudWatch metrics (EMF).

export const ENVOY_METRICS_NAMESPACE = 'ContainerInsights/Prometheus';
export const SCRAPER = { namespace: 'amazon-cloudwatch', serviceAccount: 'cwagent-prometheus', name: 'cwagent-prometheus' };

/** Envoy series the dashboard and alarms use, with the dimensions they are published under. */
export const ENVOY_SERIES = {
  requests: 'envoy_http_downstream_rq_total',
  responsesByClass: 'envoy_http_downstream_rq_xx',
  latency: 'envoy_http_downstream_rq_time',
} as const;

const scrapeConfig = (clusterName: string) => ({
  global: { scrape_interval: '1m', scrape_timeout: '10s' },
  scrape_configs: [
    {
      job_name: 'kubernetes-pod-appmesh-envoy',
      sample_limit: 10000,
      metrics_path: '/stats/prometheus',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        // Only the Envoy sidecar's admin port (9901) of injected pods.
        { source_labels: ['__meta_kubernetes_pod_container_name'], action: 'keep', regex: '^envoy$' },
        { source_labels: ['__address__'], action: 'replace', regex: '([^:]+)(?::\\d+)?', replacement: '${1}:9901', target_label: '__address__' },
        { source_labels: ['__meta_kubernetes_namespace'], target_label: 'Namespace' },
        { source_labels: ['__meta_kubernetes_pod_label_app'], target_label: 'Service' },
        { action: 'replace', replacement: clusterName, target_label: 'ClusterName' },
      ],
    },
  ],
});

const agentConfig = (clusterName: string, region: string) => ({
  agent: { region },
  logs: {
    metrics_collected: {
      prometheus: {
        cluster_name: clusterName,
        log_group_name: `/aws/containerinsights/${clusterName}/prometheus`,
        prometheus_config_path: '/etc/prometheusconfig/prometheus.yaml',
        emf_processor: {
          metric_declaration: [
            {
              source_labels: ['job'],
              label_matcher: '^kubernetes-pod-appmesh-envoy$',
              dimensions: [['ClusterName', 'Namespace', 'Service']],
              metric_selectors: [`^${ENVOY_SERIES.requests}$`, `^${ENVOY_SERIES.latency}$`],
            },
            {
              source_labels: ['job'],
              label_matcher: '^kubernetes-pod-appmesh-envoy$',
              dimensions: [['ClusterName', 'Namespace', 'Service', 'envoy_response_code_class']],
              metric_selectors: [`^${ENVOY_SERIES.responsesByClass}$`],
            },
          ],
        },
      },
    },
    force_flush_interval: 5,
  },
});

/** The Kubernetes objects of the scraper (its namespace exists: the managed add-on creates it). */
export function envoyScraperObjects(clusterName: string, region: string): Record<string, any>[] {
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
                image: CLOUDWATCH_AGENT_IMAGE,
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
