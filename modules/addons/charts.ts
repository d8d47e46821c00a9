// Every Helm chart the project installs, pinned in one place with where and when the pin was
// read. `valueKeys` lists the keys of the chart's values.yaml this project sets; a test fails if
// the code sets a key that is not in this list, so a typo or a renamed key cannot pass silently.

export interface ChartPin {
  repository: string;
  chart: string;
  version: string;
  appVersion: string;
  /** Dotted paths present in the pinned chart's values.yaml that the code may set. */
  valueKeys: readonly string[];
  /** Where the pinned chart's values.yaml lives upstream (a tag or a full commit), for the conformance test. */
  valuesSource: { repo: string; ref: string; path: string };
}

export const CHARTS = {
  /** aws/eks-charts stable/appmesh-controller: Chart.yaml and values.yaml at 1.13.3, the chart's last release (read 2026-11-24). */
  appmeshController: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'appmesh-controller',
    version: '1.13.3',
    appVersion: '1.13.3',
    valueKeys: ['region', 'accountId', 'clusterName', 'serviceAccount.create', 'serviceAccount.name', 'tracing.enabled', 'tracing.provider'],
    // The commit that set the chart to 1.13.3.
    valuesSource: { repo: 'aws/eks-charts', ref: 'f8c200d795220a5b1a7b0593bc8dc076095406fa', path: 'stable/appmesh-controller/values.yaml' },
  },
  /** aws/eks-charts stable/aws-load-balancer-controller: Chart.yaml and values.yaml at 3.5.0, released 2026-08-03 (read 2026-11-24). */
  loadBalancerController: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    version: '3.5.0',
    appVersion: 'v3.5.0',
    valueKeys: ['clusterName', 'region', 'vpcId', 'replicaCount', 'serviceAccount.create', 'serviceAccount.name', 'enableServiceMutatorWebhook'],
    valuesSource: { repo: 'kubernetes-sigs/aws-load-balancer-controller', ref: 'v3.5.0', path: 'helm/aws-load-balancer-controller/values.yaml' },
  },
  /**
   * aws/aws-application-networking-k8s helm/Chart.yaml and values.yaml at v2.1.3 (2026-08-14),
   * published as an OCI chart on public ECR (read 2026-11-24). The version keeps its leading "v".
   */
  latticeController: {
    repository: 'oci://public.ecr.aws/aws-application-networking-k8s',
    chart: 'aws-gateway-controller-chart',
    version: 'v2.1.3',
    appVersion: 'v2.1.3',
    valueKeys: ['awsRegion', 'awsAccountId', 'clusterVpcId', 'clusterName', 'serviceAccount.create', 'serviceAccount.name', 'deployment.replicas'],
    valuesSource: { repo: 'aws/aws-application-networking-k8s', ref: 'v2.1.3', path: 'helm/values.yaml' },
  },
} as const satisfies Record<string, ChartPin>;

/** Every leaf key path of a values object, e.g. { a: { b: 1 } } → ['a.b']. */
export function valuePaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? valuePaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
