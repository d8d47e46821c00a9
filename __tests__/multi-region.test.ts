import * as fs from 'fs';
import * as path from 'path';
import { scratchDir, SynthStack } from './support/synth';
import { loadConfig } from '../app/config';
import { loadConfigWith } from '../config/load';
import { CONFIG_RULES } from '../config/rules';
import { isEngine } from '../engines/registry';
import { failoverProblems } from '../engines/istio/locality';
import { runCombinedOfflinePlan } from '../scripts/plan/combined-plan';
import { oneAccountTwoRegions, sitesConfig, synthSites, twoAccountsTwoRegions } from './support/multi-region';
import { validateConfig } from '../app/config';
import { demoConfig } from '../config/demo';
import { crossAccountCalls, peeringLinks } from '../config/topology';
import { REGION_AZS } from '../config/platform';
import { CONTAINER_INSIGHTS_SERVICE } from '../modules/observability/metrics';
import { alarmTopicFor } from '../config/sites';

// Sites (an account's cluster per region) and what follows each site's region: providers, AZs,
// endpoints, KMS, ECR, kubeconfig, inter-region peering with routes and SG rules on both sides,
// and an OAM sink per region. Facts behind the assertions are cited where the code is.

const alias = SynthStack.alias;

describe('sites and placements in the config', () => {
  test('a config written before regions keeps one home site per account, named as the account', () => {
    const config = validateConfig(demoConfig);
    expect(config.accounts.map((a) => [a.name, a.account, a.region, a.home])).toEqual([
      ['frontend', 'frontend', 'us-west-2', true],
      ['backend', 'backend', 'us-west-2', true],
    ]);
    expect(config.services.map((s) => s.placements.map((p) => p.site))).toEqual(config.services.map((s) => [s.account]));
  });

  test('an account in another home region keeps its name; a second cluster of an account is <account>-<region>', () => {
    expect(sitesConfig(twoAccountsTwoRegions()).accounts.map((a) => `${a.name}@${a.region}`)).toEqual(['frontend@us-west-2', 'backend@us-east-1']);
    const one = sitesConfig(oneAccountTwoRegions());
    expect(one.accounts.map((a) => [a.name, a.account, a.region, a.home])).toEqual([
      ['shared', 'shared', 'us-west-2', true],
      ['shared-us-east-1', 'shared', 'us-east-1', false],
      ['edge', 'edge', 'us-west-2', true],
    ]);
  });

  test('placements resolve to sites, with a per-placement replica count', () => {
    const { services } = sitesConfig(twoAccountsTwoRegions());
    const c = services.find((s) => s.name === 'service-c')!;
    expect(c.placements).toEqual([
      { site: 'backend', account: 'backend', region: 'us-east-1', replicas: c.replicas },
      { site: 'frontend', account: 'frontend', region: 'us-west-2', replicas: 1 },
    ]);
    const b = sitesConfig(oneAccountTwoRegions()).services.find((s) => s.name === 'service-b')!;
    expect(b.placements.map((p) => `${p.site}@${p.region}`)).toEqual(['shared@us-west-2', 'shared-us-east-1@us-east-1']);
  });

  test('a caller reaches every placement of its backend: each is a call over the peering', () => {
    const config = sitesConfig(oneAccountTwoRegions());
    const calls = crossAccountCalls(config).map((c) => `${c.caller}:${c.from}->${c.to}`);
    expect(calls).toEqual(expect.arrayContaining(['service-a:edge->shared', 'service-a:edge->shared-us-east-1', 'service-b:shared->shared-us-east-1', 'service-b:shared-us-east-1->shared']));
    const links = peeringLinks(config, { callsNeedPeering: true }).map((l) => `${l.requester.name}--${l.accepter.name}`);
    expect(links.sort()).toEqual(['edge--shared-us-east-1', 'shared--edge', 'shared--shared-us-east-1'].sort());
  });
});

describe.each([
  ['two accounts in two regions', twoAccountsTwoRegions, ['frontend', 'backend'], { frontend: 'us-west-2', backend: 'us-east-1' }],
  ['one account with clusters in two regions', oneAccountTwoRegions, ['shared', 'shared-us-east-1', 'edge'], { shared: 'us-west-2', 'shared-us-east-1': 'us-east-1', edge: 'us-west-2' }],
] as const)('%s', (_label, make, siteNames, regionOf) => {
  const app = synthSites(make());
  const net = app.stack('network');
  const region = (site: string) => (regionOf as Record<string, string>)[site];

  test('one stack of each kind per site', () => {
    for (const kind of ['cluster', 'controllers', 'workloads']) expect(app.stackNames.filter((n) => n.startsWith(`${kind}-`)).sort()).toEqual(siteNames.map((s) => `${kind}-${s}`).sort());
  });

  test("the network stack has one provider per site, in the site's region and locked to its account", () => {
    const providers = net.providers();
    expect(providers.map((p) => [p.alias, p.region]).sort()).toEqual(siteNames.map((s) => [s, region(s)]).sort());
    const ids = Object.fromEntries(app.config.accounts.map((a) => [a.name, a.id]));
    for (const p of providers) expect(p.allowed_account_ids).toEqual([ids[p.alias]]);
  });

  test("each VPC's subnets use its own region's zones, and its endpoints and flow-log key its region", () => {
    for (const site of siteNames) {
      const zones = net.resourceList('aws_subnet').filter((s) => alias(s.provider) === site).map((s) => s.availability_zone);
      expect(zones.length).toBeGreaterThan(0);
      zones.forEach((z) => expect(REGION_AZS[region(site)]).toContain(z));
      const endpoints = net.resourceList('aws_vpc_endpoint').filter((e) => alias(e.provider) === site);
      expect(endpoints.length).toBeGreaterThan(0);
      endpoints.forEach((e) => expect(e.service_name).toMatch(new RegExp(`^com\\.amazonaws\\.${region(site)}\\.`)));
      const keyPolicies = net.resourceList('aws_kms_key').filter((k) => alias(k.provider) === site).map((k) => k.policy as string);
      expect(keyPolicies.join()).toContain(`logs.${region(site)}.amazonaws.com`);
    }
  });

  test('every peering is requested in the requester\'s region with peer_region = the accepter\'s, and accepted with the accepter\'s provider', () => {
    const requests = net.resourceList('aws_vpc_peering_connection');
    const accepts = net.resourceList('aws_vpc_peering_connection_accepter');
    expect(requests.length).toBe(accepts.length);
    const crossRegion = requests.filter((r) => region(alias(r.provider)!) !== r.peer_region);
    expect(crossRegion.length).toBeGreaterThan(0);
    for (const r of requests) {
      const [requester, accepter] = (r.tags.Name as string).split('-to-');
      expect(alias(r.provider)).toBe(requester);
      expect(r.peer_region).toBe(region(accepter));
      expect(r.peer_owner_id).toBe(app.config.accounts.find((a) => a.name === accepter)!.id);
      expect(r.auto_accept).toBe(false);
      const accept = accepts.find((a) => a.tags.Name === r.tags.Name);
      expect(alias(accept.provider)).toBe(accepter);
      expect(accept.auto_accept).toBe(true);
      // Each side sets its own DNS option with its own provider (aws_vpc_peering_connection_options docs).
      const options = net.resourceList('aws_vpc_peering_connection_options').filter((o) => (o.vpc_peering_connection_id as string).includes(`peering-${requester}--${accepter}`));
      expect(options.map((o) => [alias(o.provider), o.requester ? 'requester' : 'accepter']).sort()).toEqual([[accepter, 'accepter'], [requester, 'requester']].sort());
    }
  });

  test('every private route table of each side routes the other side\'s CIDR, in its own region', () => {
    const cidrOf = Object.fromEntries(app.config.accounts.map((a) => [a.name, a.vpc.cidr]));
    for (const r of net.resourceList('aws_vpc_peering_connection')) {
      const [requester, accepter] = (r.tags.Name as string).split('-to-');
      for (const [side, peer] of [[requester, accepter], [accepter, requester]]) {
        const routes = net.resourceList('aws_route').filter((x) => alias(x.provider) === side && x.destination_cidr_block === cidrOf[peer]);
        const privateTables = app.config.accounts.find((a) => a.name === side)!.vpc.azCount;
        expect(routes).toHaveLength(privateTables);
      }
    }
  });

  test('security group rules across regions name the peer CIDR (SG references do not cross regions) and admit ICMP 3/4 for path MTU discovery', () => {
    const rules = net.resourceList('aws_vpc_security_group_ingress_rule');
    const cidrOf = Object.fromEntries(app.config.accounts.map((a) => [a.name, a.vpc.cidr]));
    const siteOfCidr = Object.fromEntries(Object.entries(cidrOf).map(([k, v]) => [v, k]));
    const peerRules = rules.filter((r) => siteOfCidr[r.cidr_ipv4] !== undefined && siteOfCidr[r.cidr_ipv4] !== alias(r.provider));
    const across = peerRules.filter((r) => region(alias(r.provider)!) !== region(siteOfCidr[r.cidr_ipv4]));
    expect(across.length).toBeGreaterThan(0);
    across.forEach((r) => expect(r.referenced_security_group_id).toBeUndefined());
    const pmtud = across.filter((r) => r.ip_protocol === 'icmp');
    pmtud.forEach((r) => expect([r.from_port, r.to_port]).toEqual([3, 4]));
    // Both sides of every inter-region link, and no same-region link, get the ICMP rule.
    const interRegionLinks = net.resourceList('aws_vpc_peering_connection').filter((r) => region(alias(r.provider)!) !== r.peer_region);
    expect(pmtud).toHaveLength(interRegionLinks.length * 2);
    expect(peerRules.filter((r) => r.ip_protocol === 'icmp' && region(alias(r.provider)!) === region(siteOfCidr[r.cidr_ipv4]))).toEqual([]);
  });

  test("each cluster stack acts in its site's region: provider, kubeconfig command, cluster outputs", () => {
    for (const site of siteNames) {
      const stack = app.stack(`cluster-${site}`);
      expect(stack.providers().map((p) => p.region)).toEqual([region(site)]);
      expect(stack.outputs().kubeconfig_command.value).toContain(`--region ${region(site)} --name meshdemo-${site}`);
      expect(stack.only('aws_eks_cluster').name).toBe(`meshdemo-${site}`);
    }
  });

  test('IAM role names stay unique per account across its sites (IAM is global)', () => {
    const roles = app.stackNames.flatMap((n) => {
      const stack = app.stack(n);
      const accountOf = (ref: string) => app.config.accounts.find((a) => a.name === (alias(ref) ?? n.replace(/^[a-z]+-/, '')))?.id;
      return stack.resourceList('aws_iam_role').map((r) => `${accountOf(r.provider) ?? stack.providers()[0]?.allowed_account_ids?.[0]}/${r.name}`);
    });
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter((r, i) => roles.indexOf(r) !== i)).toEqual([]);
  });

  test("a service's Deployment runs in each of its sites, with that placement's replicas", () => {
    for (const s of app.config.services) {
      for (const p of s.placements) {
        const manifests = app.stack(`workloads-${p.site}`).resources('kubernetes_manifest');
        const deployment = Object.entries(manifests).find(([id]) => id === `deployment-${s.name}`)?.[1] as any;
        expect(deployment).toBeDefined();
        expect(deployment.manifest.spec.replicas).toBe(p.replicas);
      }
    }
  });

  test('one "no ready endpoint" alarm per multi-region service and region, in that site, on Container Insights, missing data breaching', () => {
    const multi = app.config.services.filter((s) => new Set(s.placements.map((p) => p.region)).size > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const site of siteNames) {
      const alarms = app.stack(`workloads-${site}`).resourceList('aws_cloudwatch_metric_alarm').filter((a) => a.metric_name === CONTAINER_INSIGHTS_SERVICE.readyPods);
      const expected = multi.filter((s) => s.placements.some((p) => p.site === site)).map((s) => `meshdemo-${site}-${s.name}-no-ready-endpoints`);
      expect(alarms.map((a) => a.alarm_name).sort()).toEqual(expected.sort());
      for (const a of alarms) {
        expect(a).toMatchObject({ namespace: 'ContainerInsights', statistic: 'Minimum', comparison_operator: 'LessThanThreshold', threshold: 1, period: 60, evaluation_periods: 3, treat_missing_data: 'breaching' });
        expect(a.dimensions).toEqual({ ClusterName: `meshdemo-${site}`, Namespace: 'chain', Service: expect.any(String) });
      }
      const dashboard = app.stack(`workloads-${site}`).resourceList('aws_cloudwatch_dashboard').find((d) => d.dashboard_name === `meshdemo-${site}-regions`);
      if (expected.length === 0) expect(dashboard).toBeUndefined();
      else expect(JSON.parse(dashboard.dashboard_body).widgets.map((w: any) => w.properties.region)).toEqual(expected.map(() => region(site)));
    }
  });

  test('an OAM sink of the owner in every region with member sites, each member linking in its own region', () => {
    const mesh = app.stack('mesh');
    const providerRegion = Object.fromEntries(mesh.providers().map((p) => [p.alias, p.region]));
    const owner = app.config.accounts.find((a) => a.name === app.config.mesh.owner)!;
    const sinks = mesh.resourceList('aws_oam_sink');
    const links = mesh.resourceList('aws_oam_link');
    const members = app.config.accounts.filter((a) => a.id !== owner.id);
    expect(links.map((l) => providerRegion[alias(l.provider)!]).sort()).toEqual(members.map((m) => m.region).sort());
    expect(sinks.map((s) => providerRegion[alias(s.provider)!]).sort()).toEqual([...new Set(members.map((m) => m.region))].sort());
  });
});

describe('alarm topics per region', () => {
  const topic = (region: string, account = '111111111111') => `arn:aws:sns:${region}:${account}:mesh-alarms`;
  test("each region's alarms notify its own topic; one topic serves a single-region config as before", () => {
    const o = { alarmTopicArn: topic('us-west-2'), alarmTopicArns: { 'us-east-1': topic('us-east-1') } };
    expect(alarmTopicFor(o, 'us-east-1', false)).toBe(topic('us-east-1'));
    expect(alarmTopicFor(o, 'us-west-2', false)).toBe(topic('us-west-2'));
    expect(alarmTopicFor({ alarmTopicArn: topic('eu-west-1') }, 'us-west-2', true)).toBe(topic('eu-west-1'));
    expect(alarmTopicFor({ alarmTopicArn: topic('eu-west-1') }, 'us-west-2', false)).toBeUndefined();
  });

  test("the alarms of a site in another region are wired to that region's topic", () => {
    const input: any = twoAccountsTwoRegions();
    input.observability = { alarmTopicArns: { 'us-west-2': topic('us-west-2'), 'us-east-1': topic('us-east-1', '222222222222') } };
    const app = synthSites(input);
    for (const [site, region] of [['frontend', 'us-west-2'], ['backend', 'us-east-1']]) {
      const alarms = app.stack(`workloads-${site}`).resourceList('aws_cloudwatch_metric_alarm');
      expect(alarms.length).toBeGreaterThan(0);
      alarms.forEach((a) => expect(a.alarm_actions).toEqual([expect.stringContaining(`:sns:${region}:`)]));
    }
  });
});

describe('examples/multi-region', () => {
  const DIR = path.resolve('examples/multi-region');
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
  const load = (file: string) => loadConfigWith(CONFIG_RULES, { MESH_CONFIG: path.join(DIR, file) });

  test('both shapes are there, pass every config rule, and the failover example carries outlier detection that can eject a region', () => {
    expect(files).toEqual(['one-account-two-regions.yaml', 'two-accounts-two-regions.yaml']);
    const multiRegion = (file: string) => load(file).services.filter((s) => new Set(s.placements.map((p) => p.region)).size > 1).map((s) => s.name);
    for (const file of files) {
      const config = load(file);
      expect(new Set(config.accounts.map((a) => a.region))).toEqual(new Set(['us-west-2', 'us-east-1']));
      expect(failoverProblems(config.services)).toEqual([]);
    }
    expect(multiRegion('one-account-two-regions.yaml')).toEqual(['service-b']);
    expect(multiRegion('two-accounts-two-regions.yaml')).toEqual([]);
  });

  test('with the full rules they need an engine that spans regions: the only problems are about the engine', () => {
    for (const file of files) {
      const run = () => loadConfig({ MESH_CONFIG: path.join(DIR, file) });
      if (isEngine('istio')) expect(run().mesh.engine).toBe('istio');
      else expect(() => run()).toThrow(/^Invalid config \(1 problem\):\n {2}- mesh\.engine \(line \d+, column \d+\): "istio" is not a mesh engine/);
    }
  });

  test('the AWS-only stacks plan offline, the inter-region peering included', async () => {
    // The network, cluster and mesh stacks are engine-neutral apart from the shared mesh; until
    // the Istio engine is registered, they are planned with App Mesh's (its peering default is the same).
    const inputs = files.map((file) => {
      const config = load(file);
      return { label: file.replace(/\.yaml$/, ''), config: { ...config, mesh: { ...config.mesh, engine: isEngine('istio') ? 'istio' : 'appmesh' } } as typeof config };
    });
    const report = await runCombinedOfflinePlan({ inputs, workdir: path.join(scratchDir('mesh-mr-plan-'), 'plan') });
    expect(report.filter((r) => r.result === 'failed').map((r) => `${r.stack}: ${r.error}`)).toEqual([]);
    for (const { label, config } of inputs) {
      for (const stack of ['network', ...config.accounts.map((a) => `cluster-${a.name}`)]) {
        const plan = report.find((r) => r.stack === `${label}/${stack}`);
        expect([stack, plan?.result]).toEqual([stack, 'ok']);
        expect(plan!.counts!.add).toBeGreaterThan(0);
      }
    }
  }, 300000);
});
