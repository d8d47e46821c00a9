// The limits on every name this project derives, each with where it comes from. Data only: the
// synth-time check (./check.ts) and the shortening of names that may be shortened (./fit.ts)
// both read this table, so a limit is stated once. Read 2026-11-25.

export type LimitId =
  | 'iam-role'
  | 'iam-inline-policy'
  | 'eks-cluster'
  | 'eks-node-group'
  | 'security-group'
  | 'launch-template'
  | 'log-group'
  | 'kms-alias'
  | 'ecr-repository'
  | 's3-bucket'
  | 'ram-share'
  | 'cloud-map-namespace'
  | 'lattice-service-network'
  | 'lattice-service'
  | 'lattice-target-group'
  | 'alb'
  | 'alb-target-group'
  | 'appmesh'
  | 'cloudwatch-dashboard'
  | 'cloudwatch-alarm'
  | 'helm-release'
  | 'k8s-dns1123-label'
  | 'k8s-dns1123-subdomain'
  | 'k8s-dns1035-label'
  | 'k8s-label-value'
  | 'dns-name'
  | 'x509-common-name';

export interface NameLimit {
  /** What the name names, as a user would say it. */
  what: string;
  min: number;
  /** Longest allowed name; undefined where the owner documents none. */
  max?: number;
  pattern?: RegExp;
  /** The pattern in words, for messages. */
  rule?: string;
  /** Checked per dot-separated label (DNS names). */
  labelMax?: number;
  source: string;
  /**
   * Whether a derived name past `max` is shortened (prefix plus a hash of the full name, the full
   * name kept in a tag) instead of stopping synthesis. Only for names nothing else looks up by
   * string except through the same function (modules/limits/fit.ts).
   */
  shorten: boolean;
}

const HYPHENATED = (reserved: string) => new RegExp(`^(?!${reserved})(?!-)(?!.*-$)(?!.*--)[a-z0-9-]+$`);
const HYPHENATED_RULE = (reserved: string) => `a-z, 0-9 and single "-", not at either end, not starting "${reserved}"`;
const TF_AWS = 'hashicorp/aws 5.100.0 validates the same bound at terraform validate';

export const LIMITS: Record<LimitId, NameLimit> = {
  'iam-role': {
    what: 'IAM role name',
    min: 1,
    max: 64,
    pattern: /^[\w+=,.@-]+$/,
    rule: 'letters, digits and + = , . @ _ -',
    source: `IAM User Guide, "IAM and AWS STS quotas" (role name: 64 characters; IAM name requirements); ${TF_AWS}`,
    shorten: true,
  },
  'iam-inline-policy': {
    what: 'IAM inline policy name',
    min: 1,
    max: 128,
    source: `IAM User Guide, "IAM and AWS STS quotas" (policy name: 128 characters); ${TF_AWS}`,
    shorten: false,
  },
  'eks-cluster': {
    what: 'EKS cluster name',
    min: 1,
    max: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    rule: 'letters, digits, "-" and "_", starting with a letter or digit',
    source: `Amazon EKS API, CreateCluster "name"; ${TF_AWS}`,
    shorten: false,
  },
  'eks-node-group': {
    what: 'EKS node group name',
    min: 1,
    max: 63,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    rule: 'letters, digits, "-" and "_", starting with a letter or digit',
    source: `Amazon EKS API, CreateNodegroup "nodegroupName" (63 characters); ${TF_AWS}`,
    shorten: true,
  },
  'security-group': {
    what: 'security group name',
    min: 1,
    max: 255,
    pattern: /^(?!sg-)[\w .:/()#,@[\]+=&;{}!$*-]+$/,
    rule: 'letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with "sg-"',
    source: `Amazon EC2 API, CreateSecurityGroup "GroupName"; ${TF_AWS}`,
    shorten: false,
  },
  'launch-template': {
    what: 'launch template name',
    min: 3,
    // The EC2 API allows 128; the Terraform provider, which is what deploys, stops at 125.
    max: 125,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    rule: 'letters, digits and ( ) . - / _',
    source: 'Amazon EC2 API, CreateLaunchTemplate "LaunchTemplateName" (3-128); hashicorp/aws 5.100.0 rejects more than 125 at terraform validate',
    shorten: false,
  },
  'log-group': {
    what: 'CloudWatch log group name',
    min: 1,
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    rule: 'letters, digits and . - _ / #',
    source: `CloudWatch Logs API, CreateLogGroup "logGroupName"; ${TF_AWS}`,
    shorten: false,
  },
  'kms-alias': {
    what: 'KMS alias',
    min: 1,
    max: 256,
    pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/,
    rule: '"alias/" then letters, digits, "/", "_" and "-", not "alias/aws/"',
    source: 'AWS KMS API, CreateAlias "AliasName" (1-256 characters, alias/aws/ reserved)',
    shorten: false,
  },
  'ecr-repository': {
    what: 'ECR repository name',
    min: 2,
    max: 256,
    pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    rule: 'a-z and 0-9, with ".", "_", "-" or "/" only singly between them',
    source: 'Amazon ECR API, CreateRepository "repositoryName" (2-256 characters and its pattern)',
    shorten: false,
  },
  's3-bucket': {
    what: 'S3 bucket name',
    min: 3,
    max: 63,
    pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
    rule: 'lower-case letters, digits, "." and "-", starting and ending with a letter or digit',
    source: `Amazon S3 User Guide, "General purpose bucket naming rules"; ${TF_AWS}`,
    shorten: false,
  },
  'ram-share': {
    what: 'RAM resource share name',
    min: 1,
    source: 'AWS RAM API, CreateResourceShare "name": a required string; no length or pattern is documented, so only emptiness is checked',
    shorten: false,
  },
  'cloud-map-namespace': {
    what: 'Cloud Map private DNS namespace',
    min: 1,
    max: 253,
    labelMax: 63,
    pattern: /^[!-~]+$/,
    rule: 'printable ASCII without spaces',
    source: 'AWS Cloud Map API, CreatePrivateDnsNamespace "Name" (at most 253); RFC 1035 section 2.3.4 (each label at most 63 octets)',
    shorten: false,
  },
  'lattice-service-network': {
    what: 'VPC Lattice service network name',
    min: 3,
    max: 63,
    pattern: HYPHENATED('servicenetwork-'),
    rule: HYPHENATED_RULE('servicenetwork-'),
    source: `VPC Lattice API, CreateServiceNetwork "name" (3-63; CloudFormation AWS::VpcLattice::ServiceNetwork gives the pattern); ${TF_AWS}`,
    shorten: false,
  },
  'lattice-service': {
    what: 'VPC Lattice service name',
    min: 3,
    max: 40,
    pattern: HYPHENATED('svc-'),
    rule: HYPHENATED_RULE('svc-'),
    source: 'VPC Lattice API, CreateService "name" (3-40); aws-application-networking-k8s v2.1.3 pkg/k8s/utils.go ValidateVPCLatticeServiceName applies the same rules',
    shorten: false,
  },
  'lattice-target-group': {
    what: 'VPC Lattice target group name',
    min: 3,
    max: 128,
    pattern: HYPHENATED('tg-'),
    rule: HYPHENATED_RULE('tg-'),
    source: 'VPC Lattice API, CreateTargetGroup "name" (3-128; CloudFormation AWS::VpcLattice::TargetGroup gives the pattern)',
    shorten: false,
  },
  alb: {
    what: 'load balancer name',
    min: 1,
    max: 32,
    pattern: /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    rule: 'letters, digits and "-", not at either end, not starting with "internal-"',
    source: 'Elastic Load Balancing API, CreateLoadBalancer "Name" (32 characters); aws-load-balancer-controller v3.5.0 pkg/ingress/model_build_load_balancer.go rejects a longer explicit name',
    shorten: false,
  },
  'alb-target-group': {
    what: 'load balancer target group name',
    min: 1,
    max: 32,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    rule: 'letters, digits and "-", not at either end',
    source: 'Elastic Load Balancing API, CreateTargetGroup "Name" (32 characters)',
    shorten: false,
  },
  appmesh: {
    what: 'App Mesh name',
    min: 1,
    max: 255,
    source: `AWS App Mesh API, CreateMesh "meshName" (1-255); ${TF_AWS}`,
    shorten: false,
  },
  'cloudwatch-dashboard': {
    what: 'CloudWatch dashboard name',
    min: 1,
    max: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    rule: 'letters, digits, "-" and "_"',
    source: `CloudWatch API, PutDashboard "DashboardName"; ${TF_AWS}`,
    shorten: false,
  },
  'cloudwatch-alarm': {
    what: 'CloudWatch alarm name',
    min: 1,
    max: 255,
    source: `CloudWatch API, PutMetricAlarm "AlarmName" (1-255); ${TF_AWS}`,
    shorten: false,
  },
  'helm-release': {
    what: 'Helm release name',
    min: 1,
    max: 53,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    rule: 'a lower-case DNS-1123 subdomain',
    source: 'Helm 3 pkg/chartutil ValidateReleaseName (53 characters: release names end up in Kubernetes labels)',
    shorten: false,
  },
  'k8s-dns1123-label': {
    what: 'Kubernetes name (DNS-1123 label)',
    min: 1,
    max: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    rule: 'a-z, 0-9 and "-", starting and ending with a letter or digit',
    source: 'Kubernetes "Object Names and IDs"; k8s.io/apimachinery v0.35.7 pkg/util/validation IsDNS1123Label (namespaces, containers, volumes)',
    shorten: false,
  },
  'k8s-dns1123-subdomain': {
    what: 'Kubernetes object name (DNS-1123 subdomain)',
    min: 1,
    max: 253,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    rule: 'a-z, 0-9, "-" and ".", starting and ending with a letter or digit',
    source: 'Kubernetes "Object Names and IDs"; apimachinery v0.35.7 IsDNS1123Subdomain (most kinds; every custom resource, apiextensions-apiserver customresource validator)',
    shorten: false,
  },
  'k8s-dns1035-label': {
    what: 'Kubernetes Service name (DNS-1035 label)',
    min: 1,
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    rule: 'a-z, 0-9 and "-", starting with a letter, ending with a letter or digit',
    source: 'Kubernetes "Object Names and IDs" (RFC 1035 label names); kubernetes pkg/apis/core/validation ValidateServiceName = NameIsDNS1035Label',
    shorten: false,
  },
  'k8s-label-value': {
    what: 'Kubernetes label value',
    min: 0,
    max: 63,
    pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
    rule: 'A-Z, a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit',
    source: 'Kubernetes "Labels and Selectors" (syntax and character set); apimachinery v0.35.7 pkg/api/validate/content IsLabelValue',
    shorten: false,
  },
  'dns-name': {
    what: 'DNS name of a Route 53 private zone or record',
    min: 1,
    max: 253,
    labelMax: 63,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    rule: 'dot-separated labels of a-z, 0-9 and "-"',
    source: 'Route 53 Developer Guide, "DNS domain name format" (labels of up to 63 characters, 255 bytes in all, which is 253 characters written out; RFC 1035 section 2.3.4)',
    shorten: false,
  },
  'x509-common-name': {
    what: 'certificate common name',
    min: 1,
    max: 64,
    source: 'AWS Private CA API, ASN1Subject CommonName (length 0-64); cert-manager v1.21.1 internal/apis/certmanager/validation/certificate.go (commonName longer than 64 is rejected)',
    shorten: false,
  },
};

/** Why `name` breaks `limit`, in words; undefined when it fits. */
export function nameProblem(id: LimitId, name: string): string | undefined {
  const limit = LIMITS[id];
  if (name.length < limit.min) return `is ${name.length} characters; at least ${limit.min} are required`;
  if (limit.max !== undefined && name.length > limit.max) return `is ${name.length} characters; the limit is ${limit.max}`;
  if (limit.labelMax !== undefined) {
    const long = name.split('.').find((label) => label.length > limit.labelMax!);
    if (long) return `has a ${long.length}-character label; each label may have at most ${limit.labelMax}`;
  }
  if (limit.pattern && !limit.pattern.test(name)) return `must be ${limit.rule}`;
  return undefined;
}
