import * as YAML from 'yaml';
import { synthConfig, demoWith, appMeshDemoWith } from './support/synth';
import { kubeObjects } from './support/kube';
import { crdValidator, describeWithMirrors, keyPaths, readUpstream } from './support/upstream';
import { CHARTS, valuePaths, type ChartPin } from '../modules/addons/charts';
import { CRD_SOURCE as LATTICE_CRDS, LATTICE_API } from '../engines/lattice/api';
import { CRD_SOURCE as APPMESH_CRDS, APPMESH_API } from '../engines/appmesh/api';
import { GATEWAY_API_VERSION } from '../config/versions';

// What we emit, checked against what the pinned upstreams accept: every custom resource against
// its controller's CRD schema, every chart value against the pinned chart's values.yaml. The
// upstream files are read from local mirrors at the pinned tag or commit (support/upstream.ts).

const GATEWAY_API_REPO = 'kubernetes-sigs/gateway-api';

/** Which CRD file defines each custom kind we emit, by API version. */
const CRD_FILES: Record<string, { repo: string; ref: string; file: (kind: string) => string }> = {
  [LATTICE_API]: { repo: LATTICE_CRDS.repo, ref: LATTICE_CRDS.ref, file: (kind) => `${LATTICE_CRDS.dir}/application-networking.k8s.aws_${kind.toLowerCase()}s.yaml`.replace('policys.yaml', 'policies.yaml') },
  [APPMESH_API]: { repo: APPMESH_CRDS.repo, ref: APPMESH_CRDS.ref, file: (kind) => `${APPMESH_CRDS.dir}/appmesh.k8s.aws_${kind.toLowerCase()}${kind === 'Mesh' ? 'es' : 's'}.yaml` },
  'gateway.networking.k8s.io/v1': { repo: GATEWAY_API_REPO, ref: GATEWAY_API_VERSION, file: (kind) => `config/crd/standard/gateway.networking.k8s.io_${kind.toLowerCase()}${kind.endsWith('Class') ? 'es' : 's'}.yaml` },
};

const configs = {
  'Yelb on Lattice': demoWith(),
  'chain on Lattice': demoWith((c) => (c.catalog = 'chain')),
  'Yelb on App Mesh': appMeshDemoWith(),
  'chain on App Mesh': appMeshDemoWith((c) => (c.catalog = 'chain')),
};
const synthesized = Object.entries(configs).map(([name, input]) => [name, synthConfig(input)] as const);

describeWithMirrors([LATTICE_CRDS.repo, APPMESH_CRDS.repo, GATEWAY_API_REPO])('custom resources against the pinned controllers\' CRDs', () => {
  const validators = new Map<string, ReturnType<typeof crdValidator>>();
  const validatorFor = (apiVersion: string, kind: string) => {
    const key = `${apiVersion}/${kind}`;
    if (!validators.has(key)) {
      const source = CRD_FILES[apiVersion];
      const text = readUpstream({ repo: source.repo, ref: source.ref, path: source.file(kind) })!;
      validators.set(key, crdValidator(text, kind, apiVersion.split('/')[1]));
    }
    return validators.get(key)!;
  };

  test.each(synthesized)('%s: every custom resource is valid against its CRD', (_name, app) => {
    const custom = kubeObjects(app).filter(({ object }) => object.apiVersion && CRD_FILES[object.apiVersion]);
    expect(custom.length).toBeGreaterThan(0);
    const failures = custom.flatMap(({ stack, id, object }) => {
      const validate = validatorFor(object.apiVersion, object.kind);
      return validate(object) ? [] : [`${stack}/${id}: ${JSON.stringify(validate.errors)}`];
    });
    expect(failures).toEqual([]);
  });

  test('the check can fail: a TargetGroupPolicy with a health-check interval of 2 s is rejected', () => {
    const [, app] = synthesized[0];
    const policy = structuredClone(kubeObjects(app).find(({ object }) => object.kind === 'TargetGroupPolicy')!.object);
    policy.spec.healthCheck.intervalSeconds = 2;
    const validate = validatorFor(LATTICE_API, 'TargetGroupPolicy');
    expect(validate(policy)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('intervalSeconds');
  });
});

const charts = Object.values(CHARTS) as ChartPin[];

describeWithMirrors([...new Set(charts.map((c) => c.valuesSource.repo))])("chart values against the pinned charts' values.yaml", () => {
  const upstreamKeys = (pin: ChartPin) => new Set(keyPaths(YAML.parse(readUpstream(pin.valuesSource)!)));

  test.each(charts.map((c) => [c.chart, c] as const))('%s: every key the project may set exists in the pinned values.yaml', (_name, pin) => {
    const keys = upstreamKeys(pin);
    expect(pin.valueKeys.filter((k) => !keys.has(k))).toEqual([]);
  });

  test('every value a release sets is one of its chart\'s allowed keys', () => {
    const releases = synthesized.flatMap(([, app]) => app.stackNames.flatMap((s) => app.stack(s).resourceList('helm_release')));
    expect(releases.length).toBeGreaterThan(0);
    const stray = releases.flatMap((r) => {
      const pin = charts.find((c) => c.chart === r.chart);
      if (!pin) return [`${r.chart}: not a pinned chart`];
      return valuePaths(YAML.parse(r.values[0])).filter((k) => !pin.valueKeys.includes(k)).map((k) => `${r.chart}: ${k}`);
    });
    expect(stray).toEqual([]);
  });

  test('the check can fail: a misspelt key is not in the values.yaml', () => {
    expect(upstreamKeys(CHARTS.loadBalancerController).has('replicasCount')).toBe(false);
    expect(upstreamKeys(CHARTS.loadBalancerController).has('replicaCount')).toBe(true);
  });
});
