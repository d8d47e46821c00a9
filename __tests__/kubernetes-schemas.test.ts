import { synthConfig, demoWith, appMeshDemoWith } from './support/synth';
import { kubeObjects, modelFor } from './support/kube';
import { APPMESH_API } from '../engines/appmesh/api';
import { LATTICE_API } from '../engines/lattice/routing';

// Every Kubernetes object the stacks emit is validated against the Kubernetes OpenAPI schemas
// (kubernetes-models); App Mesh custom resources are typed at compile time (engines/appmesh/api.ts).
const CUSTOM_KINDS: Record<string, string[]> = { [APPMESH_API]: ['Mesh', 'VirtualNode', 'VirtualRouter', 'VirtualService'], [LATTICE_API]: ['IAMAuthPolicy', 'TargetGroupPolicy'] };

describe.each([
  ['yelb', 'Lattice', demoWith()],
  ['chain', 'Lattice', demoWith((c) => (c.catalog = 'chain'))],
  ['yelb', 'App Mesh', appMeshDemoWith()],
  ['chain', 'App Mesh', appMeshDemoWith((c) => (c.catalog = 'chain'))],
])('Kubernetes objects of the %s catalog on %s', (_name, _engine, config) => {
  const objects = kubeObjects(synthConfig(config));

  test('there are objects in every cluster-facing stack', () => {
    const stacks = new Set(objects.map((o) => o.stack));
    expect([...stacks].sort()).toEqual(['controllers-backend', 'controllers-frontend', 'workloads-backend', 'workloads-frontend']);
  });

  test('each built-in object is valid against its schema; each custom one is a known App Mesh or Lattice kind', () => {
    const failures: string[] = [];
    for (const { stack, id, object } of objects) {
      // The Gateway API CRDs are the pinned upstream release, applied document by document with
      // for_each: upstream's objects, not ours, so there is nothing of ours to validate.
      if (id === 'gateway-api-crd') continue;
      const Model = modelFor(object.apiVersion, object.kind);
      if (Model) {
        try {
          new Model(object).validate();
        } catch (e) {
          failures.push(`${stack}/${id}: ${(e as Error).message}`);
        }
      } else if (!CUSTOM_KINDS[object.apiVersion]?.includes(object.kind)) {
        failures.push(`${stack}/${id}: no schema for ${object.apiVersion} ${object.kind}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('the validator rejects a broken object (the check can fail)', () => {
    const deployment = objects.find((o) => o.stack.startsWith('workloads') && o.object.kind === 'Deployment')!.object;
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    const Model = modelFor('apps/v1', 'Deployment')!;
    expect(() => new Model(broken).validate()).toThrow(/containerPort/);
  });
});
