import Ajv from 'ajv';
import { describeWithMirrors, readUpstream } from './support/upstream';
import { celViolations, crdSchema, withUnknownFieldsRejected } from './support/api-server-checks';
import { istioApi, message } from './support/istio-api';
import { sitesConfig, twoAccountsTwoRegions } from './support/multi-region';
import { failoverOrder, failoverProblems, localityLoadBalancer, remoteLocality, withLocalityFailover } from '../engines/istio/locality';
import { destinationRule } from '../engines/istio/traffic-policy';
import { remoteServiceEntry } from '../engines/istio/federation';
import { meshAccount } from '../engines/istio/mesh-names';
import { parseService, type ServiceSpec } from '../config/catalog/schema';
import type { KubeObject } from '../modules/workloads/kube-objects';

// Locality failover derived from placements, and the rule that makes it take effect, checked
// against Istio 1.30.3's own API (protos, CRD schema with its CEL rules) and source.

const ISTIO = { repo: 'istio/istio', ref: '1.30.3' };
const API = { repo: 'istio/api', ref: '1.30.3' };
const home: Record<string, string> = { frontend: 'us-west-2', backend: 'us-east-1', data: 'eu-west-1' };
const placed = (placements: Array<{ account: string; region?: string }>, extra: Record<string, unknown> = {}): ServiceSpec =>
  parseService({ name: 'service-b', port: 8080, protocol: 'http', placements, ...extra } as any, (a) => home[a]);
const OUTLIERS = { maxServerErrors: 3, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 100 };

describe('failover order from placements', () => {
  test('each region that runs the service fails over to the next placement, cyclically', () => {
    const s = placed([{ account: 'frontend' }, { account: 'backend' }, { account: 'data' }]);
    expect(failoverOrder(s, [])).toEqual([
      { from: 'us-west-2', to: 'us-east-1' },
      { from: 'us-east-1', to: 'eu-west-1' },
      { from: 'eu-west-1', to: 'us-west-2' },
    ]);
  });

  test('a caller region without a placement prefers the first placement', () => {
    expect(failoverOrder(placed([{ account: 'backend' }, { account: 'frontend' }]), ['eu-west-1'])).toEqual([
      { from: 'us-east-1', to: 'us-west-2' },
      { from: 'us-west-2', to: 'us-east-1' },
      { from: 'eu-west-1', to: 'us-east-1' },
    ]);
  });

  test('a single-region service gets no locality setting and its DestinationRule is unchanged', () => {
    const s = placed([{ account: 'frontend' }]);
    expect(localityLoadBalancer(s, ['us-east-1'])).toBeUndefined();
    const rule = destinationRule(s, 'chain', ['.']);
    expect(withLocalityFailover(rule, s, ['us-east-1'])).toBe(rule);
  });

  test('the shipped chain in two regions: service-b and service-c fail over both ways', () => {
    const { services } = sitesConfig(twoAccountsTwoRegions());
    const byName = Object.fromEntries(services.map((s) => [s.name, s]));
    for (const name of ['service-b', 'service-c']) {
      const callerRegions = services.filter((c) => c.backends.includes(name)).flatMap((c) => c.placements.map((p) => p.region!));
      const lb = localityLoadBalancer(byName[name], callerRegions)!;
      expect(lb.localityLbSetting.enabled).toBe(true);
      expect(new Set(lb.localityLbSetting.failover.map((f) => `${f.from}>${f.to}`))).toEqual(new Set(['us-west-2>us-east-1', 'us-east-1>us-west-2']));
    }
  });
});

describe('outlier detection is required where a service fails over', () => {
  const caller = (backend: string) => parseService({ name: 'caller', account: 'frontend', port: 9090, protocol: 'http', backends: [backend] });

  test('a called multi-region service without outlier detection stops, naming the field, both regions and the fix', () => {
    expect(failoverProblems([caller('service-b'), placed([{ account: 'frontend' }, { account: 'backend' }])])).toEqual([
      {
        path: ['catalog', 1, 'traffic', 'outlierDetection'],
        message: 'service-b runs in us-west-2 and us-east-1, and Istio\'s locality failover "will not take effect" without outlier detection. Fix: add traffic.outlierDetection { maxServerErrors: 3, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 100 }',
      },
    ]);
  });

  test('maxEjectionPercent below 100 stops; 100 passes; an uncalled or single-region service is not concerned', () => {
    const half = placed([{ account: 'frontend' }, { account: 'backend' }], { traffic: { outlierDetection: { ...OUTLIERS, maxEjectionPercent: 50 } } });
    expect(failoverProblems([caller('service-b'), half]).map((p) => p.path.join('.'))).toEqual(['catalog.1.traffic.outlierDetection.maxEjectionPercent']);
    expect(failoverProblems([caller('service-b'), placed([{ account: 'frontend' }, { account: 'backend' }], { traffic: { outlierDetection: OUTLIERS } })])).toEqual([]);
    expect(failoverProblems([placed([{ account: 'frontend' }, { account: 'backend' }])])).toEqual([]);
    expect(failoverProblems([caller('service-b'), placed([{ account: 'frontend' }])])).toEqual([]);
  });
});

describeWithMirrors([ISTIO.repo, API.repo])('against Istio 1.30.3', () => {
  const crds = readUpstream({ ...ISTIO, path: 'manifests/charts/base/files/crd-all.gen.yaml' })!;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const problems = (o: KubeObject) => {
    const schema = crdSchema(crds, o.kind, o.apiVersion.split('/')[1]);
    const validate = ajv.compile(withUnknownFieldsRejected(schema));
    const shape = validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    return [...shape, ...celViolations(schema, o).map((v) => `${v.path}: ${v.message}`)];
  };
  const s = placed([{ account: 'frontend' }, { account: 'backend' }], { traffic: { outlierDetection: OUTLIERS }, versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10 }] });
  const rule = withLocalityFailover(destinationRule(s, 'chain', ['.']), s, ['us-west-2']);

  test('the DestinationRule with failover passes the CRD schema and its CEL rules, and keeps outlier detection and subsets', () => {
    expect(problems(rule)).toEqual([]);
    const policy = (rule.spec as any).trafficPolicy;
    expect(policy.loadBalancer.localityLbSetting.failover).toEqual([
      { from: 'us-west-2', to: 'us-east-1' },
      { from: 'us-east-1', to: 'us-west-2' },
    ]);
    expect(policy.outlierDetection.maxEjectionPercent).toBe(100);
    // Subsets inherit the top-level policy; none sets its own loadBalancer.
    expect((rule.spec as any).subsets.map((x: any) => x.trafficPolicy)).toEqual([undefined, undefined]);
  });

  test('the locality setting is a valid istio.networking.v1alpha3.LocalityLoadBalancerSetting, with only one of distribute/failover/failoverPriority', () => {
    const type = istioApi().lookupType('istio.networking.v1alpha3.LocalityLoadBalancerSetting');
    expect(message(type, (rule.spec as any).trafficPolicy.loadBalancer.localityLbSetting, 'localityLbSetting')).toEqual([]);
    expect(message(type, { failover: [{ from: 'a', to: 'b' }], bogus: 1 }, 'x')).toEqual(['x.bogus: no such field in istio.networking.v1alpha3.LocalityLoadBalancerSetting']);
  });

  test('a remote placement carries its region as the ServiceEntry endpoint locality', () => {
    const entry = remoteServiceEntry(s, 'chain', meshAccount('meshdemo', 'backend', remoteLocality('us-east-1')));
    expect(problems(entry)).toEqual([]);
    expect((entry.spec as any).endpoints.map((e: any) => e.locality)).toEqual(['us-east-1', 'us-east-1']);
  });

  test('why outlier detection is required: Istio applies failover only with it, and ejects 10 % by default', () => {
    const proto = readUpstream({ ...API, path: 'networking/v1alpha3/destination_rule.proto' })!;
    expect(proto).toContain('Note: if no OutlierDetection specified, this will not take effect.');
    expect(proto).toMatch(/service that can be ejected\. Defaults to 10%\./);
    const source = readUpstream({ ...ISTIO, path: 'pilot/pkg/networking/core/cluster_traffic_policy.go' })!;
    expect(source).toContain('Failover should only be applied with outlier detection, or traffic will never failover.');
  });
});
