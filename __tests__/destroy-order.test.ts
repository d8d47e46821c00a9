import { synthConfig, demoWith, appMeshDemoWith, dependsOnTransitively, type SynthResult } from './support/synth';
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

describe('safe destroy (istio)', () => {
  const app = synthConfig(demoWith((c) => (c.mesh.engine = 'istio')));
  const cp = (account: string) => `control-plane-${account}`;
  const releaseId = (stack: string, name: string) => Object.entries<any>(app.stack(stack).resources('helm_release')).find(([, r]) => r.name === name)?.[0];

  test('injected pods and the public Ingress (an ALB) go before istiod and its fail-closed webhook, and before the load balancer controller', () => {
    for (const account of ['frontend', 'backend']) {
      // Workloads, then the control plane (istiod, the injection webhook, the gateways), then the
      // controllers (the load balancer controller, whose finalizers delete the ALB and the NLB).
      expect(waveOf(app, `workloads-${account}`)).toBeLessThan(waveOf(app, cp(account)));
      expect(waveOf(app, cp(account))).toBeLessThan(waveOf(app, `controllers-${account}`));
      expect(releaseId(`controllers-${account}`, 'aws-load-balancer-controller')).toBeDefined();
      expect(releaseId(cp(account), 'istiod')).toBeDefined();
    }
    const [, ingress] = manifests(app, 'workloads-frontend', 'Ingress')[0];
    expect(ingress.manifest.metadata.namespace).toBe('istio-ingress');
  });

  test('the east-west gateway (an NLB whose finalizer the load balancer controller clears) goes before that controller, its Gateway and DNS record before it', () => {
    const stack = cp('backend');
    const gateway = releaseId(stack, 'istio-eastwestgateway')!;
    expect(gateway).toBeDefined();
    // Destroyed before anything it depends on: the Gateway object and the record go first, then the release, then its namespace.
    expect(dependsOnTransitively(app, stack, 'kubernetes_manifest.eastwest-gateway', `helm_release.${gateway}`)).toBe(true);
    expect(app.stack(stack).resourceList('aws_route53_record')[0].records[0]).toMatch(/data\.kubernetes_service_v1\.eastwest-service/);
    expect(app.stack(stack).json.data.kubernetes_service_v1['eastwest-service'].depends_on).toContain(`helm_release.${gateway}`);
    expect(dependsOnTransitively(app, stack, `helm_release.${gateway}`, 'kubernetes_manifest.eastwest-namespace')).toBe(true);
    expect(dependsOnTransitively(app, stack, `helm_release.${gateway}`, 'helm_release.istiod')).toBe(true);
  });

  test('istiod goes before the intermediate it signs with, and the mesh-wide objects before istiod', () => {
    const stack = cp('backend');
    expect(dependsOnTransitively(app, stack, 'helm_release.istiod', 'kubernetes_manifest.intermediate-certificate')).toBe(true);
    expect(dependsOnTransitively(app, stack, 'kubernetes_manifest.intermediate-certificate', 'kubernetes_manifest.mesh-root-issuer')).toBe(true);
    for (const id of ['strict-mtls', 'mesh-tracing']) expect(dependsOnTransitively(app, stack, `kubernetes_manifest.${id}`, 'helm_release.istiod')).toBe(true);
  });

  test('cert-manager\'s and the issuer\'s objects (and their finalizers) go before the charts that serve and define them, the issuer before its IAM', () => {
    for (const account of ['frontend', 'backend']) {
      const kinds = manifests(app, cp(account), 'Certificate').length + manifests(app, cp(account), 'AWSPCAIssuer').length;
      expect(kinds).toBe(2);
      const controllers = `controllers-${account}`;
      for (const chart of ['cert-manager', 'aws-privateca-issuer', 'istio-base']) expect(releaseId(controllers, chart)).toBeDefined();
      expect(waveOf(app, cp(account))).toBeLessThan(waveOf(app, controllers));
      // The issuer (which answers for its requests) goes before cert-manager, and before its Pod Identity.
      expect(dependsOnTransitively(app, controllers, `helm_release.${releaseId(controllers, 'aws-privateca-issuer')}`, `helm_release.${releaseId(controllers, 'cert-manager')}`)).toBe(true);
      expect(app.stack(controllers).resources('helm_release')[releaseId(controllers, 'aws-privateca-issuer')!].depends_on.some((d: string) => d.startsWith('aws_eks_pod_identity_association.'))).toBe(true);
      // The workload namespace (its injected pods gone) before every chart.
      const [nsId] = manifests(app, controllers, 'Namespace').find(([, r]) => r.manifest.metadata.name === 'yelb')!;
      for (const id of Object.keys(app.stack(controllers).resources('helm_release'))) {
        expect(app.stack(controllers).resources('kubernetes_manifest')[nsId].depends_on).toContain(`helm_release.${id}`);
      }
    }
  });
});
