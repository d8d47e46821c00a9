import * as YAML from 'yaml';
import { PLAN_TIME, type Item, type SynthView } from './inventory';
import type { UsageParameters } from './parameters';
import type { PriceKey } from './prices';
import { addDays, EKS_LIFECYCLE, supportTier } from './eks-support';

// The pricing rules, as data: which synthesized resources a rule matches, and what each one is
// charged for (a price key times a count). Every resource is matched by one entry: priced, free
// with the reason, or knowingly not priced with the reason, so nothing is silently free. A new
// resource type is one entry here (and its prices in prices.ts).

export interface Charge {
  /** The line item it adds to: charges with the same label and price key are summed. */
  label: string;
  priceKey: PriceKey;
  /** Units of the price per month (hourly prices: units running all month). */
  count: number;
}

export interface NotPriced {
  notPriced: string;
}

export interface RuleContext {
  view: SynthView;
  params: UsageParameters;
  /** The first day of the month estimated (YYYY-MM-DD). */
  on: string;
  note(text: string): void;
}

export interface CostRule {
  /** A Terraform resource type, or kubernetes_manifest/<Kind>. */
  kind: string;
  where?: (attrs: any, item: Item, ctx: RuleContext) => boolean;
  /** What one matching resource costs; [] when another resource carries its cost. */
  charge?: (item: Item, ctx: RuleContext) => Array<Charge | NotPriced>;
  /** No charge of its own, and why. */
  free?: string;
  /** Billed, but not estimated here, and why. */
  notPriced?: string;
}

/** The Service type a gateway chart release asks for (its values, as YAML). */
function gatewayServiceType(attrs: any): string | undefined {
  const values = (attrs.values ?? []).map((v: string) => YAML.parse(v) ?? {});
  return values.map((v: any) => v.service?.type).filter(Boolean).pop();
}

const each = (label: string, priceKey: PriceKey, count = 1) => (): Charge[] => [{ label, priceKey, count }];

function eksCluster(item: Item, ctx: RuleContext): Array<Charge | NotPriced> {
  const version = String(item.attrs.version);
  const tier = supportTier(version, ctx.on);
  if (!tier) return [{ notPriced: `EKS version ${version} has no lifecycle dates. Fix: add them to scripts/cost/eks-support.ts` }];
  const end = EKS_LIFECYCLE[version].endOfStandardSupport;
  // With upgrade_policy STANDARD, EKS upgrades the cluster at the end of standard support instead of billing extended support.
  const standardOnly = item.attrs.upgrade_policy?.support_type === 'STANDARD';
  if (tier === 'ended') return [{ notPriced: `EKS ${version} is past the end of extended support; EKS upgrades such clusters` }];
  if (tier === 'standard' && end <= addDays(ctx.on, 31) && !standardOnly) {
    ctx.note(`EKS ${version} (${item.attrs.name}) leaves standard support on ${end}: from then its control plane costs the extended-support rate`);
  }
  const extended = tier === 'extended' && !standardOnly;
  return [{ label: `EKS control plane (${extended ? 'extended' : 'standard'} support)`, priceKey: extended ? 'eks.cluster.extended' : 'eks.cluster.standard', count: 1 }];
}

function nodeGroup(item: Item, ctx: RuleContext): Array<Charge | NotPriced> {
  const nodes = Number(item.attrs.scaling_config?.desired_size ?? 0);
  // EKS managed node groups launch On-Demand capacity in the order instance types are listed ("prioritized").
  const type = item.attrs.instance_types?.[0];
  if (item.attrs.capacity_type === 'SPOT') return [{ notPriced: 'Spot node group: Spot prices move hourly' }];
  if (!type) return [{ notPriced: 'node group without instance_types' }];
  const charges: Array<Charge | NotPriced> = [{ label: `EC2 nodes ${type}`, priceKey: `ec2.${type}`, count: nodes }];
  const template = ctx.view.resolve(item.stack, item.attrs.launch_template?.id);
  if (!template) return [...charges, { notPriced: 'node volumes: no launch template to read their size from' }];
  for (const mapping of template.attrs.block_device_mappings ?? []) {
    const volumeType = mapping.ebs?.volume_type ?? 'gp3';
    charges.push({ label: `EBS ${volumeType} node volumes`, priceKey: `ebs.${volumeType}` as PriceKey, count: nodes * Number(mapping.ebs?.volume_size ?? 0) });
  }
  return charges;
}

function interfaceEndpoint(item: Item): Array<Charge | NotPriced> {
  const subnets = item.attrs.subnet_ids;
  // One endpoint network interface, billed by the hour, per subnet (Availability Zone) it is placed in.
  if (!Array.isArray(subnets)) return [{ notPriced: 'interface endpoint whose subnets are not known at synth' }];
  return [{ label: 'interface endpoint (per AZ)', priceKey: 'vpce.interface', count: subnets.length }];
}

function vpcTraffic(item: Item, ctx: RuleContext): Charge[] {
  const inVpc = (i: Item) => i.stack === item.stack && i.account === item.account;
  const charges: Charge[] = [];
  if (ctx.view.of('aws_nat_gateway', inVpc).length > 0) charges.push({ label: 'NAT gateway data', priceKey: 'nat.data', count: ctx.params.natGb });
  if (ctx.view.of('aws_vpc_endpoint', (i) => inVpc(i) && i.attrs.vpc_endpoint_type === 'Interface').length > 0) {
    charges.push({ label: 'interface endpoint data', priceKey: 'vpce.data', count: ctx.params.endpointGb });
  }
  return charges;
}

function logGroup(item: Item, ctx: RuleContext): Charge[] {
  if (ctx.view.deliveredBy(item, 'aws_flow_log', 'log_destination')) return []; // priced as the flow log
  if (ctx.view.deliveredBy(item, 'aws_vpclattice_access_log_subscription', 'destination_arn')) {
    return [{ label: 'Lattice access logs (vended)', priceKey: 'logs.vended', count: ctx.params.logsGb }];
  }
  return [{ label: 'CloudWatch Logs ingestion', priceKey: 'logs.ingest', count: ctx.params.logsGb }];
}

function alarm(item: Item): Array<Charge | NotPriced> {
  const queries: any[] = item.attrs.metric_query ?? [];
  if (queries.some((q) => Number(q.metric?.period) < 60) || Number(item.attrs.period) < 60) return [{ notPriced: 'high-resolution alarm' }];
  // A metric math alarm is billed per metric it reads; expressions are not metrics.
  const metrics = queries.length > 0 ? queries.filter((q) => q.metric).length : 1;
  return [{ label: 'CloudWatch alarm metrics', priceKey: 'cloudwatch.alarm-metric', count: metrics }];
}

/**
 * What the pinned AWS Load Balancer Controller (v3.5.0) reads, checked against its source in the
 * tests: pkg/annotations/constants.go (prefix, group.name, scheme), pkg/config/ingress_config.go
 * (class "alb"), pkg/config/controller_config.go (default scheme internal),
 * pkg/networking/subnet_resolver.go (public subnet tag).
 */
export const ALB_CONTROLLER = {
  ingressClass: 'alb',
  groupAnnotation: 'alb.ingress.kubernetes.io/group.name',
  schemeAnnotation: 'alb.ingress.kubernetes.io/scheme',
  internetFacing: 'internet-facing',
  publicSubnetTag: 'kubernetes.io/role/elb',
} as const;

/** The AWS Gateway API Controller's class (v2.1.3, docs/api-types/gateway.md): each HTTPRoute under it becomes a Lattice service. */
export const LATTICE_GATEWAY_CLASS = 'amazon-vpc-lattice';

const ALB_GROUP = ALB_CONTROLLER.groupAnnotation;

function ingressAlb(item: Item, ctx: RuleContext): Charge[] {
  // Ingresses sharing an IngressGroup share one ALB (AWS Load Balancer Controller, "IngressGroup").
  const group = item.attrs.metadata?.annotations?.[ALB_GROUP];
  if (group) {
    const first = ctx.view
      .of('kubernetes_manifest/Ingress', (i) => i.stack === item.stack && i.attrs.metadata?.annotations?.[ALB_GROUP] === group)
      .sort((a, b) => a.id.localeCompare(b.id))[0];
    if (first !== item) return [];
  }
  const charges: Charge[] = [
    { label: 'Application Load Balancer', priceKey: 'alb.hour', count: 1 },
    { label: 'ALB capacity units', priceKey: 'alb.lcu', count: ctx.params.albLcu },
  ];
  // The controller's default scheme is internal; an internet-facing ALB holds a public IPv4 address in each AZ it spans.
  if (item.attrs.metadata?.annotations?.[ALB_CONTROLLER.schemeAnnotation] === ALB_CONTROLLER.internetFacing) {
    const zones = new Set(ctx.view.taggedSubnets(item.account, ALB_CONTROLLER.publicSubnetTag).map((s) => s.attrs.availability_zone));
    charges.push({ label: 'public IPv4 (internet-facing ALBs)', priceKey: 'ipv4.address', count: zones.size });
  }
  return charges;
}

function latticeRoute(item: Item, ctx: RuleContext): Array<Charge | NotPriced> {
  // The AWS Gateway API Controller makes one Lattice service per route whose parent Gateway is of its class.
  const parents: any[] = item.attrs.spec?.parentRefs ?? [];
  const latticeParent = parents.some((p) =>
    ctx.view.of('kubernetes_manifest/Gateway', (g) => g.stack === item.stack && g.attrs.metadata?.name === p.name).some((g) => g.attrs.spec?.gatewayClassName === LATTICE_GATEWAY_CLASS),
  );
  if (!latticeParent) return [{ notPriced: `route whose Gateway is not of class ${LATTICE_GATEWAY_CLASS}` }];
  return [
    { label: 'Lattice services', priceKey: 'lattice.service', count: 1 },
    { label: 'Lattice data processed', priceKey: 'lattice.data', count: ctx.params.latticeGb },
    { label: 'Lattice requests', priceKey: 'lattice.requests', count: ctx.params.latticeRequestsMillions },
  ];
}

const RUNS_ON_NODES = 'runs on the nodes, which are priced';

export const COST_RULES: readonly CostRule[] = [
  // Priced.
  { kind: 'aws_eks_cluster', charge: eksCluster },
  { kind: 'aws_eks_node_group', charge: nodeGroup },
  { kind: 'aws_nat_gateway', charge: each('NAT gateway', 'nat.gateway') },
  { kind: 'aws_eip', charge: each('public IPv4 (Elastic IPs)', 'ipv4.address') },
  { kind: 'aws_vpc_endpoint', where: (a) => a.vpc_endpoint_type === 'Interface', charge: interfaceEndpoint },
  { kind: 'aws_vpc', charge: vpcTraffic },
  { kind: 'aws_flow_log', where: (a) => a.log_destination_type === 'cloud-watch-logs', charge: (_, ctx) => [{ label: 'VPC flow logs (vended)', priceKey: 'logs.vended', count: ctx.params.flowLogsGb }] },
  { kind: 'aws_cloudwatch_log_group', charge: logGroup },
  { kind: 'aws_kms_key', charge: each('KMS keys', 'kms.key') },
  { kind: 'aws_cloudwatch_metric_alarm', charge: alarm },
  { kind: 'aws_cloudwatch_dashboard', charge: each('CloudWatch dashboards', 'cloudwatch.dashboard') },
  { kind: 'aws_route53_zone', charge: each('Route 53 hosted zones', 'route53.zone') },
  { kind: 'aws_vpclattice_service_network', charge: each('Lattice service network', 'lattice.service-network') },
  { kind: 'kubernetes_manifest/HTTPRoute', charge: latticeRoute },
  { kind: 'kubernetes_manifest/GRPCRoute', charge: latticeRoute },
  { kind: 'kubernetes_manifest/Ingress', where: (a) => a.spec?.ingressClassName === ALB_CONTROLLER.ingressClass, charge: ingressAlb },
  { kind: 'aws_ecr_repository', charge: (_, ctx) => [{ label: 'ECR image storage', priceKey: 'ecr.storage', count: ctx.params.ecrGb }] },
  {
    kind: 'aws_acmpca_certificate_authority',
    charge: (i) => (i.attrs.usage_mode === 'SHORT_LIVED_CERTIFICATE' ? each('AWS Private CA (short-lived)', 'acmpca.short-lived')() : each('AWS Private CA (general-purpose)', 'acmpca.general-purpose')()),
  },
  // Istio's east-west gateway: the gateway chart with a LoadBalancer Service, which the AWS Load
  // Balancer Controller turns into an NLB (engines/istio/control-plane-values.ts); one per release.
  {
    kind: 'helm_release',
    where: (a) => a.chart === 'gateway' && gatewayServiceType(a) === 'LoadBalancer',
    charge: (_, ctx) => [
      { label: 'Network Load Balancer (Istio east-west gateway)', priceKey: 'nlb.hour', count: 1 },
      { label: 'NLB capacity units', priceKey: 'nlb.lcu', count: ctx.params.albLcu },
    ],
  },
  {
    kind: 'kubernetes_manifest/Certificate',
    where: (a) => a.spec?.isCA === true && a.spec?.issuerRef?.group === 'awspca.cert-manager.io',
    notPriced: 'each certificate AWS Private CA issues carries a one-time fee, billed to the account that asks for it (https://aws.amazon.com/private-ca/pricing/): here one intermediate per cluster per renewal (every 20 days)',
  },
  { kind: 'aws_acmpca_certificate', notPriced: 'the root\'s own certificate, issued once: a one-time certificate fee (https://aws.amazon.com/private-ca/pricing/)' },
  // Billed by use, not estimated.
  { kind: 'aws_eks_addon', where: (a) => a.addon_name === 'amazon-cloudwatch-observability', notPriced: 'Container Insights (enhanced observability) and its traces are billed per observation and per trace' },
  { kind: 'aws_route53_record', notPriced: 'DNS queries are billed per million' },
  { kind: 'kubernetes_manifest/TLSRoute', notPriced: 'a Lattice service with a TLS passthrough listener, billed per hour, GB and TCP connection' },
  { kind: 'aws_s3_bucket', notPriced: 'storage and requests of a few MB of Terraform state' },
  { kind: 'kubernetes_manifest/Service', where: (a) => a.spec?.type === 'LoadBalancer', notPriced: 'a Network Load Balancer per Service of type LoadBalancer' },
  // No charge of their own.
  { kind: 'aws_vpc_endpoint', where: (a) => a.vpc_endpoint_type === 'Gateway', free: 'gateway endpoints (S3, DynamoDB) have no charge' },
  { kind: 'aws_eks_addon', free: 'add-ons run on the nodes' },
  { kind: 'aws_launch_template', free: 'its volumes are priced with the node group' },
  { kind: 'aws_vpclattice_access_log_subscription', free: 'its log group is priced' },
  { kind: 'aws_appmesh_mesh', free: 'App Mesh had no charge of its own (and was discontinued on 2026-09-30)' },
  { kind: 'helm_release', free: RUNS_ON_NODES },
  // The controllers stacks decode the pinned Gateway API CRDs at plan time; a CRD has no charge.
  {
    kind: `kubernetes_manifest/${PLAN_TIME}`,
    where: (a) => String(a.for_each).includes('data.http.gateway-api-crds.'),
    free: 'the Gateway API CRDs, decoded from the pinned release at plan time',
  },
  ...[
    'Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'NetworkPolicy', 'PodDisruptionBudget',
    'Gateway', 'GatewayClass', 'IAMAuthPolicy', 'AWSPCAIssuer', 'PeerAuthentication', 'Telemetry', 'AuthorizationPolicy', 'DestinationRule', 'Sidecar', 'ServiceEntry', 'TargetGroupPolicy', 'Mesh', 'VirtualNode', 'VirtualRouter', 'VirtualService', 'Ingress',
  ].map((kind) => ({ kind: `kubernetes_manifest/${kind}`, free: kind === 'Ingress' ? 'not an ALB Ingress' : RUNS_ON_NODES })),
  ...[
    'aws_acmpca_certificate_authority_certificate', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_openid_connect_provider', 'aws_iam_service_linked_role',
    'aws_subnet', 'aws_route_table', 'aws_route', 'aws_route_table_association', 'aws_internet_gateway', 'aws_security_group',
    'aws_default_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_vpc_peering_connection',
    'aws_vpc_peering_connection_accepter', 'aws_vpc_peering_connection_options', 'aws_eks_access_entry', 'aws_eks_access_policy_association',
    'aws_eks_pod_identity_association', 'aws_kms_alias', 'aws_ram_resource_share', 'aws_ram_resource_association', 'aws_ram_principal_association',
    'aws_ram_resource_share_accepter', 'aws_oam_sink', 'aws_oam_sink_policy', 'aws_oam_link', 'aws_route53_zone_association',
    'aws_route53_vpc_association_authorization', 'aws_vpclattice_auth_policy', 'aws_vpclattice_service_network_vpc_association',
    'aws_vpclattice_service_network_service_association', 'aws_ecr_lifecycle_policy', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy',
    'aws_s3_bucket_public_access_block', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning',
  ].map((kind) => ({ kind, free: 'configuration with no charge of its own (data it carries is billed where it is processed)' })),
];

/** The entry that decides a resource: the first whose kind and condition match. */
export function ruleFor(item: Item, ctx: RuleContext, rules: readonly CostRule[] = COST_RULES): CostRule | undefined {
  return rules.find((r) => r.kind === item.kind && (!r.where || r.where(item.attrs, item, ctx)));
}
