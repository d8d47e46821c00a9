import { synthConfig, demoWith, appMeshDemoWith, type SynthResult } from './support/synth';
import { stackWaves } from '../app/order';

// What a controller creates outside Terraform (the ALB of an Ingress, App Mesh resources of CRs,
// Lattice services of routes) must be deleted while that controller still runs, and what a
// finalizer holds must go before what clears the finalizer. Destroy runs the deploy waves in
// reverse, and within a stack Terraform destroys a resource before what it depends on.

const destroyOrder = (app: SynthResult) => stackWaves(app.manifest).reverse();
const waveOf = (app: SynthResult, stack: string) => destroyOrder(app).findIndex((w) => w.includes(stack));

/** Logical ids of Kubernetes objects of a kind in a stack, and the releases of a chart. */
const manifests = (app: SynthResult, stack: string, kind: string) =>
  Object.entries<any>(app.stack(stack).resources('kubernetes_manifest')).filter(([, r]) => r.manifest?.kind === kind);

function dependsOnTransitively(app: SynthResult, stack: string, from: string, to: string): boolean {
  const json = app.stack(stack).json;
  const deps = (address: string): string[] => {
    const [type, name] = address.split('.');
    return json.resource[type]?.[name]?.depends_on ?? [];
  };
  const seen = new Set<string>();
  const walk = (a: string): boolean => a === to || (!seen.has(a) && (seen.add(a), deps(a).some(walk)));
  return walk(from);
}

describe.each([
  ['appmesh', appMeshDemoWith()],
  ['lattice', demoWith()],
])('safe destroy (%s)', (engine, input) => {
  const app = synthConfig(input);

  test('destroy is the reverse of the deploy waves, derived from the stack dependencies', () => {
    const waves = stackWaves(app.manifest);
    expect(waves[0]).toContain('network');
    expect(destroyOrder(app)[0]).toEqual(waves[waves.length - 1]);
    for (const [stack, s] of Object.entries<any>(app.manifest.stacks)) {
      for (const dep of s.dependencies) expect(waveOf(app, stack)).toBeLessThan(waveOf(app, dep));
    }
  });

  test('every Ingress (an ALB) and every routing object goes before the controllers that clean them up', () => {
    for (const account of ['frontend', 'backend']) {
      const workloads = `workloads-${account}`;
      const controllers = `controllers-${account}`;
      expect(waveOf(app, workloads)).toBeLessThan(waveOf(app, controllers));
      const charts = app.stack(controllers).resourceList('helm_release').map((r) => r.chart);
      expect(charts).toContain('aws-load-balancer-controller');
      expect(charts).toContain(engine === 'appmesh' ? 'appmesh-controller' : 'aws-gateway-controller-chart');
    }
    expect(manifests(app, 'workloads-frontend', 'Ingress')).toHaveLength(1);
  });

  test('within a workloads stack, pods go before their routing objects, and those before their parents', () => {
    const stack = 'workloads-backend';
    const [deploymentId] = manifests(app, stack, 'Deployment').find(([, r]) => r.manifest.metadata.name === 'yelb-appserver')!;
    if (engine === 'appmesh') {
      // Pods first (their Envoys hold the virtual node), then the node, then the Mesh CR.
      expect(dependsOnTransitively(app, stack, `kubernetes_manifest.${deploymentId}`, 'kubernetes_manifest.virtualnode-yelb-appserver')).toBe(true);
      expect(dependsOnTransitively(app, stack, 'kubernetes_manifest.virtualnode-yelb-appserver', 'kubernetes_manifest.mesh-membership')).toBe(true);
    } else {
      // The auth policy, then the route (whose finalizer the controller clears), then the Gateway and its class.
      expect(dependsOnTransitively(app, stack, 'kubernetes_manifest.iamauthpolicy-yelb-appserver', 'kubernetes_manifest.httproute-yelb-appserver')).toBe(true);
      expect(dependsOnTransitively(app, stack, 'kubernetes_manifest.httproute-yelb-appserver', 'kubernetes_manifest.gatewayclass')).toBe(true);
    }
  });

  test('the workload namespace goes before the controllers (its objects are gone by then), and controllers after their IAM', () => {
    const stack = 'controllers-frontend';
    const [nsId] = manifests(app, stack, 'Namespace').find(([, r]) => r.manifest.metadata.name === 'yelb')!;
    for (const [releaseId, release] of Object.entries<any>(app.stack(stack).resources('helm_release'))) {
      expect(app.stack(stack).resources('kubernetes_manifest')[nsId].depends_on).toContain(`helm_release.${releaseId}`);
      expect(release.depends_on.some((d: string) => d.startsWith('aws_eks_pod_identity_association.'))).toBe(true);
    }
  });
});
