import { spawnSync } from 'child_process';
import * as path from 'path';
import { EKS_VERSIONS } from '../config/platform';
import { EKS_LIFECYCLE } from '../scripts/cost/eks-support';
import { estimate, type Estimate } from '../scripts/cost/estimate';
import { readSynthesizedStacks, type SynthesizedStack } from '../scripts/cost/inventory';
import { CostUsageError, DEFAULT_PARAMETERS, parseCostOptions, type UsageParameters } from '../scripts/cost/parameters';
import { HOURS_PER_MONTH, NoPriceTableError, PRICE_TABLES, priceTableFor } from '../scripts/cost/prices';
import { fullReport } from '../scripts/cost/report';
import { ALB_CONTROLLER, LATTICE_GATEWAY_CLASS } from '../scripts/cost/rules';
import { demoWith, synthConfig, type SynthResult } from './support/synth';
import { describeWithMirrors, readUpstream } from './support/upstream';

// The cost estimate, checked against the synthesized output: each line item's count is read back
// here from the Terraform JSON (not from the estimator, not a constant), its unit price from the
// pinned table, and the total is their sum.

const ON = '2026-11-25';
const P = DEFAULT_PARAMETERS;

function run(synth: SynthResult, params: UsageParameters = P, on = ON): { stacks: SynthesizedStack[]; result: Estimate } {
  const stacks = readSynthesizedStacks(synth.outdir);
  return { stacks, result: estimate(stacks, { region: synth.config.region, params, on }) };
}

/** Every resource of a type across the synthesized stacks, with the stack it is in and its logical id. */
function all(synth: SynthResult, type: string): Array<{ stack: string; id: string; r: any }> {
  return synth.stackNames.flatMap((stack) => Object.entries<any>(synth.stack(stack).resources(type)).map(([id, r]) => ({ stack, id, r })));
}

const objects = (synth: SynthResult, kind: string) => all(synth, 'kubernetes_manifest').map((m) => ({ ...m, o: m.r.manifest })).filter((m) => m.o?.kind === kind);
const refId = (ref: string) => /^\$\{[a-z0-9_]+\.([^.]+)\.[a-z_]+\}$/.exec(ref)![1];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const distinct = <T>(xs: T[]) => new Set(xs).size;

/** The quantity each line item should have, counted straight from the synthesized JSON. */
function expectedCounts(s: SynthResult): Record<string, number> {
  const nodeGroups = all(s, 'aws_eks_node_group');
  const volumeGiB = (g: { stack: string; r: any }) => {
    const template = s.stack(g.stack).resources('aws_launch_template')[refId(g.r.launch_template.id)];
    return sum(template.block_device_mappings.map((m: any) => m.ebs.volume_size)) * g.r.scaling_config.desired_size;
  };
  const interfaceEndpoints = all(s, 'aws_vpc_endpoint').filter((e) => e.r.vpc_endpoint_type === 'Interface');
  const flowLogDestinations = all(s, 'aws_flow_log').map((f) => `${f.stack}/${refId(f.r.log_destination)}`);
  const accessLogDestinations = all(s, 'aws_vpclattice_access_log_subscription').map((a) => `${a.stack}/${refId(a.r.destination_arn)}`);
  const plainLogGroups = all(s, 'aws_cloudwatch_log_group').filter((g) => ![...flowLogDestinations, ...accessLogDestinations].includes(`${g.stack}/${g.id}`));
  const routes = objects(s, 'HTTPRoute');
  const albs = objects(s, 'Ingress').filter((i) => i.o.spec.ingressClassName === 'alb');
  const publicZones = (account: string) => distinct(all(s, 'aws_subnet').filter((n) => n.r.provider === `aws.${account}` && n.r.tags['kubernetes.io/role/elb'] === '1').map((n) => n.r.availability_zone));
  const alarmMetrics = all(s, 'aws_cloudwatch_metric_alarm').map((a) => (a.r.metric_query ? a.r.metric_query.filter((q: any) => q.metric).length : 1));
  return {
    'EC2 nodes m6i.large': sum(nodeGroups.filter((g) => g.r.instance_types[0] === 'm6i.large').map((g) => g.r.scaling_config.desired_size)),
    'EBS gp3 node volumes': sum(nodeGroups.map(volumeGiB)),
    'EKS control plane (standard support)': all(s, 'aws_eks_cluster').filter((c) => EKS_LIFECYCLE[c.r.version].endOfStandardSupport > ON).length,
    'interface endpoint (per AZ)': sum(interfaceEndpoints.map((e) => e.r.subnet_ids.length)),
    'interface endpoint data': distinct(interfaceEndpoints.map((e) => e.r.provider)) * P.endpointGb,
    'NAT gateway': all(s, 'aws_nat_gateway').length,
    'NAT gateway data': distinct(all(s, 'aws_nat_gateway').map((n) => n.r.provider)) * P.natGb,
    'public IPv4 (Elastic IPs)': all(s, 'aws_eip').length,
    'VPC flow logs (vended)': all(s, 'aws_flow_log').length * P.flowLogsGb,
    'CloudWatch Logs ingestion': plainLogGroups.length * P.logsGb,
    'Lattice access logs (vended)': accessLogDestinations.length * P.logsGb,
    'KMS keys': all(s, 'aws_kms_key').length,
    'CloudWatch alarm metrics': sum(alarmMetrics),
    'CloudWatch dashboards': all(s, 'aws_cloudwatch_dashboard').length,
    'Route 53 hosted zones': all(s, 'aws_route53_zone').length,
    'Lattice service network': all(s, 'aws_vpclattice_service_network').length,
    'Lattice services': routes.length,
    'Lattice data processed': routes.length * P.latticeGb,
    'Lattice requests': routes.length * P.latticeRequestsMillions,
    'Application Load Balancer': albs.length,
    'ALB capacity units': albs.length * P.albLcu,
    'public IPv4 (internet-facing ALBs)': sum(albs.filter((i) => i.o.metadata.annotations['alb.ingress.kubernetes.io/scheme'] === 'internet-facing').map((i) => publicZones(i.stack.replace(/^workloads-/, '')))),
  };
}

const byLabel = (e: Estimate) => Object.fromEntries(e.lineItems.map((i) => [i.label, i]));

describe('the demo (Lattice, us-west-2)', () => {
  const demo = synthConfig(demoWith());
  const { stacks, result } = run(demo);
  const expected = expectedCounts(demo);
  const table = PRICE_TABLES['us-west-2'];

  it('prices every line item as its count, read from the synthesized output, times the pinned unit price', () => {
    expect(result.lineItems.length).toBeGreaterThan(15);
    for (const item of result.lineItems) {
      expect([item.label, expected[item.label]]).toEqual([item.label, item.count]);
      const price = table.prices[item.priceKey]!;
      expect(item.unitPrice).toBeCloseTo(price.hourly ? price.usd * HOURS_PER_MONTH : price.usd, 10);
      expect(item.monthly).toBeCloseTo(item.count * item.unitPrice, 10);
    }
    // And nothing the synth holds is missing from the estimate.
    for (const [label, count] of Object.entries(expected)) if (count > 0) expect([label, byLabel(result)[label]?.count]).toEqual([label, count]);
  });

  it('totals the line items and names the three that dominate', () => {
    expect(result.total).toBeCloseTo(sum(result.lineItems.map((i) => i.monthly)), 10);
    expect(sum(result.stacks.map((s) => s.monthly))).toBeCloseTo(result.total, 10);
    expect(result.top).toHaveLength(3);
    const rest = result.lineItems.filter((i) => !result.top.includes(i));
    for (const other of rest) expect(other.monthly).toBeLessThanOrEqual(result.top[2].monthly);
    expect(result.top.map((i) => i.label)).toEqual(['EC2 nodes m6i.large', 'EKS control plane (standard support)', 'interface endpoint (per AZ)']);
    const report = fullReport(result, parseCostOptions([], {}, ON).origins);
    expect(report).toContain(`Total: $${result.total.toFixed(2)} per month`);
    expect(report).toContain('1. EC2 nodes m6i.large $280.32 (34%)');
  });

  it('lists what it does not price, by type and reason, and classifies every synthesized type', () => {
    const notPriced = Object.fromEntries(result.notPriced.map((u) => [u.kind, u]));
    expect(notPriced.aws_eks_addon).toMatchObject({ count: 2, reason: expect.stringContaining('Container Insights') });
    expect(notPriced.aws_route53_record).toMatchObject({ count: all(demo, 'aws_route53_record').length });
    expect(result.notPriced.filter((u) => u.reason.startsWith('no pricing rule'))).toEqual([]);
    const seen = sum([...result.notPriced, ...result.free].map((u) => u.count));
    const priced = all(demo, 'aws_vpc').length + sum(['aws_eks_cluster', 'aws_eks_node_group', 'aws_nat_gateway', 'aws_eip', 'aws_flow_log', 'aws_cloudwatch_log_group', 'aws_kms_key', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard', 'aws_route53_zone', 'aws_vpclattice_service_network'].map((t) => all(demo, t).length));
    const pricedObjects = objects(demo, 'HTTPRoute').length + objects(demo, 'Ingress').length + all(demo, 'aws_vpc_endpoint').filter((e) => e.r.vpc_endpoint_type === 'Interface').length;
    const resources = sum(stacks.map((s) => sum(Object.values<any>(s.json.resource ?? {}).map((byId) => Object.keys(byId).length))));
    expect(seen + priced + pricedObjects).toBe(resources);
  });

  it('lists a resource type without a rule as not priced, and leaves the total alone', () => {
    const extra = structuredClone(stacks);
    extra.find((s) => s.name === 'mesh')!.json.resource.aws_sqs_queue = { q: { name: 'jobs' } };
    const withQueue = estimate(extra, { region: 'us-west-2', params: P, on: ON });
    expect(withQueue.notPriced).toContainEqual({ kind: 'aws_sqs_queue', count: 1, reason: expect.stringMatching(/^no pricing rule\. Fix: add one to scripts\/cost\/rules\.ts/) });
    expect(withQueue.total).toBeCloseTo(result.total, 10);
    expect(fullReport(withQueue, parseCostOptions([], {}, ON).origins)).toContain('aws_sqs_queue ×1: no pricing rule');
  });

  it('prices AWS Private CA by its mode from one rule entry', () => {
    const extra = structuredClone(stacks);
    extra.find((s) => s.name === 'mesh')!.json.resource.aws_acmpca_certificate_authority = {
      short: { usage_mode: 'SHORT_LIVED_CERTIFICATE', certificate_authority_configuration: {} },
      general: { certificate_authority_configuration: {} },
    };
    const items = byLabel(estimate(extra, { region: 'us-west-2', params: P, on: ON }));
    expect(items['AWS Private CA (short-lived)']).toMatchObject({ count: 1, monthly: 50 });
    expect(items['AWS Private CA (general-purpose)']).toMatchObject({ count: 1, monthly: 400 });
  });

  it('charges a control plane in extended support at the extended rate, unless its upgrade policy is STANDARD', () => {
    const older = structuredClone(stacks);
    const cluster = (name: string) => Object.values<any>(older.find((s) => s.name === name)!.json.resource.aws_eks_cluster)[0];
    cluster('cluster-frontend').version = '1.33';
    cluster('cluster-backend').version = '1.34';
    let items = byLabel(estimate(older, { region: 'us-west-2', params: P, on: ON }));
    expect(items['EKS control plane (extended support)']).toMatchObject({ count: 1 });
    expect(items['EKS control plane (extended support)'].monthly).toBeCloseTo(0.6 * HOURS_PER_MONTH, 10);
    expect(estimate(older, { region: 'us-west-2', params: P, on: ON }).notes).toEqual([
      expect.stringContaining('EKS 1.34 (meshdemo-backend) leaves standard support on 2026-12-02'),
    ]);
    cluster('cluster-frontend').upgrade_policy = { support_type: 'STANDARD' };
    items = byLabel(estimate(older, { region: 'us-west-2', params: P, on: ON }));
    expect(items['EKS control plane (extended support)']).toBeUndefined();
    expect(items['EKS control plane (standard support)'].count).toBe(2);
  });

  it('lists a node group whose instance type has no pinned price instead of pricing it at zero', () => {
    const odd = structuredClone(stacks);
    Object.values<any>(odd.find((s) => s.name === 'cluster-backend')!.json.resource.aws_eks_node_group)[0].instance_types = ['zz9.large'];
    const e = estimate(odd, { region: 'us-west-2', params: P, on: ON });
    expect(e.notPriced).toContainEqual({ kind: 'aws_eks_node_group', count: 1, reason: expect.stringContaining('no us-west-2 price for ec2.zz9.large') });
    expect(byLabel(e)['EC2 nodes m6i.large'].count).toBe(expected['EC2 nodes m6i.large'] / 2);
  });

  it('applies a usage parameter to exactly the items that depend on it', () => {
    const more = estimate(stacks, { region: 'us-west-2', params: { ...P, logsGb: 50 }, on: ON });
    const before = byLabel(result);
    const changed = more.lineItems.filter((i) => Math.abs(i.monthly - before[i.label].monthly) > 1e-9).map((i) => i.label);
    expect(changed.sort()).toEqual(['CloudWatch Logs ingestion', 'Lattice access logs (vended)']);
    expect(byLabel(more)['CloudWatch Logs ingestion'].count).toBe((expected['CloudWatch Logs ingestion'] / P.logsGb) * 50);
  });
});

/** Line items whose monthly cost differs between two estimates, with the count difference. */
function differences(a: Estimate, b: Estimate): Record<string, { count: number; monthly: number }> {
  const labels = new Set([...a.lineItems, ...b.lineItems].map((i) => i.label));
  const out: Record<string, { count: number; monthly: number }> = {};
  for (const label of labels) {
    const [x, y] = [byLabel(a)[label], byLabel(b)[label]];
    const monthly = (y?.monthly ?? 0) - (x?.monthly ?? 0);
    if (Math.abs(monthly) > 1e-9) out[label] = { count: (y?.count ?? 0) - (x?.count ?? 0), monthly };
  }
  return out;
}

describe('a config change moves exactly the items it should', () => {
  const demo = synthConfig(demoWith());
  const base = run(demo).result;

  it('one NAT gateway per AZ instead of one per VPC: NAT gateways and their Elastic IPs', () => {
    const single = synthConfig(demoWith((c) => c.accounts.forEach((a: any) => (a.vpc.natGateways = 'single'))));
    const diff = differences(run(single).result, base);
    const natDelta = all(demo, 'aws_nat_gateway').length - all(single, 'aws_nat_gateway').length;
    const eipDelta = all(demo, 'aws_eip').length - all(single, 'aws_eip').length;
    expect(natDelta).toBe(2);
    expect(Object.keys(diff).sort()).toEqual(['NAT gateway', 'public IPv4 (Elastic IPs)']);
    expect(diff['NAT gateway'].count).toBe(natDelta);
    expect(diff['NAT gateway'].monthly).toBeCloseTo(natDelta * 0.045 * HOURS_PER_MONTH, 10);
    expect(diff['public IPv4 (Elastic IPs)'].count).toBe(eipDelta);
    expect(diff['public IPv4 (Elastic IPs)'].monthly).toBeCloseTo(eipDelta * 0.005 * HOURS_PER_MONTH, 10);
  });

  it('a larger node group: its instances and their volumes', () => {
    const larger = synthConfig(demoWith((c) => (c.accounts[1].cluster.desiredSize = 3)));
    const diff = differences(base, run(larger).result);
    const counts = [expectedCounts(demo), expectedCounts(larger)];
    expect(Object.keys(diff).sort()).toEqual(['EBS gp3 node volumes', 'EC2 nodes m6i.large']);
    expect(diff['EC2 nodes m6i.large'].count).toBe(counts[1]['EC2 nodes m6i.large'] - counts[0]['EC2 nodes m6i.large']);
    expect(diff['EC2 nodes m6i.large'].count).toBe(1);
    expect(diff['EC2 nodes m6i.large'].monthly).toBeCloseTo(0.096 * HOURS_PER_MONTH, 10);
    expect(diff['EBS gp3 node volumes'].count).toBe(counts[1]['EBS gp3 node volumes'] - counts[0]['EBS gp3 node volumes']);
    expect(diff['EBS gp3 node volumes'].monthly).toBeCloseTo(diff['EBS gp3 node volumes'].count * 0.08, 10);
  });
});

describe('prices, regions and options', () => {
  it('stops for a region without a price table, naming the region and the fix', () => {
    expect(() => priceTableFor('eu-west-1')).toThrow(NoPriceTableError);
    expect(() => priceTableFor('eu-west-1')).toThrow(/^region: "eu-west-1" has no pinned price table.*Fix: estimate a config in us-east-1 or us-west-2, or add a "eu-west-1" table to scripts\/cost\/prices\.ts/);
  });

  it('npm run cost stops before synthesizing, with one line and no output, for a config in such a region', () => {
    const root = path.resolve(__dirname, '..');
    const cli = spawnSync(path.join(root, 'node_modules/.bin/ts-node'), ['--transpile-only', 'scripts/cost/cli.ts'], {
      cwd: root,
      env: { ...process.env, MESH_CONFIG: 'examples/three-accounts-s3-chain.yaml' },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^region: "eu-west-1" has no pinned price table.*Fix: /)]);
  });

  it('gives every price a source, a confirmation level and a reading date', () => {
    for (const table of Object.values(PRICE_TABLES)) {
      expect(table.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const [key, price] of Object.entries(table.prices)) {
        expect([key, price!.source]).toEqual([key, expect.stringMatching(/^https:\/\/aws\.amazon\.com\//)]);
        expect(['aws', 'secondary', 'unconfirmed']).toContain(price!.confirmation);
      }
      expect(Object.keys(table.prices).sort()).toEqual(Object.keys(PRICE_TABLES['us-west-2'].prices).sort());
    }
  });

  it('knows the support dates of every EKS version a config may pin', () => {
    for (const version of EKS_VERSIONS) expect([version, EKS_LIFECYCLE[version]?.endOfStandardSupport]).toEqual([version, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
  });

  it('reads usage from flags over environment over defaults, and names a bad value or flag', () => {
    const o = parseCostOptions(['--logs-gb', '50', '--nat-gb=7', '--quiet'], { COST_LOGS_GB: '9', COST_ALB_LCU: '2' }, ON);
    expect(o.params).toEqual({ ...P, logsGb: 50, natGb: 7, albLcu: 2 });
    expect(o.origins).toMatchObject({ logsGb: '--logs-gb', natGb: '--nat-gb', albLcu: 'COST_ALB_LCU', ecrGb: 'default' });
    expect(o.quiet).toBe(true);
    expect(() => parseCostOptions(['--logs-gb', 'lots'], {}, ON)).toThrow(/^--logs-gb: "lots" is not a number of GB.*Fix: give a number of 0 or more, e.g. --logs-gb 5$/);
    expect(() => parseCostOptions([], { COST_NAT_GB: '-1' }, ON)).toThrow(/^COST_NAT_GB: "-1" is not a number/);
    expect(() => parseCostOptions(['--log-gb', '3'], {}, ON)).toThrow(CostUsageError);
    expect(() => parseCostOptions(['--log-gb', '3'], {}, ON)).toThrow(/did you mean --logs-gb\?/);
    expect(() => parseCostOptions(['--on', '2027-02-30'], {}, ON)).toThrow(/^--on: "2027-02-30" is not a date/);
  });
});

const LB_CONTROLLER = { repo: 'kubernetes-sigs/aws-load-balancer-controller', ref: 'v3.5.0' };
const GATEWAY_CONTROLLER = { repo: 'aws/aws-application-networking-k8s', ref: 'v2.1.3' };

describeWithMirrors([LB_CONTROLLER.repo, GATEWAY_CONTROLLER.repo])('what the rules assume of the pinned controllers, read from their source', () => {
  const lb = (file: string) => readUpstream({ ...LB_CONTROLLER, path: file })!;
  const goConst = (text: string, name: string) => new RegExp(`\\b${name}\\s*(?:[A-Za-z.]+\\s*)?=\\s*"([^"]+)"`).exec(text)?.[1];

  it('an Ingress of class alb is an ALB, internal unless its scheme annotation says internet-facing, grouped by group.name', () => {
    const constants = lb('pkg/annotations/constants.go');
    const prefix = goConst(constants, 'AnnotationPrefixIngress');
    expect(`${prefix}/${goConst(constants, 'IngressSuffixGroupName')}`).toBe(ALB_CONTROLLER.groupAnnotation);
    expect(`${prefix}/${goConst(constants, 'IngressSuffixScheme')}`).toBe(ALB_CONTROLLER.schemeAnnotation);
    expect(goConst(lb('pkg/config/ingress_config.go'), 'defaultIngressClass')).toBe(ALB_CONTROLLER.ingressClass);
    expect(goConst(lb('pkg/model/elbv2/load_balancer.go'), 'LoadBalancerSchemeInternetFacing')).toBe(ALB_CONTROLLER.internetFacing);
    // The default scheme, when no annotation sets one, is internal: such an ALB holds no public address.
    expect(lb('pkg/config/controller_config.go')).toMatch(/flagDefaultLoadBalancerScheme, string\(elbv2\.LoadBalancerSchemeInternal\)/);
  });

  it('an internet-facing ALB is placed in the subnets tagged kubernetes.io/role/elb', () => {
    expect(goConst(lb('pkg/networking/subnet_resolver.go'), 'TagKeySubnetPublicELB')).toBe(ALB_CONTROLLER.publicSubnetTag);
  });

  it('each HTTPRoute under the Lattice gateway class becomes one VPC Lattice service', () => {
    const doc = readUpstream({ ...GATEWAY_CONTROLLER, path: 'docs/guides/custom-domain-name.md' })!;
    expect(doc).toContain(`When you create a HTTPRoute under \`${LATTICE_GATEWAY_CLASS}\` gatewayclass, the controller creates a AWS VPC Lattice Service`);
  });
});

describe('Istio (us-west-2): the Private CA, the east-west NLB, and nothing left without a rule', () => {
  const lattice = run(synthConfig(demoWith())).result;
  const app = synthConfig(demoWith((c) => (c.mesh.engine = 'istio')));
  const istio = run(app).result;

  it('the root is priced in the mode it is created in (general-purpose, $400), the NLB per east-west release', () => {
    const cas = all(app, 'aws_acmpca_certificate_authority');
    expect(cas.map((c) => c.r.usage_mode)).toEqual(['GENERAL_PURPOSE']);
    expect(byLabel(istio)['AWS Private CA (general-purpose)']).toMatchObject({ count: 1, monthly: 400 });
    expect(byLabel(istio)['AWS Private CA (short-lived)']).toBeUndefined();
    const eastWest = all(app, 'helm_release').filter((r) => r.r.chart === 'gateway' && /type: LoadBalancer/.test(r.r.values[0]));
    expect(eastWest).toHaveLength(1);
    expect(byLabel(istio)['Network Load Balancer (Istio east-west gateway)'].count).toBe(eastWest.length);
    expect(byLabel(istio)['Network Load Balancer (Istio east-west gateway)'].monthly).toBeCloseTo(eastWest.length * 0.0225 * HOURS_PER_MONTH, 10);
    // The ingress gateway is a ClusterIP Service behind the ALB: no load balancer of its own.
    expect(all(app, 'helm_release').filter((r) => r.r.chart === 'gateway')).toHaveLength(2);
  });

  it('a short-lived-mode CA would be priced at the short-lived rate (the rule reads the mode)', () => {
    const stacks = readSynthesizedStacks(app.outdir).map((s) => structuredClone(s));
    for (const s of stacks) for (const ca of Object.values<any>(s.json.resource?.aws_acmpca_certificate_authority ?? {})) ca.usage_mode = 'SHORT_LIVED_CERTIFICATE';
    const changed = estimate(stacks, { region: 'us-west-2', params: P, on: ON });
    expect(byLabel(changed)['AWS Private CA (short-lived)']).toMatchObject({ count: 1, monthly: 50 });
    expect(byLabel(changed)['AWS Private CA (general-purpose)']).toBeUndefined();
  });

  it('every Istio kind has a rule: only knowingly unpriced items remain (certificate fees, DNS queries, Container Insights)', () => {
    expect(istio.notPriced.filter((u) => /no pricing rule/.test(JSON.stringify(u)))).toEqual([]);
    expect(istio.notPriced.map((u: any) => u.kind).sort()).toEqual(['aws_acmpca_certificate', 'aws_eks_addon', 'aws_route53_record', 'kubernetes_manifest/Certificate']);
    expect(istio.total).toBeGreaterThan(lattice.total);
  });
});
