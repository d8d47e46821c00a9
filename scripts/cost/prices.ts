// Pinned list prices, per region, in USD. Each price names where it was read and how sure we
// are of it for that region, so the report can say which figures rest on a secondary source.
// AWS's pricing pages render their regional tables in the browser; where a page states a number
// only in a worked example for another region, or only third parties quote the AWS Price List
// for this region, the price is marked "secondary". Re-read the pages and move `readOn` when
// refreshing; a new region is one more entry in PRICE_TABLES.

/** AWS's convention for monthly figures: "a month equals 730 hours" (VPC Lattice pricing, Example 1). */
export const HOURS_PER_MONTH = 730;

export type PriceKey =
  | 'eks.cluster.standard'
  | 'eks.cluster.extended'
  | 'nat.gateway'
  | 'nat.data'
  | 'vpce.interface'
  | 'vpce.data'
  | 'ipv4.address'
  | 'ebs.gp3'
  | 'kms.key'
  | 'logs.ingest'
  | 'logs.vended'
  | 'cloudwatch.alarm-metric'
  | 'cloudwatch.dashboard'
  | 'route53.zone'
  | 'lattice.service'
  | 'lattice.data'
  | 'lattice.requests'
  | 'lattice.service-network'
  | 'alb.hour'
  | 'alb.lcu'
  | 'nlb.hour'
  | 'nlb.lcu'
  | 'ecr.storage'
  | 'acmpca.general-purpose'
  | 'acmpca.short-lived'
  | `ec2.${string}`;

/**
 * - aws: an AWS page read here states this number for this region, or for every region.
 * - secondary: AWS states it for another region only, or third parties quote the AWS Price List
 *   for this region; the same number from two or more of them.
 * - unconfirmed: not read anywhere for this region; the report lists it.
 */
export type Confirmation = 'aws' | 'secondary' | 'unconfirmed';

export interface Price {
  usd: number;
  /** What one unit is, e.g. "NAT gateway-hour", "GB processed". */
  unit: string;
  /** Charged per hour: the monthly unit price is usd × HOURS_PER_MONTH. */
  hourly: boolean;
  source: string;
  confirmation: Confirmation;
  note?: string;
}

export interface PriceTable {
  region: string;
  /** The day the sources were read (YYYY-MM-DD). */
  readOn: string;
  prices: Partial<Record<PriceKey, Price>>;
}

const SRC = {
  eks: 'https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/ ("$0.60 per cluster per hour" in extended support; standard "$0.10 per cluster per hour"); https://aws.amazon.com/eks/pricing/',
  vpc: 'https://aws.amazon.com/vpc/pricing/ (worked example, US East (Ohio): $0.045 per NAT gateway-hour and per GB processed); AWS Price List usage types <REGION>-NatGateway-Hours/-Bytes as quoted by third parties',
  privatelink: 'https://aws.amazon.com/privatelink/pricing/ ("billed for each hour that your VPC endpoint remains provisioned in each Availability Zone"; data processed: first 1 PB $0.01 per GB); AWS Price List <REGION>-VpcEndpoint-Hours as quoted by third parties',
  ipv4: 'https://aws.amazon.com/vpc/pricing/ (Public IPv4 addresses: $0.005 per IP per hour, in use or idle, since 2024-02-01); https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/',
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/ (Linux, shared tenancy); the regional table renders in the browser, so the number is the one third-party tables of the AWS Price List agree on',
  ebs: 'https://aws.amazon.com/ebs/pricing/ (gp3 storage per GB-month; 3,000 IOPS and 125 MiB/s included); AWS Price List volumeApiName=gp3 as quoted by third parties',
  kms: 'https://aws.amazon.com/kms/pricing/ ($1 per customer managed key per month; each of the first two rotations adds $1/month, not counted here); AWS Price List <REGION>-KMS-Keys as quoted by third parties',
  logs: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard: collect (data ingestion) $0.50 per GB); AWS Price List as quoted by third parties',
  vended: 'https://aws.amazon.com/cloudwatch/pricing/ (Vended Logs delivered to CloudWatch Logs, first 10 TB $0.50 per GB); aws-samples/sample-cfm-tips-mcp services/cloudwatch_service_vended_log.py',
  alarms: 'https://aws.amazon.com/cloudwatch/pricing/ (standard resolution alarm $0.10 per alarm metric per month; a metric math alarm counts each metric it reads)',
  dashboards: 'https://aws.amazon.com/cloudwatch/pricing/ ($3.00 per dashboard per month; 3 dashboards per account are in the free tier, not subtracted here)',
  route53: 'https://aws.amazon.com/route53/pricing/ ($0.50 per hosted zone per month for the first 25; Route 53 is a global service)',
  lattice: 'https://aws.amazon.com/vpc/lattice/pricing/ (Example 1, US East (N. Virginia): $0.025 per service-hour, $0.025 per GB processed; "We assume that a month equals 730 hours")',
  latticeRequests: 'https://aws.amazon.com/vpc/lattice/pricing/ (HTTP requests per service, counted hourly; $0.10 per million as quoted by third parties)',
  latticeNetwork: 'https://aws.amazon.com/vpc/lattice/pricing/ (charged per service, per GB and per request; the service network and its VPC associations carry no charge of their own)',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/ (ALB pricing example, US East: $0.0225 per ALB-hour, $0.008 per LCU-hour); AWS Price List <REGION>-LoadBalancerUsage as quoted by third parties',
  ecr: 'https://aws.amazon.com/ecr/pricing/ ($0.10 per GB-month of private repository storage); AWS Price List <REGION>-TimedStorage-ByteHrs as quoted by third parties',
  nlb: 'https://aws.amazon.com/elasticloadbalancing/pricing/ (Network Load Balancer: per NLB-hour and per NLCU-hour; the numbers here were not read on that page)',
  pca: 'https://aws.amazon.com/private-ca/pricing/ ("$400 per private CA per month for general-purpose mode", "$50 per private CA per month for short-lived certificate mode")',
};

/** us-east-1 and us-west-2 list the same prices for everything priced here; `ec2Confirmation` differs where a type was read for one only. */
function usTable(region: string, ec2Unconfirmed: string[]): PriceTable {
  const ec2 = (type: string, usd: number): [PriceKey, Price] => [
    `ec2.${type}`,
    { usd, unit: `${type} instance-hour`, hourly: true, source: SRC.ec2, confirmation: ec2Unconfirmed.includes(type) ? 'unconfirmed' : 'secondary' },
  ];
  return {
    region,
    readOn: '2026-11-25',
    prices: {
      'eks.cluster.standard': { usd: 0.1, unit: 'cluster-hour (standard support)', hourly: true, source: SRC.eks, confirmation: 'aws' },
      'eks.cluster.extended': { usd: 0.6, unit: 'cluster-hour (extended support)', hourly: true, source: SRC.eks, confirmation: 'aws' },
      'nat.gateway': { usd: 0.045, unit: 'NAT gateway-hour', hourly: true, source: SRC.vpc, confirmation: 'secondary' },
      'nat.data': { usd: 0.045, unit: 'GB processed by NAT', hourly: false, source: SRC.vpc, confirmation: 'secondary' },
      'vpce.interface': { usd: 0.01, unit: 'interface endpoint-AZ-hour', hourly: true, source: SRC.privatelink, confirmation: 'secondary' },
      'vpce.data': { usd: 0.01, unit: 'GB processed by interface endpoints (first 1 PB)', hourly: false, source: SRC.privatelink, confirmation: 'secondary' },
      'ipv4.address': { usd: 0.005, unit: 'public IPv4 address-hour', hourly: true, source: SRC.ipv4, confirmation: 'secondary' },
      'ebs.gp3': { usd: 0.08, unit: 'gp3 GB-month', hourly: false, source: SRC.ebs, confirmation: 'secondary' },
      'kms.key': { usd: 1, unit: 'KMS key-month', hourly: false, source: SRC.kms, confirmation: 'secondary' },
      'logs.ingest': { usd: 0.5, unit: 'GB ingested (Standard)', hourly: false, source: SRC.logs, confirmation: 'secondary' },
      'logs.vended': { usd: 0.5, unit: 'GB of vended logs delivered (first 10 TB)', hourly: false, source: SRC.vended, confirmation: 'secondary' },
      'cloudwatch.alarm-metric': { usd: 0.1, unit: 'alarm metric-month (standard resolution)', hourly: false, source: SRC.alarms, confirmation: 'secondary' },
      'cloudwatch.dashboard': { usd: 3, unit: 'dashboard-month', hourly: false, source: SRC.dashboards, confirmation: 'secondary' },
      'route53.zone': { usd: 0.5, unit: 'hosted zone-month', hourly: false, source: SRC.route53, confirmation: 'secondary' },
      'lattice.service': {
        usd: 0.025,
        unit: 'Lattice service-hour',
        hourly: true,
        source: SRC.lattice,
        confirmation: region === 'us-east-1' ? 'aws' : 'unconfirmed',
        note: region === 'us-east-1' ? undefined : 'AWS states it for US East (N. Virginia) only; assumed the same here',
      },
      'lattice.data': {
        usd: 0.025,
        unit: 'GB processed by a Lattice service',
        hourly: false,
        source: SRC.lattice,
        confirmation: region === 'us-east-1' ? 'aws' : 'unconfirmed',
        note: region === 'us-east-1' ? undefined : 'AWS states it for US East (N. Virginia) only; assumed the same here',
      },
      'lattice.requests': {
        usd: 0.1,
        unit: 'million HTTP requests',
        hourly: false,
        source: SRC.latticeRequests,
        confirmation: 'secondary',
        note: 'an hourly free allowance per service exists and is not subtracted, so this is an upper bound',
      },
      'lattice.service-network': { usd: 0, unit: 'service network-month', hourly: false, source: SRC.latticeNetwork, confirmation: 'aws' },
      'alb.hour': { usd: 0.0225, unit: 'ALB-hour', hourly: true, source: SRC.elb, confirmation: 'secondary' },
      'alb.lcu': { usd: 0.008, unit: 'LCU-hour', hourly: true, source: SRC.elb, confirmation: 'secondary' },
      'nlb.hour': { usd: 0.0225, unit: 'NLB-hour', hourly: true, source: SRC.nlb, confirmation: 'unconfirmed', note: 'the ALB-hour price, assumed the same for an NLB' },
      'nlb.lcu': { usd: 0.006, unit: 'NLCU-hour', hourly: true, source: SRC.nlb, confirmation: 'unconfirmed' },
      'ecr.storage': { usd: 0.1, unit: 'GB-month of image storage', hourly: false, source: SRC.ecr, confirmation: 'secondary' },
      'acmpca.general-purpose': { usd: 400, unit: 'private CA-month (general-purpose)', hourly: false, source: SRC.pca, confirmation: 'aws' },
      'acmpca.short-lived': { usd: 50, unit: 'private CA-month (short-lived certificates)', hourly: false, source: SRC.pca, confirmation: 'aws' },
      ...Object.fromEntries([ec2('m6i.large', 0.096), ec2('m6i.xlarge', 0.192), ec2('t3.medium', 0.0416), ec2('m7g.large', 0.0816)]),
    },
  };
}

/**
 * Regions with a pinned table. Other regions of config/platform.ts (us-east-2, eu-west-1,
 * eu-central-1, ap-southeast-1, ap-northeast-1) have no table yet: their prices differ from
 * these and could not be read here, so `npm run cost` stops for them instead of guessing.
 */
export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = {
  // m7g.large was read for us-east-1 only.
  'us-east-1': usTable('us-east-1', []),
  'us-west-2': usTable('us-west-2', ['m7g.large']),
};

export class NoPriceTableError extends Error {}

export function priceTableFor(region: string, tables: Readonly<Record<string, PriceTable>> = PRICE_TABLES): PriceTable {
  const table = tables[region];
  if (!table) {
    throw new NoPriceTableError(
      `region: "${region}" has no pinned price table, so its cost cannot be estimated. Fix: estimate a config in ${Object.keys(tables).join(' or ')}, or add a "${region}" table to scripts/cost/prices.ts with each price's source and the date it was read`,
    );
  }
  return table;
}

/** The monthly price of one unit: hourly prices run the whole month. */
export function monthlyUnitPrice(price: Price): number {
  return price.hourly ? price.usd * HOURS_PER_MONTH : price.usd;
}
