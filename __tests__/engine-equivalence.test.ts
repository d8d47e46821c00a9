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
 * Istio: for every service and every other service as its caller, whether the AuthorizationPolicies
 * of the callee's cluster admit a request from the caller's identity (support/istio-authz.ts, Istio's
 * documented evaluation). The identity is read from the synth: the caller Deployment's
 * ServiceAccount, in the trust domain its cluster's istiod is given; the port is the callee
 * container's. mTLS keeps that identity end to end, through the east-west gateway too (AUTO_PASSTHROUGH).
 */
function istioPairs(app: SynthResult): Pair[] {
  const objects = kubeObjects(app);
  const accounts = app.config.accounts.map((a) => a.name);
  const accountOf = (stack: string) => accounts.find((a) => stack.endsWith(`-${a}`))!;
  const trustDomain = (account: string) => {
    const istiod = Object.values<any>(app.stack(`control-plane-${account}`).resources('helm_release')).find((r) => r.chart === 'istiod');
    return YAML.parse(istiod.values[0]).meshConfig.trustDomain as string;
  };
  const workloads = objects
    .filter((o) => o.object.kind === 'Deployment' && o.stack.startsWith('workloads-'))
    .map((o) => {
      const pod = o.object.spec.template;
      return { account: accountOf(o.stack), namespace: o.object.metadata.namespace, labels: pod.metadata.labels, name: pod.metadata.labels.app as string, serviceAccount: pod.spec.serviceAccountName as string, port: pod.spec.containers[0].ports?.[0]?.containerPort as number };
    });
  const pairs: Pair[] = [];
  for (const callee of workloads) {
    const policies = objects.filter((o) => o.object.kind === 'AuthorizationPolicy' && accountOf(o.stack) === callee.account).map((o) => o.object);
    expect(policies.length).toBeGreaterThan(0);
    for (const caller of workloads.filter((w) => w !== callee)) {
      const principal = `${trustDomain(caller.account)}/ns/${caller.namespace}/sa/${caller.serviceAccount}`;
      if (allows(policies, { namespace: callee.namespace, labels: callee.labels, principal, port: callee.port })) pairs.push(`${caller.name} -> ${callee.name}`);
      // The same ServiceAccount name in a trust domain that is not the caller's is refused.
      expect(allows(policies, { namespace: callee.namespace, labels: callee.labels, principal: `intruder.example/ns/${caller.namespace}/sa/${caller.serviceAccount}`, port: callee.port })).toBe(false);
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
});
