// The metric names, dimensions, units and statistics that dashboards and alarms use, in one
// place, each with where it is documented. Everything that reads a metric takes it from here, and
// the tests assert the emitted widgets and alarms use exactly these.

/**
 * VPC Lattice's own metrics. Source: "CloudWatch metrics for Amazon VPC Lattice",
 * https://docs.aws.amazon.com/vpc-lattice/latest/ug/monitoring-cloudwatch.html (service metrics
 * and target group metrics, namespace AWS/VpcLattice). A service's metrics carry the dimension
 * `Service` (optionally with `AvailabilityZone`, not used here: alarms watch the whole service);
 * a target group's carry `TargetGroup`. Their values are the resource ids, the last segment of
 * the ARN (`service/svc-…`, `targetgroup/tg-…`), as prometheus-community/yet-another-cloudwatch-exporter
 * (pkg/config/services.go, AWS/VpcLattice) derives them. Lattice reports request metrics only
 * while requests flow; the target group's health is reported while health checks run.
 */
export const LATTICE_METRICS = {
  namespace: 'AWS/VpcLattice',
  doc: 'https://docs.aws.amazon.com/vpc-lattice/latest/ug/monitoring-cloudwatch.html',
  service: {
    dimension: 'Service',
    requests: { name: 'TotalRequestCount', unit: 'Count', stat: 'Sum' },
    http4xx: { name: 'HTTPCode_4XX_Count', unit: 'Count', stat: 'Sum' },
    http5xx: { name: 'HTTPCode_5XX_Count', unit: 'Count', stat: 'Sum' },
    requestTime: { name: 'RequestTime', unit: 'Milliseconds', stat: 'p99' },
  },
  targetGroup: {
    dimension: 'TargetGroup',
    healthyTargets: { name: 'HealthyHostCount', unit: 'Count', stat: 'Minimum' },
  },
} as const;

/**
 * Envoy's statistics as its Prometheus endpoint names them: `http.<stat_prefix>.downstream_rq_xx`
 * becomes `envoy_http_downstream_rq_xx` with the tags `envoy_http_conn_manager_prefix` and
 * `envoy_response_code_class` (envoyproxy/envoy source/common/config/well_known_names.cc,
 * HTTP_CONN_MANAGER_PREFIX and RESPONSE_CODE_CLASS). The CloudWatch agent in Prometheus mode
 * publishes them as EMF metrics in this namespace (modules/addons/envoy-metrics.ts).
 *
 * Latency is an Envoy histogram, and the agent drops Prometheus histograms ("Prometheus metric
 * type conversion by the CloudWatch agent": counter, gauge and summary are supported,
 * histograms are dropped). So the scraper asks Envoy for summaries instead
 * (`histogram_buckets=summary`, envoyproxy/envoy source/server/admin/utils.cc; the admin test
 * HandlerStatsPrometheusSummaryEmission shows the output): one series per quantile, the label
 * `quantile`, values in the histogram's unit (ms for downstream_rq_time) over the last stats
 * flush interval. The agent keeps quantile values as reported. A latency panel therefore reads
 * the series of one quantile, not a CloudWatch percentile of raw samples.
 */
export const ENVOY_METRICS = {
  namespace: 'ContainerInsights/Prometheus',
  requests: 'envoy_http_downstream_rq_total',
  responsesByClass: 'envoy_http_downstream_rq_xx',
  latency: 'envoy_http_downstream_rq_time',
  quantileLabel: 'quantile',
  /** The quantiles dashboards read, as Envoy labels them (its default supported quantiles). */
  quantiles: { p50: '0.5', p99: '0.99' },
  responseClassLabel: 'envoy_response_code_class',
  statPrefixLabel: 'envoy_http_conn_manager_prefix',
} as const;

/** Dimensions of the App Mesh sidecar's series: the serving pod's `app` label is the service. */
export const APP_MESH_ENVOY_DIMENSIONS = ['ClusterName', 'Namespace', 'Service'] as const;

/**
 * Dimensions of the Lattice signer's series: the calling pod's `app` label, and the listener's
 * `stat_prefix`, which the signer sets to the backend's name.
 */
export const SIGNER_DIMENSIONS = ['ClusterName', 'Namespace', 'Caller', 'Backend'] as const;

/**
 * Container Insights cluster metrics of the amazon-cloudwatch-observability add-on, dimension
 * ClusterName ("Amazon EKS and Kubernetes Container Insights metrics",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html).
 */
export const CONTAINER_INSIGHTS = {
  namespace: 'ContainerInsights',
  nodeCpu: 'node_cpu_utilization',
  nodeMemory: 'node_memory_utilization',
  podCpu: 'pod_cpu_utilization',
  podMemory: 'pod_memory_utilization',
  runningPods: 'cluster_number_of_running_pods',
} as const;

/**
 * Ready pods behind one Kubernetes Service (same documentation page, dimensions Service,
 * Namespace, ClusterName). The agent counts the Endpoints object's ready addresses only and
 * publishes nothing for a Service with none (open-telemetry/opentelemetry-collector-contrib
 * internal/aws/k8s/k8sclient/endpoint.go: "ignore the service which has 0 pods"), so missing
 * data means no ready endpoint, and an alarm on it treats missing data as breaching.
 */
export const CONTAINER_INSIGHTS_SERVICE = {
  namespace: CONTAINER_INSIGHTS.namespace,
  readyPods: 'service_number_of_running_pods',
  dimensions: ['ClusterName', 'Namespace', 'Service'],
} as const;

/**
 * Istio's standard metrics as its sidecar's Prometheus endpoint names them ("Istio Standard
 * Metrics", https://istio.io/latest/docs/reference/config/metrics/; istio/api@1.30.3
 * telemetry/v1alpha1/telemetry.proto MetricSelector.IstioMetric: REQUEST_COUNT is
 * `istio_requests_total`, REQUEST_DURATION the histogram `istio_request_duration_milliseconds`).
 * Every series carries `reporter` (`destination` when the serving sidecar reports it, `source`
 * when the caller's does) and `response_code`; `istioctl dashboard`'s queries read the server
 * side the same way (`reporter="destination"`, errors as `response_code=~"[45][0-9]{2}"`,
 * istio/istio@1.30.3 istioctl/pkg/metrics/metrics.go).
 *
 * The duration is an Envoy histogram, which the CloudWatch agent drops, so it is read as Envoy's
 * summary, exactly as ENVOY_METRICS.latency: the scraper asks for `histogram_buckets=summary` and
 * each quantile is a series with the `quantile` label. `response_code` is a three-digit code (or
 * "0" when no response was sent); the scraper derives `responseClassLabel` ("4xx", "5xx") from it,
 * because an alarm cannot filter a dimension by pattern.
 */
export const ISTIO_METRICS = {
  namespace: 'ContainerInsights/Prometheus',
  doc: 'https://istio.io/latest/docs/reference/config/metrics/',
  requests: 'istio_requests_total',
  latency: 'istio_request_duration_milliseconds',
  reporterLabel: 'reporter',
  /** The server-side view: what the serving sidecar saw, one series set per service. */
  serverReporter: 'destination',
  responseCodeLabel: 'response_code',
  responseClassLabel: 'response_code_class',
  quantileLabel: 'quantile',
  quantiles: { p50: '0.5', p99: '0.99' },
} as const;

/** Dimensions of Istio's server-side series: the serving pod's `app` label is the service. */
export const ISTIO_DIMENSIONS = ['ClusterName', 'Namespace', 'Service'] as const;
