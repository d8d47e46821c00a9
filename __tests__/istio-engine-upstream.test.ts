import * as YAML from 'yaml';
import Ajv from 'ajv';
import { synthConfig, demoWith, type SynthResult } from './support/synth';
import { kubeObjects, modelFor } from './support/kube';
import { describeWithMirrors, readUpstream } from './support/upstream';
import { celViolations, crdSchema, withUnknownFieldsRejected } from './support/api-server-checks';
import { meshConfigProblems, registeredEnvNames } from './support/istio-api';
import { asRole, iamDocuments } from './support/iam';
import { CHARTS, allowedValuePath, valuePaths, type ChartPin } from '../modules/addons/charts';
import { CERT_MANAGER_CRDS, ISTIO_CRDS, PCA_ISSUER_CRDS } from '../engines/istio/api';
import { PATHLEN0_TEMPLATE, templateArn } from '../engines/istio/intermediate-ca';
import { pcaIssuerRoleName } from '../engines/istio/controllers';
import { engineFor } from '../engines/registry';
import { accountByName } from '../config/load';
import { clusterName } from '../config/naming';

// The Istio engine's synthesized output against what we did not write: every Kubernetes object
// against Istio 1.30.3's, cert-manager v1.21.1's and aws-privateca-issuer v1.9.0's CRDs (CEL
// rules included) or kubernetes-models, every chart value against the pinned chart, and the
// issuer's IAM against the IAM evaluator (@cloud-copilot/iam-simulate).

const istio = (change: (c: any) => void = () => {}) => demoWith((c) => ((c.mesh.engine = 'istio'), change(c)));
const apps: Array<[string, SynthResult]> = [
  ['Yelb', synthConfig(istio())],
  ['chain', synthConfig(istio((c) => (c.catalog = 'chain')))],
];
const objects = apps.flatMap(([name, app]) => kubeObjects(app).map((o) => ({ ...o, label: `${name}/${o.stack}/${o.id}` })));

/** Where each custom kind's CRD is, by API group. */
const CRD_SOURCES: Record<string, { repo: string; ref: string; path: string }> = {
  'networking.istio.io': ISTIO_CRDS,
  'security.istio.io': ISTIO_CRDS,
  'telemetry.istio.io': ISTIO_CRDS,
  'cert-manager.io': CERT_MANAGER_CRDS,
  'awspca.cert-manager.io': PCA_ISSUER_CRDS,
};
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

describeWithMirrors(['istio/istio', 'cert-manager/cert-manager', 'cert-manager/aws-privateca-issuer'])('Istio engine objects against the pinned CRDs and kubernetes-models', () => {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const schemas = new Map<string, Record<string, any>>();
  const schemaOf = (o: any) => {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!schemas.has(key)) schemas.set(key, crdSchema(readUpstream(CRD_SOURCES[groupOf(o.apiVersion)])!, o.kind, o.apiVersion.split('/')[1]));
    return schemas.get(key)!;
  };
  const validators = new Map<string, ReturnType<Ajv['compile']>>();
  const problems = (o: any): string[] => {
    if (CRD_SOURCES[groupOf(o.apiVersion)]) {
      const key = `${o.apiVersion}/${o.kind}`;
      if (!validators.has(key)) validators.set(key, ajv.compile(withUnknownFieldsRejected(schemaOf(o))));
      const v = validators.get(key)!;
      const schema = v(o) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
      return [...schema, ...celViolations(schemaOf(o), o).map((c) => `${c.path}: ${c.message}`)];
    }
    const Model = modelFor(o.apiVersion, o.kind);
    if (!Model) return [`${o.apiVersion} ${o.kind}: no schema known`];
    try {
      new Model(o).validate();
      return [];
    } catch (e) {
      return [String(e)];
    }
  };

  test('the engine emits the control-plane kinds and the workload kinds', () => {
    const kinds = new Set(objects.map(({ object }) => `${object.apiVersion} ${object.kind}`));
    for (const k of ['cert-manager.io/v1 Certificate', 'awspca.cert-manager.io/v1beta1 AWSPCAIssuer', 'security.istio.io/v1 PeerAuthentication', 'telemetry.istio.io/v1 Telemetry', 'networking.istio.io/v1 Gateway', 'networking.istio.io/v1 ServiceEntry', 'security.istio.io/v1 AuthorizationPolicy']) {
      expect(kinds).toContain(k);
    }
  });

  test('every object is valid against its schema (custom kinds: no unknown field, CEL rules pass)', () => {
    expect(objects.flatMap(({ label, object }) => problems(object).map((p) => `${label}: ${p}`))).toEqual([]);
  });

  test('the checks can fail: a misspelt field, a bad enum and a bad built-in object are each rejected', () => {
    const find = (kind: string) => structuredClone(objects.find(({ object }) => object.kind === kind)!.object);
    const peer = find('PeerAuthentication');
    peer.spec.mtls.mode = 'STRICTER';
    expect(problems(peer).length).toBeGreaterThan(0);
    const cert = find('Certificate');
    cert.spec.secretNmae = cert.spec.secretName;
    expect(problems(cert).join()).toMatch(/secretNmae/);
    const issuer = find('AWSPCAIssuer');
    issuer.spec.region = 42;
    expect(problems(issuer).length).toBeGreaterThan(0);
    const ns = find('Namespace');
    ns.metadata.labels = 'istio-injection';
    expect(problems(ns).length).toBeGreaterThan(0);
  });
});

describeWithMirrors(['istio/istio', 'istio/api', 'cert-manager/cert-manager', 'cert-manager/aws-privateca-issuer'])('Istio engine chart values against the pinned charts', () => {
  const releases = apps.flatMap(([name, app]) => app.stackNames.flatMap((s) => app.stack(s).resourceList('helm_release').map((r) => ({ label: `${name}/${s}/${r.name}`, r }))));
  const pinOf = (r: any) => (Object.values(CHARTS) as ChartPin[]).find((p) => p.chart === r.chart && p.repository === r.repository && p.version === r.version);

  test('every release is a pinned chart, and every value it sets is a key of that chart', () => {
    expect(releases.map(({ r }) => r.chart)).toEqual(expect.arrayContaining(['base', 'cni', 'istiod', 'gateway', 'cert-manager', 'aws-privateca-issuer']));
    const stray = releases.flatMap(({ label, r }) => {
      const pin = pinOf(r);
      if (!pin) return [`${label}: ${r.chart} ${r.version} is not pinned`];
      return valuePaths(YAML.parse(r.values[0])).filter((k) => !allowedValuePath(pin, k)).map((k) => `${label}: ${k}`);
    });
    expect(stray).toEqual([]);
  });

  test("istiod's free-form values: meshConfig against the MeshConfig proto, env against istiod's registered variables", () => {
    const istiodNames = registeredEnvNames(['pilot/pkg/', 'security/pkg/', 'pkg/']);
    const agentNames = registeredEnvNames(['pilot/cmd/pilot-agent/', 'pkg/istio-agent/', 'security/pkg/']);
    const istiods = releases.filter(({ r }) => r.chart === 'istiod');
    expect(istiods.length).toBe(4); // two clusters per app
    for (const { r } of istiods) {
      const values = YAML.parse(r.values[0]);
      expect(meshConfigProblems(values.meshConfig)).toEqual([]);
      expect(Object.keys(values.env).filter((k) => !istiodNames.has(k))).toEqual([]);
      expect(Object.keys(values.meshConfig.defaultConfig.proxyMetadata).filter((k) => !agentNames.has(k))).toEqual([]);
      // The root comes from the mesh stack, a reference Terraform fills in.
      expect(values.meshConfig.caCertificates[0].pem).toMatch(/upstream-mesh\.outputs\.root_ca_pem/);
    }
  });

  test('the check can fail: a misspelt key is not allowed', () => {
    expect(allowedValuePath(CHARTS.istioCni, 'cniBinDirs')).toBe(false);
    expect(allowedValuePath(CHARTS.istioCni, 'cniBinDir')).toBe(true);
  });
});

describe('Istio: the issuer\'s IAM, asked of the IAM evaluator', () => {
  const [, app] = apps[0];
  const docs = iamDocuments(app);
  const config = app.config;
  const rootArn = engineFor(config).meshMocks(config, accountByName(config, config.mesh.owner).id).arn;
  const ownerId = accountByName(config, config.mesh.owner).id;
  const roleOf = (account: string) => `arn:aws:iam::${accountByName(config, account).id}:role/${pcaIssuerRoleName(clusterName(config, account))}`;
  const issue = (template: string) => ({ context: { 'acm-pca:TemplateArn': templateArn(template) } });
  /**
   * What the RAM share attaches to the CA for a member (the AWS managed permission
   * AWSRAMSubordinateCACertificatePathLen0IssuanceCertificateAuthority). Its exact text was not
   * read here: this models it as its name says (PathLen0 subordinates, read calls) for the member
   * account, so the test exercises the identity half, which this project writes.
   */
  const sharedTo = (memberId: string) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow' as const, Principal: { AWS: memberId }, Action: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate'], Resource: rootArn },
      { Effect: 'Allow' as const, Principal: { AWS: memberId }, Action: 'acm-pca:IssueCertificate', Resource: rootArn, Condition: { StringEquals: { 'acm-pca:TemplateArn': templateArn(PATHLEN0_TEMPLATE) } } },
    ],
  });

  test('in the owner account: PathLen0 intermediates of the mesh root only, and reading them back', async () => {
    const ask = asRole(docs, roleOf('frontend'));
    expect(await ask('acm-pca:IssueCertificate', rootArn, issue(PATHLEN0_TEMPLATE))).toBe('Allowed');
    expect(await ask('acm-pca:GetCertificate', rootArn)).toBe('Allowed');
    expect(await ask('acm-pca:DescribeCertificateAuthority', rootArn)).toBe('Allowed');
    expect(await ask('acm-pca:IssueCertificate', rootArn, issue('EndEntityCertificate/V1'))).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:IssueCertificate', rootArn, issue('SubordinateCACertificate_PathLen1/V1'))).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:IssueCertificate', rootArn.replace(/[0-9a-f-]{36}$/, '11111111-1111-1111-1111-111111111111'), issue(PATHLEN0_TEMPLATE))).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:RevokeCertificate', rootArn)).toBe('ImplicitlyDenied');
  });

  test('from a member account: allowed with the share, denied without it', async () => {
    const ask = asRole(docs, roleOf('backend'));
    const memberId = accountByName(config, 'backend').id;
    const shared = { resourceAccount: ownerId, resourcePolicy: sharedTo(memberId) };
    expect(await ask('acm-pca:IssueCertificate', rootArn, { ...issue(PATHLEN0_TEMPLATE), ...shared })).toBe('Allowed');
    expect(await ask('acm-pca:IssueCertificate', rootArn, { ...issue(PATHLEN0_TEMPLATE), resourceAccount: ownerId })).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:IssueCertificate', rootArn, { ...issue('EndEntityCertificate/V1'), ...shared })).toBe('ImplicitlyDenied');
  });
});
