import { parseService, type ServiceInput } from '../config/catalog/schema';
import { formatPath } from '../config/errors';
import { PolicyInput } from '../app/policy/model';
import { derivedNames } from '../app/limits/targets';
import { nameProblem } from '../modules/limits/table';
import { istioCatalogProblems } from '../engines/istio/catalog-fit';
import { istioWorkloadObjects } from '../engines/istio/workload-objects';
import { meshAccount } from '../engines/istio/mesh-names';
import type { KubeObject } from '../modules/workloads/kube-objects';
import { CONFIGS, objectsByAccount } from './support/istio-fixtures';

// What the Istio engine refuses in a catalog (each problem names the field, the value and the
// fix), and every name its objects carry against the limits the rest of the project is held to.

const problems = (...services: ServiceInput[]) => istioCatalogProblems(services.map((s) => parseService(s))).map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('catalog entries the Istio engine refuses', () => {
  test('the shipped catalogs and examples have none', () => {
    for (const [, config] of CONFIGS) expect(istioCatalogProblems(config.services)).toEqual([]);
  });

  test('a port the sidecar holds', () => {
    expect(problems({ name: 'web', account: 'a', port: 15021, protocol: 'http' })).toEqual([expect.stringMatching(/^catalog\[0\]\.port: 15021 is a port the Istio sidecar holds.*Fix: serve web on another port/)]);
  });

  test("the sidecar's user id", () => {
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', runAs: { nonRoot: true, user: 1337, readOnlyRootFilesystem: true } })).toEqual([expect.stringMatching(/^catalog\[0\]\.runAs\.user: 1337 is the Istio sidecar's user.*Fix: run web as another user/)]);
  });

  test('Cloud Map discovery', () => {
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', discovery: 'cloudmap' })).toEqual([expect.stringMatching(/^catalog\[0\]\.discovery: "cloudmap" has no meaning with Istio.*Fix:/)]);
  });

  test('retries with no event to retry on', () => {
    const retries = { attempts: 2, perTryTimeoutMs: 100 };
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', traffic: { retries } })).toEqual([expect.stringMatching(/^catalog\[0\]\.traffic\.retries: retries of web name no event.*Fix: add httpEvents/)]);
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', traffic: { retries: { ...retries, tcpEvents: ['connection-error'] } } })).toEqual([]);
  });

  test('maxEjectionPercent 0, which Istio drops', () => {
    const od = { maxServerErrors: 5, intervalMs: 10000, baseEjectionMs: 30000 };
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', traffic: { outlierDetection: { ...od, maxEjectionPercent: 0 } } })).toEqual([
      expect.stringMatching(/^catalog\[0\]\.traffic\.outlierDetection\.maxEjectionPercent: 0 cannot be expressed in Istio.*Fix: use 1 or more/),
    ]);
    expect(problems({ name: 'web', account: 'a', port: 8080, protocol: 'http', traffic: { outlierDetection: { ...od, maxEjectionPercent: 1 } } })).toEqual([]);
  });

  test('a second public service in one account, but not in another account', () => {
    const pub = (name: string, account: string): ServiceInput => ({ name, account, port: 8080, protocol: 'http', exposure: 'public' });
    expect(problems(pub('web', 'a'), pub('shop', 'b'))).toEqual([]);
    expect(problems(pub('web', 'a'), pub('shop', 'b'), pub('admin', 'a'))).toEqual([expect.stringMatching(/^catalog\[2\]\.exposure: "public": web is already public in a.*Fix: make admin "internal"/)]);
  });
});

/** Every name the project's own limit check reads (object names, label values, container names), plus the Istio-only ones. */
function nameProblems(objects: KubeObject[]): string[] {
  const input = new PolicyInput([{ name: 'workloads', json: { resource: { kubernetes_manifest: Object.fromEntries(objects.map((o, i) => [`o${i}`, { manifest: o }])) } } }]);
  const fromTable = derivedNames(input).flatMap((d) => (nameProblem(d.limit, d.name) ? [`${d.what ?? d.limit} ${d.name}: ${nameProblem(d.limit, d.name)}`] : []));
  // Subset names are DNS-1123 labels (istio/istio@1.30.3 pkg/config/validation validateSubsetName);
  // hosts are DNS names, each label a DNS-1123 label; ServiceEntry port names follow the CRD's rule.
  const subsets = objects.filter((o) => o.kind === 'DestinationRule').flatMap((o) => o.spec.subsets.map((s: any) => s.name));
  const hosts = objects.flatMap((o) => [...(o.spec?.hosts ?? []), ...(o.spec?.host ? [o.spec.host] : []), ...(o.spec?.endpoints ?? []).map((e: any) => e.address)]).filter((h: string) => h !== '*');
  const labels = [...subsets, ...hosts.flatMap((h: string) => h.split('.'))];
  return [
    ...fromTable,
    ...labels.flatMap((l) => (nameProblem('k8s-dns1123-label', l) ? [`label ${l}: ${nameProblem('k8s-dns1123-label', l)}`] : [])),
    ...hosts.flatMap((h: string) => (h.length > 253 ? [`host ${h} is over 253 characters`] : [])),
  ];
}

describe('names within their limits', () => {
  test.each(CONFIGS)('%s', (_name, config) => {
    for (const list of objectsByAccount(config).values()) expect(nameProblems(list)).toEqual([]);
  });

  test('the longest names a config can have still fit', () => {
    // Service names are DNS labels (63); account, project and namespace names are short DNS labels (32).
    const long = (c: string, n: number) => c.repeat(n);
    const [project, a, b, ns] = [long('p', 32), long('a', 32), long('b', 32), long('n', 32)];
    const [caller, callee] = [long('c', 63), long('d', 63)];
    const services = [
      parseService({ name: caller, account: a, port: 8080, protocol: 'http', exposure: 'public', backends: [callee] }),
      parseService({ name: callee, account: b, port: 8080, protocol: 'http', versions: [{ name: long('v', 63), weight: 100 }] }),
    ];
    const accounts = { [a]: meshAccount(project, a), [b]: meshAccount(project, b) };
    for (const account of [a, b]) expect(nameProblems(istioWorkloadObjects({ account, namespace: ns, services, accounts }))).toEqual([]);
  });

  test('the check can fail: an object name past 253 characters is reported', () => {
    const [, config] = CONFIGS[0];
    const list = structuredClone([...objectsByAccount(config).values()][0]);
    list[0].metadata.name = 'x'.repeat(254);
    expect(nameProblems(list)).toEqual([expect.stringContaining('the limit is 253')]);
  });
});
