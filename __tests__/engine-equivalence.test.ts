import { synthConfig, demoWith, threeAccountConfig, type SynthResult } from './support/synth';
import { kubeObjects } from './support/kube';
import type { ConfigInput } from '../config/schema';
import { serviceOfVirtualServiceArn } from '../engines/appmesh/routing';
import { iamDocuments } from './support/iam';
import { latticeInvoke } from './support/lattice-access';
import { allows } from './support/istio-authz';
import * as YAML from 'yaml';

// Every engine must let exactly the declared callers reach each service. "Who can call whom" is
// read back from each engine's synthesized output, never from the catalog, and compared.

type Pair = string; // "caller -> callee"

/** App Mesh: a virtual node's backends are the only virtual services its Envoy can reach (DROP_ALL). */
function appMeshPairs(app: SynthResult): Pair[] {
  return kubeObjects(app)
    .map((o) => o.object)
    .filter((o) => o.kind === 'VirtualNode')
    .flatMap((vn) =>
      (vn.spec.backends ?? []).map((b: any) => {
        const vs = b.virtualService;
        // A remote backend is named by its virtual service's ARN, derived in the shared-mesh form.
        const callee = vs.virtualServiceRef?.name ?? serviceOfVirtualServiceArn(vs.virtualServiceARN);
        return `${vn.spec.podSelector.matchLabels.app} -> ${callee}`;
      }),
    );
}

/**
 * Lattice: for every service on Lattice, the callers an IAM evaluator lets invoke it through the
 * caller's identity policy, the service network's and the service's auth policies
 * (support/lattice-access.ts); for the tcp stores kept in-cluster, the pods a NetworkPolicy admits.
 */
async function latticePairs(app: SynthResult): Promise<Pair[]> {
  const objects = kubeObjects(app).map((o) => o.object);
  const docs = iamDocuments(app);
  const names = app.config.services.map((s) => s.name);
  const fromAuth: Pair[] = [];
  for (const callee of objects.filter((o) => o.kind === 'IAMAuthPolicy').map((p) => p.spec.targetRef.name)) {
    for (const caller of names) if (caller !== callee && (await latticeInvoke(app, docs, caller, callee))) fromAuth.push(`${caller} -> ${callee}`);
  }
  const fromNetworkPolicy = objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .flatMap((p) => p.spec.ingress.flatMap((i: any) => i.from.map((f: any) => `${f.podSelector.matchLabels.app} -> ${p.spec.podSelector.matchLabels.app}`)));
  return [...fromAuth, ...fromNetworkPolicy];
}

/**
 * Istio: a caller reaches a callee when the callee's AuthorizationPolicies (deny by default, one
 * ALLOW per service) admit the caller's identity on the callee's port (support/istio-authz.ts),
 * and the caller's Sidecar lets its proxy reach the callee's host at all.
 */
function istioPairs(app: SynthResult, check: { authz: boolean; egress: boolean } = { authz: true, egress: true }): Pair[] {
  const ns = app.config.mesh.namespace;
  // Each caller's identity in the trust domain its own cluster's istiod is given, read from the synth.
  const trustDomain = (account: string) => {
    const istiod = Object.values<any>(app.stack(`control-plane-${account}`).resources('helm_release')).find((r) => r.chart === 'istiod');
    return YAML.parse(istiod.values[0]).meshConfig.trustDomain as string;
  };
  const objectsOf = (account: string) => (app.stackNames.includes(`workloads-${account}`) ? kubeObjects(app).filter((o) => o.stack === `workloads-${account}`).map((o) => o.object) : []);
  const pairs: Pair[] = [];
  for (const callee of app.config.services) {
    const policies = objectsOf(callee.account).filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata.namespace === ns);
    for (const caller of app.config.services) {
      if (caller.name === callee.name) continue;
      const sidecar = objectsOf(caller.account).find((o) => o.kind === 'Sidecar' && o.spec.workloadSelector.labels.app === caller.name);
      const reachable = (sidecar?.spec.egress ?? []).some((e: any) => e.hosts.includes(`${ns}/${callee.name}.${ns}.svc.cluster.local`));
      const admitted = allows(policies, { namespace: ns, labels: { app: callee.name }, principal: `${trustDomain(caller.account)}/ns/${ns}/sa/${caller.name}`, port: callee.port });
      // The same ServiceAccount name in a trust domain that is not the caller's is refused.
      if (check.authz && policies.length) expect(allows(policies, { namespace: ns, labels: { app: callee.name }, principal: `intruder.example/ns/${ns}/sa/${caller.name}`, port: callee.port })).toBe(false);
      if ((!check.egress || reachable) && (!check.authz || admitted)) pairs.push(`${caller.name} -> ${callee.name}`);
    }
  }
  return pairs;
}

const declared = (app: SynthResult) => app.config.services.flatMap((s) => s.backends.map((b) => `${s.name} -> ${b}`));
const sorted = (pairs: Pair[]) => [...new Set(pairs)].sort();

describe.each<[string, ConfigInput]>([
  ['Yelb', demoWith()],
  ['chain', demoWith((c) => (c.catalog = 'chain'))],
  // Lattice carries HTTP across accounts, so the third account's store is served over http here.
  ['three accounts', threeAccountConfig('lattice')],
])('%s: App Mesh, Lattice and Istio admit the same caller/callee pairs', (_name, input) => {
  const appMesh = synthConfig({ ...structuredClone(input), mesh: { ...input.mesh, engine: 'appmesh' } } as ConfigInput);
  const lattice = synthConfig({ ...structuredClone(input), mesh: { ...input.mesh, engine: 'lattice' } } as ConfigInput);
  const istio = synthConfig({ ...structuredClone(input), mesh: { ...input.mesh, engine: 'istio' } } as ConfigInput);

  test('each engine admits exactly the declared pairs, so all three admit the same ones', async () => {
    const latticeAdmits = sorted(await latticePairs(lattice));
    expect(sorted(appMeshPairs(appMesh))).toEqual(sorted(declared(appMesh)));
    expect(latticeAdmits).toEqual(sorted(declared(lattice)));
    expect(latticeAdmits).toEqual(sorted(appMeshPairs(appMesh)));
    expect(sorted(istioPairs(istio))).toEqual(sorted(declared(istio)));
    expect(sorted(istioPairs(istio))).toEqual(latticeAdmits);
    expect(declared(appMesh).length).toBeGreaterThan(0);
  });

  test('Istio admits exactly the declared pairs, the same as the other engines; its AuthorizationPolicies and its Sidecars each do on their own', () => {
    expect(sorted(istioPairs(istio))).toEqual(sorted(declared(istio)));
    expect(sorted(istioPairs(istio))).toEqual(sorted(appMeshPairs(appMesh)));
    expect(sorted(istioPairs(istio, { authz: true, egress: false }))).toEqual(sorted(declared(istio)));
    expect(sorted(istioPairs(istio, { authz: false, egress: true }))).toEqual(sorted(declared(istio)));
  });

  test('the Istio check can fail: without deny-by-default everyone is admitted', () => {
    const open = { ...istio, stack: (n: string) => {
      const s = istio.stack(n);
      const json = structuredClone(s.json);
      for (const [id, r] of Object.entries<any>(json.resource?.kubernetes_manifest ?? {})) if (r.manifest.kind === 'AuthorizationPolicy') delete json.resource.kubernetes_manifest[id];
      return { ...s, json, resources: (t: string) => json.resource?.[t] ?? {} } as any;
    } };
    const n = istio.config.services.length;
    expect(sorted(istioPairs(open as SynthResult, { authz: true, egress: false }))).toHaveLength(n * (n - 1));
  });
});
