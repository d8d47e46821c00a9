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
  /**
   * Keys of values.yaml that hold a free-form map or list (Istio's `meshConfig`, `env`,
   * annotations): values.yaml cannot list what goes inside them, so each names what its content
   * is checked against instead. Every path under such a key is allowed (see `allowedValuePath`).
   */
  freeFormKeys?: Readonly<Record<string, string>>;
  /** Keys a template reads that values.yaml does not list, each with the template that reads it. */
  templateKeys?: Readonly<Record<string, string>>;
}

/** Istio's charts: one repository, one version; chart names from each Chart.yaml. */
const ISTIO_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';
const ISTIO_VERSION = '1.30.3';
const istioValues = (dir: string) => ({ repo: 'istio/istio', ref: ISTIO_VERSION, path: `manifests/charts/${dir}/values.yaml` });
const ISTIO_MESH_CONFIG = 'the MeshConfig message of istio/api@1.30.3 mesh/v1alpha1/config.proto (JSON names)';
const ISTIO_ENV = 'names registered with env.Register in istio/istio@1.30.3';

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
  /*
   * istio/istio at tag 1.30.3 (2026-07-13, the newest non-prerelease tag; read 2026-11-25). The
   * charts in git say version 1.0.0, which istio/release-builder replaces with the release
   * version at publish time (comment in each Chart.yaml); the repository URL is the one each
   * chart's README names. Every Istio values.yaml nests its defaults under
   * `_internal_defaults_do_not_set`, which users leave out (comment at the top of each file).
   */
  istioBase: {
    repository: ISTIO_REPOSITORY,
    chart: 'base',
    version: ISTIO_VERSION,
    appVersion: ISTIO_VERSION,
    valueKeys: ['global.enableReaderRBAC'],
    valuesSource: istioValues('base'),
  },
  istioCni: {
    repository: ISTIO_REPOSITORY,
    chart: 'cni',
    version: ISTIO_VERSION,
    appVersion: ISTIO_VERSION,
    valueKeys: ['global.hub', 'global.tag', 'global.logAsJson', 'cniBinDir', 'cniConfDir', 'chained', 'ambient.enabled', 'useAppArmorAnnotation', 'resources.requests.cpu', 'resources.requests.memory'],
    valuesSource: istioValues('istio-cni'),
  },
  istiod: {
    repository: ISTIO_REPOSITORY,
    chart: 'istiod',
    version: ISTIO_VERSION,
    appVersion: ISTIO_VERSION,
    valueKeys: [
      'global.hub', 'global.tag', 'global.logAsJson', 'global.meshID', 'global.multiCluster.clusterName', 'global.proxy.excludeIPRanges',
      'global.proxy.resources.requests.cpu', 'global.proxy.resources.requests.memory', 'global.proxy.resources.limits.cpu', 'global.proxy.resources.limits.memory',
      'cni.enabled', 'resources.requests.cpu', 'resources.requests.memory', 'autoscaleMin',
    ],
    valuesSource: istioValues('istio-control/istio-discovery'),
    freeFormKeys: { meshConfig: ISTIO_MESH_CONFIG, env: ISTIO_ENV },
    // base's values.yaml lists it; istiod's reads it with a default (`dig "global" "enableReaderRBAC" true`).
    templateKeys: { 'global.enableReaderRBAC': 'manifests/charts/istio-control/istio-discovery/templates/reader-clusterrole.yaml' },
  },
  istioGateway: {
    repository: ISTIO_REPOSITORY,
    chart: 'gateway',
    version: ISTIO_VERSION,
    appVersion: ISTIO_VERSION,
    valueKeys: ['name', 'service.type', 'service.ports', 'service.loadBalancerSourceRanges', 'autoscaling.minReplicas', 'autoscaling.maxReplicas', 'resources.requests.cpu', 'resources.requests.memory'],
    valuesSource: istioValues('gateway'),
    freeFormKeys: {
      'service.annotations': 'the Service annotations of aws-load-balancer-controller v3.5.0 docs/guide/service/annotations.md',
      podDisruptionBudget: 'the chart\'s values.schema.json at 1.30.3',
    },
  },
  /** cert-manager/cert-manager deploy/charts/cert-manager at v1.21.1 (2026-07-29, read 2026-11-25); the published chart keeps the "v". */
  certManager: {
    repository: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.21.1',
    appVersion: 'v1.21.1',
    valueKeys: ['crds.enabled', 'crds.keep', 'enableCertificateOwnerRef'],
    valuesSource: { repo: 'cert-manager/cert-manager', ref: 'v1.21.1', path: 'deploy/charts/cert-manager/values.yaml' },
  },
  /** cert-manager/aws-privateca-issuer charts/aws-pca-issuer at v1.9.0 (2026-06-12, read 2026-11-25): Chart.yaml says version and appVersion v1.9.0. */
  pcaIssuer: {
    repository: 'https://cert-manager.github.io/aws-privateca-issuer',
    chart: 'aws-privateca-issuer',
    version: 'v1.9.0',
    appVersion: 'v1.9.0',
    valueKeys: ['image.repository', 'image.tag', 'serviceAccount.create', 'serviceAccount.name', 'approverRole.enabled', 'approverRole.serviceAccountName', 'approverRole.namespace'],
    valuesSource: { repo: 'cert-manager/aws-privateca-issuer', ref: 'v1.9.0', path: 'charts/aws-pca-issuer/values.yaml' },
    freeFormKeys: { podSecurityContext: 'a Kubernetes PodSecurityContext (kubernetes-models)', securityContext: 'a Kubernetes SecurityContext (kubernetes-models)' },
  },
} as const satisfies Record<string, ChartPin>;

/** Whether a release may set `path`: a listed key, a key a template reads, or a path inside a free-form key. */
export function allowedValuePath(pin: ChartPin, path: string): boolean {
  if (pin.valueKeys.includes(path) || (pin.templateKeys && path in pin.templateKeys)) return true;
  return Object.keys(pin.freeFormKeys ?? {}).some((k) => path === k || path.startsWith(`${k}.`));
}

/** Every leaf key path of a values object, e.g. { a: { b: 1 } } → ['a.b']. */
export function valuePaths(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? valuePaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
