import { synthConfig, demoWith, threeAccountConfig, type SynthResult } from './support/synth';
import { kubeObjects } from './support/kube';
import type { ConfigInput } from '../config/schema';
import { serviceOfVirtualServiceArn } from '../engines/appmesh/routing';
import { iamDocuments } from './support/iam';
import { latticeInvoke } from './support/lattice-access';

// Both engines must let exactly the declared callers reach each service. "Who can call whom" is
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

const declared = (app: SynthResult) => app.config.services.flatMap((s) => s.backends.map((b) => `${s.name} -> ${b}`));
const sorted = (pairs: Pair[]) => [...new Set(pairs)].sort();

describe.each<[string, ConfigInput]>([
  ['Yelb', demoWith()],
  ['chain', demoWith((c) => (c.catalog = 'chain'))],
  // Lattice carries HTTP across accounts, so the third account's store is served over http here.
  ['three accounts', threeAccountConfig('lattice')],
])('%s: App Mesh and Lattice admit the same caller/callee pairs', (_name, input) => {
  const appMesh = synthConfig({ ...structuredClone(input), mesh: { ...input.mesh, engine: 'appmesh' } } as ConfigInput);
  const lattice = synthConfig({ ...structuredClone(input), mesh: { ...input.mesh, engine: 'lattice' } } as ConfigInput);

  test('each engine admits exactly the declared pairs, so both admit the same ones', async () => {
    const latticeAdmits = sorted(await latticePairs(lattice));
    expect(sorted(appMeshPairs(appMesh))).toEqual(sorted(declared(appMesh)));
    expect(latticeAdmits).toEqual(sorted(declared(lattice)));
    expect(latticeAdmits).toEqual(sorted(appMeshPairs(appMesh)));
    expect(declared(appMesh).length).toBeGreaterThan(0);
  });
});
