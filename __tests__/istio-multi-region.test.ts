import * as path from 'path';
import Ajv from 'ajv';
import { loadConfig, validateConfig } from '../app/config';
import { synthesize } from '../app/synth';
import { readManifest, readStackJson } from '../app/synth-output';
import { ConfigError } from '../config/errors';
import { scratchDir, SynthStack } from './support/synth';
import { describeWithMirrors, readUpstream } from './support/upstream';
import { celViolations, crdSchema, withUnknownFieldsRejected } from './support/api-server-checks';

// The Istio engine across regions, on the synthesized one-account-two-regions example: edge's
// service-a calls service-b, which runs in shared's clusters in us-west-2 and us-east-1. The
// caller's view must hold both sites, each with its region as locality, and prefer its own
// region before failing over; both copies must admit the caller; the east-west names must
// resolve from the caller's VPC in another region; every cluster's intermediate comes from the
// one root in the owner's region.

const EXAMPLE = path.resolve('examples/multi-region/one-account-two-regions.yaml');
const config = loadConfig({ MESH_CONFIG: EXAMPLE });
const outdir = path.join(scratchDir('mesh-istio-mr-'), 'cdktf.out');
synthesize(config, { offlinePlan: false, stateDir: path.join(path.dirname(outdir), 'state') }, outdir, () => undefined);
const manifest = readManifest(outdir);
const stack = (name: string) => new SynthStack(name, readStackJson(outdir, manifest, name));
const objects = (name: string) => stack(name).resourceList('kubernetes_manifest').map((r) => r.manifest);
const find = (name: string, kind: string, metaName: string) => objects(name).find((o) => o.kind === kind && o.metadata.name === metaName);

describe('Istio across regions (examples/multi-region/one-account-two-regions.yaml)', () => {
  test('the example synthesizes with Istio: a control plane and workloads per site', () => {
    expect(config.mesh.engine).toBe('istio');
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(['control-plane-shared', 'control-plane-shared-us-east-1', 'control-plane-edge', 'workloads-shared-us-east-1']));
  });

  test("the caller's ServiceEntry holds every site of the backend, each with its region as locality and its own identity", () => {
    const entry = find('workloads-edge', 'ServiceEntry', 'service-b');
    expect(entry.spec.endpoints.map((e: any) => [e.address, e.locality])).toEqual([
      ['eastwest.shared.meshdemo.istio.internal', 'us-west-2'],
      ['eastwest.shared-us-east-1.meshdemo.istio.internal', 'us-east-1'],
    ]);
    expect(entry.spec.subjectAltNames).toEqual(['spiffe://shared.meshdemo.mesh/ns/chain/sa/service-b', 'spiffe://shared-us-east-1.meshdemo.mesh/ns/chain/sa/service-b']);
  });

  test("the caller's DestinationRule prefers its own region and fails over in placement order, with outlier detection that can eject a region", () => {
    const rule = find('workloads-edge', 'DestinationRule', 'service-b');
    expect(rule.spec.trafficPolicy.loadBalancer).toEqual({ localityLbSetting: { enabled: true, failover: [{ from: 'us-west-2', to: 'us-east-1' }, { from: 'us-east-1', to: 'us-west-2' }] } });
    expect(rule.spec.trafficPolicy.outlierDetection.maxEjectionPercent).toBe(100);
    // A single-region backend gets no locality setting at all.
    expect(find('workloads-shared', 'DestinationRule', 'service-c').spec.trafficPolicy.loadBalancer).toBeUndefined();
  });

  test('both copies of service-b admit the caller, and only it, by its identity in its own trust domain', () => {
    for (const site of ['shared', 'shared-us-east-1']) {
      const policy = find(`workloads-${site}`, 'AuthorizationPolicy', 'service-b-callers');
      expect(policy.spec.rules[0].from[0].source.principals).toEqual(['edge.meshdemo.mesh/ns/chain/sa/service-a']);
    }
  });

  test("the east-west name of a site in another region resolves from the caller's VPC: the association names the caller VPC's region", () => {
    const mesh = stack('mesh');
    const regionOf = (r: any) => r.vpc_region ?? 'same region';
    // Zones: shared's (us-west-2) seen from edge (us-west-2); shared-us-east-1's (us-east-1) seen
    // from edge (us-west-2); edge's (us-west-2) seen from shared (us-west-2) and shared-us-east-1
    // (us-east-1), whose service-b copies call service-c. Both sides name the VPC's region.
    for (const type of ['aws_route53_zone_association', 'aws_route53_vpc_association_authorization']) {
      expect(mesh.resourceList(type).map(regionOf).sort()).toEqual(['same region', 'same region', 'us-east-1', 'us-west-2']);
    }
  });

  test("every cluster's issuer asks the one root in the owner's region, whatever region the cluster is in", () => {
    for (const site of ['shared', 'shared-us-east-1', 'edge']) {
      const issuer = objects(`control-plane-${site}`).find((o) => o.kind === 'AWSPCAIssuer');
      expect(issuer.spec.region).toBe('us-west-2');
    }
  });

  test('a caller placed with a copy of its multi-region backend stops synthesis, naming the backend entry and the fix', () => {
    const raw = require('yaml').parse(require('fs').readFileSync(EXAMPLE, 'utf8'));
    raw.catalog.placement['service-a'] = [{ account: 'shared' }];
    let error: unknown;
    try {
      validateConfig(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/catalog\[0\]\.backends\[0\]: "service-b" runs in us-west-2 and us-east-1 and also in service-a's site shared: .*Fix: place service-b apart from service-a, or in one region/);
  });
});

describeWithMirrors(['istio/istio'])('the multi-region Istio objects against Istio 1.30.3 CRDs', () => {
  test('ServiceEntry and DestinationRule of the caller pass the CRD schemas and their CEL rules', () => {
    const crds = readUpstream({ repo: 'istio/istio', ref: '1.30.3', path: 'manifests/charts/base/files/crd-all.gen.yaml' })!;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    for (const o of [find('workloads-edge', 'ServiceEntry', 'service-b'), find('workloads-edge', 'DestinationRule', 'service-b')]) {
      const schema = crdSchema(crds, o.kind, o.apiVersion.split('/')[1]);
      const validate = ajv.compile(withUnknownFieldsRejected(schema));
      expect(validate(o) ? [] : validate.errors).toEqual([]);
      expect(celViolations(schema, o)).toEqual([]);
    }
  });
});
