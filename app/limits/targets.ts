import type { PolicyInput } from '../policy/model';
import type { LimitId } from '../../modules/limits/table';

// Where each derived name sits in the synthesized Terraform JSON, and which limit applies to it:
// a resource attribute, a Kubernetes object's name, labels and container names, and the names the
// controllers will derive from our objects (VPC Lattice services and target groups).

export interface DerivedName {
  limit: LimitId;
  name: string;
  /** Construct path of the resource that carries it (for names nothing in the config produced). */
  where: string;
  /** What the name names, where more precise than the limit's (e.g. "Kubernetes Gateway name"). */
  what?: string;
  /** How a controller derives it (e.g. from an HTTPRoute). */
  note?: string;
}

/** Name attributes per Terraform resource type. */
export const RESOURCE_NAMES: Record<string, Array<[attribute: string, limit: LimitId]>> = {
  aws_iam_role: [['name', 'iam-role']],
  aws_iam_role_policy: [['name', 'iam-inline-policy']],
  aws_eks_cluster: [['name', 'eks-cluster']],
  aws_eks_node_group: [['node_group_name', 'eks-node-group']],
  aws_security_group: [['name', 'security-group']],
  aws_launch_template: [['name', 'launch-template']],
  aws_cloudwatch_log_group: [['name', 'log-group']],
  aws_kms_alias: [['name', 'kms-alias']],
  aws_ecr_repository: [['name', 'ecr-repository']],
  aws_s3_bucket: [['bucket', 's3-bucket']],
  aws_ram_resource_share: [['name', 'ram-share']],
  aws_service_discovery_private_dns_namespace: [['name', 'cloud-map-namespace']],
  aws_vpclattice_service_network: [['name', 'lattice-service-network']],
  aws_appmesh_mesh: [['name', 'appmesh']],
  aws_cloudwatch_dashboard: [['dashboard_name', 'cloudwatch-dashboard']],
  aws_cloudwatch_metric_alarm: [['alarm_name', 'cloudwatch-alarm']],
  helm_release: [['name', 'helm-release']],
  aws_route53_zone: [['name', 'dns-name']],
  aws_route53_record: [['name', 'dns-name']],
};

/** A value Terraform only knows at apply (an interpolation) cannot be checked here. */
const literal = (value: unknown): value is string => typeof value === 'string' && !value.includes('${');

/**
 * The name rule of a Kubernetes kind: Services are DNS-1035 labels, Namespaces DNS-1123 labels,
 * RBAC objects path segments (not checked), every other kind and every custom resource a
 * DNS-1123 subdomain (see the sources in modules/limits/table.ts).
 */
const KIND_NAME_LIMIT: Record<string, LimitId | null> = {
  Service: 'k8s-dns1035-label',
  Namespace: 'k8s-dns1123-label',
  ClusterRole: null,
  ClusterRoleBinding: null,
  Role: null,
  RoleBinding: null,
};

/** Label maps anywhere in an object: labels, matchLabels, and a Service's selector. */
function labelValues(node: unknown, key = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => labelValues(n));
  if (node === null || typeof node !== 'object') return [];
  const entries = Object.entries(node as Record<string, unknown>);
  const isLabelMap = ['labels', 'matchLabels', 'selector'].includes(key) && entries.every(([, v]) => typeof v === 'string');
  return isLabelMap ? entries.map(([, v]) => v as string) : entries.flatMap(([k, v]) => labelValues(v, k));
}

function kubeNames(manifest: Record<string, any>, where: string): DerivedName[] {
  const names: DerivedName[] = [];
  const add = (limit: LimitId, name: unknown, what?: string) => literal(name) && names.push({ limit, name, where, what });
  const limit = KIND_NAME_LIMIT[manifest.kind] === undefined ? 'k8s-dns1123-subdomain' : KIND_NAME_LIMIT[manifest.kind];
  if (limit) add(limit, manifest.metadata?.name, `Kubernetes ${manifest.kind} name (${limit === 'k8s-dns1123-subdomain' ? 'DNS-1123 subdomain' : limit === 'k8s-dns1035-label' ? 'DNS-1035 label' : 'DNS-1123 label'})`);
  labelValues(manifest).forEach((value) => add('k8s-label-value', value));
  const pod = manifest.spec?.template?.spec;
  for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? []), ...(pod?.volumes ?? [])]) add('k8s-dns1123-label', c?.name);
  // The LB controller names ALBs and target groups itself (k8s-<ns:8>-<name:8>-<hash:10>, at most
  // 32 characters; aws-load-balancer-controller v3.5.0 model_build_load_balancer.go and
  // model_build_target_group.go), so only an explicit name can break the limit.
  add('alb', manifest.metadata?.annotations?.['alb.ingress.kubernetes.io/load-balancer-name']);
  // cert-manager rejects a longer common name, and so does Private CA for the issued certificate.
  if (manifest.kind === 'Certificate') add('x509-common-name', manifest.spec?.commonName, 'common name of a cert-manager Certificate');
  // A ServiceEntry endpoint's address is a DNS name the sidecar resolves (the east-west gateway's).
  if (manifest.kind === 'ServiceEntry') for (const e of manifest.spec?.endpoints ?? []) if (!/^[0-9.]+$/.test(e.address ?? '')) add('dns-name', e.address, 'ServiceEntry endpoint address (DNS name)');
  return names;
}

/** Go's strings.Trim(s[:n], "-") as the Gateway API controller applies it. */
const truncate = (value: string, length: number) => value.slice(0, length).replace(/^-+|-+$/g, '');

/**
 * The Lattice service name the AWS Gateway API controller derives from an HTTPRoute:
 * `<route name, 20 chars>-<namespace, 18 chars>` unless the route names one itself
 * (aws-application-networking-k8s v2.1.3, pkg/utils/common.go LatticeServiceName).
 */
export function latticeServiceName(route: { name: string; namespace: string; annotations?: Record<string, string> }): string {
  return route.annotations?.['application-networking.k8s.aws/lattice-service-name'] || `${truncate(route.name, 20)}-${truncate(route.namespace, 18)}`;
}

/**
 * A Lattice target group name for a backend Service: `k8s-<namespace, 55>-<service, 55>-` and 10
 * random lower-case letters, shown as "x" (pkg/model/lattice/targetgroup.go GenerateTgName).
 */
export const latticeTargetGroupName = (service: string, namespace: string) => `k8s-${truncate(namespace, 55)}-${truncate(service, 55)}-${'x'.repeat(10)}`;

function latticeNames(manifest: Record<string, any>, where: string): DerivedName[] {
  if (manifest.kind !== 'HTTPRoute' || !literal(manifest.metadata?.name)) return [];
  const route = { name: manifest.metadata.name, namespace: manifest.metadata.namespace ?? 'default', annotations: manifest.metadata.annotations };
  const backends: string[] = (manifest.spec?.rules ?? []).flatMap((r: any) => (r.backendRefs ?? []).filter((b: any) => (b.kind ?? 'Service') === 'Service').map((b: any) => b.name));
  return [
    { limit: 'lattice-service', name: latticeServiceName(route), where, note: 'set by the Gateway API controller' },
    ...backends.filter(literal).map((b): DerivedName => ({ limit: 'lattice-target-group', name: latticeTargetGroupName(b, route.namespace), where, note: `for Service ${route.namespace}/${b}; x: 10 random letters` })),
  ];
}

/** Every name in one synth that a limit applies to. */
export function derivedNames(input: PolicyInput): DerivedName[] {
  const names: DerivedName[] = [];
  for (const [type, attributes] of Object.entries(RESOURCE_NAMES)) {
    for (const r of input.resources(type)) {
      for (const [attribute, limit] of attributes) if (literal(r.body[attribute])) names.push({ limit, name: r.body[attribute], where: r.path });
    }
  }
  for (const r of input.resources('aws_acmpca_certificate_authority')) {
    const cn = r.body.certificate_authority_configuration?.subject?.common_name;
    if (literal(cn)) names.push({ limit: 'x509-common-name', name: cn, where: r.path, what: 'Private CA root common name' });
  }
  for (const { resource, manifest } of input.kubeObjects()) names.push(...kubeNames(manifest, resource.path), ...latticeNames(manifest, resource.path));
  return names;
}

/** HTTPRoutes of one cluster whose derived Lattice service names coincide (the second would take over the first). */
export function latticeNameClashes(input: PolicyInput): Array<{ name: string; routes: string[] }> {
  const byStackAndName = new Map<string, string[]>();
  for (const { resource, manifest } of input.kubeObjects('HTTPRoute')) {
    const m = manifest.metadata ?? {};
    if (!literal(m.name)) continue;
    const key = `${resource.stack}\u0000${latticeServiceName({ name: m.name, namespace: m.namespace ?? 'default', annotations: m.annotations })}`;
    byStackAndName.set(key, [...(byStackAndName.get(key) ?? []), m.name]);
  }
  return [...byStackAndName].filter(([, routes]) => routes.length > 1).map(([key, routes]) => ({ name: key.split('\u0000')[1], routes }));
}
