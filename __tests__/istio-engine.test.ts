import { synthConfig, demoWith, dependsOnTransitively, type SynthResult } from './support/synth';
import { stackWaves } from '../app/order';
import { CONTROL_PLANE_ORDER, type ControlPlanePart } from '../engines/istio/order';
import { SUBORDINATE_CA_PERMISSION } from '../engines/istio/shared-ca';
import { meshAccount, serviceHost } from '../engines/istio/mesh-names';
import { GATEWAYS, NAMESPACES, PCA_ISSUER } from '../engines/istio/names';
import { CHARTS } from '../modules/addons/charts';
import { accountByName } from '../config/load';

// The Istio engine as synthesized: the stacks it adds and their order, the root of trust in the
// mesh stack, each cluster's controllers and control plane, and the workloads' federation, read
// back from the Terraform JSON. Upstream schemas and IAM are in istio-engine-upstream.test.ts.

const istio = (change: (c: any) => void = () => {}) => demoWith((c) => ((c.mesh.engine = 'istio'), change(c)));
const yelb = synthConfig(istio());
const chain = synthConfig(istio((c) => (c.catalog = 'chain')));

const accounts = (app: SynthResult) => app.config.accounts.map((a) => a.name);
const manifests = (app: SynthResult, stack: string) => Object.entries<any>(app.stack(stack).resources('kubernetes_manifest'));
const manifest = (app: SynthResult, stack: string, kind: string, name: string) => manifests(app, stack).find(([, r]) => r.manifest.kind === kind && r.manifest.metadata.name === name)?.[1];
const release = (app: SynthResult, stack: string, name: string) => app.stack(stack).resourceList('helm_release').find((r) => r.name === name);


const stackDependsOn = (app: SynthResult, from: string, to: string): boolean => {
  const seen = new Set<string>();
  const walk = (s: string): boolean => s === to || (!seen.has(s) && (seen.add(s), app.manifest.stacks[s].dependencies.some(walk)));
  return walk(from);
};

describe.each([
  ['Yelb', yelb],
  ['chain', chain],
])('Istio (%s): stacks and their order', (_name, app) => {
  test('every account gets a control-plane stack after its controllers and before its workloads', () => {
    const waves = stackWaves(app.manifest);
    const wave = (s: string) => waves.findIndex((w) => w.includes(s));
    for (const a of accounts(app)) {
      expect(app.manifest.stacks[`control-plane-${a}`].dependencies).toEqual(expect.arrayContaining([`controllers-${a}`, 'mesh']));
      expect(app.manifest.stacks[`workloads-${a}`].dependencies).toContain(`control-plane-${a}`);
      expect(wave(`controllers-${a}`)).toBeLessThan(wave(`control-plane-${a}`));
      expect(wave(`control-plane-${a}`)).toBeLessThan(wave(`workloads-${a}`));
    }
  });

  test('every edge of engines/istio/order.ts holds: across stacks by stack order, inside a stack by depends_on', () => {
    const checked: string[] = [];
    for (const a of accounts(app)) {
      const cp = `control-plane-${a}`;
      const at: Partial<Record<ControlPlanePart, Array<[string, string]>>> = {
        'load-balancer-controller': [[`controllers-${a}`, 'helm_release.aws-load-balancer-controller']],
        'cert-manager': [[`controllers-${a}`, 'helm_release.cert-manager']],
        'pca-issuer': [[`controllers-${a}`, 'helm_release.aws-privateca-issuer']],
        'istio-base': [[`controllers-${a}`, 'helm_release.istio-base']],
        'istio-cni': [[`controllers-${a}`, 'helm_release.istio-cni']],
        'mesh-root-issuer': [[cp, 'kubernetes_manifest.mesh-root-issuer']],
        'intermediate-certificate': [[cp, 'kubernetes_manifest.intermediate-certificate']],
        istiod: [[cp, 'helm_release.istiod']],
        'mesh-wide-objects': [[cp, 'kubernetes_manifest.strict-mtls'], [cp, 'kubernetes_manifest.mesh-tracing']],
        'ingress-gateway': release(app, cp, GATEWAYS.ingress.name) ? [[cp, `helm_release.${GATEWAYS.ingress.name}`]] : [],
        'east-west-gateway': release(app, cp, GATEWAYS.eastWest.name) ? [[cp, `helm_release.${GATEWAYS.eastWest.name}`]] : [],
        'injected-workloads': app.stackNames.includes(`workloads-${a}`)
          ? manifests(app, `workloads-${a}`).filter(([, r]) => r.manifest.kind === 'Deployment').map(([id]) => [`workloads-${a}`, `kubernetes_manifest.${id}`] as [string, string])
          : [],
      };
      const association = Object.entries<any>(app.stack(`controllers-${a}`).resources('aws_eks_pod_identity_association')).find(([, r]) => r.service_account === PCA_ISSUER.serviceAccount)!;
      at['pca-issuer-identity'] = [[`controllers-${a}`, `aws_eks_pod_identity_association.${association[0]}`]];
      for (const edge of CONTROL_PLANE_ORDER) {
        for (const [beforeStack, before] of at[edge.before] ?? []) {
          for (const [afterStack, after] of at[edge.after] ?? []) {
            const holds = beforeStack === afterStack ? dependsOnTransitively(app, afterStack, after, before) : stackDependsOn(app, afterStack, beforeStack);
            expect(`${afterStack}/${after} after ${beforeStack}/${before}: ${holds}`).toBe(`${afterStack}/${after} after ${beforeStack}/${before}: true`);
            checked.push(`${edge.before}→${edge.after}`);
          }
        }
      }
    }
    // Every edge was exercised at least once (gateways and workloads exist somewhere).
    expect(new Set(checked)).toEqual(new Set(CONTROL_PLANE_ORDER.map((e) => `${e.before}→${e.after}`)));
  });

  test('istiod waits for the intermediate to be Ready, not just created', () => {
    for (const a of accounts(app)) {
      const cert = app.stack(`control-plane-${a}`).resources('kubernetes_manifest')['intermediate-certificate'];
      expect(cert.wait).toEqual({ condition: [{ status: 'True', type: 'Ready' }] });
      expect(release(app, `control-plane-${a}`, 'istiod').depends_on).toContain('kubernetes_manifest.intermediate-certificate');
    }
  });
});

describe('Istio: the root of trust in the mesh stack', () => {
  const mesh = yelb.stack('mesh');
  const ownerAlias = `aws.${yelb.config.mesh.owner}`;

  test('one general-purpose ROOT in the owner account, self-signed with the root template, installed', () => {
    const [ca] = mesh.resourceList('aws_acmpca_certificate_authority');
    expect(mesh.resourceList('aws_acmpca_certificate_authority')).toHaveLength(1);
    expect(ca).toMatchObject({ type: 'ROOT', usage_mode: 'GENERAL_PURPOSE', provider: ownerAlias });
    expect(ca.revocation_configuration.crl_configuration.enabled).toBe(false);
    const [cert] = mesh.resourceList('aws_acmpca_certificate');
    expect(cert.template_arn).toBe('arn:aws:acm-pca:::template/RootCACertificate/V1');
    expect(cert.certificate_signing_request).toMatch(/^\$\{aws_acmpca_certificate_authority\.[^.]+\.certificate_signing_request\}$/);
    const [installed] = mesh.resourceList('aws_acmpca_certificate_authority_certificate');
    expect(installed.certificate).toMatch(/^\$\{aws_acmpca_certificate\.[^.]+\.certificate\}$/);
  });

  test('shared through RAM with the PathLen0 subordinate-CA permission to every member, accepted outside an organization', () => {
    const [share] = mesh.resourceList('aws_ram_resource_share');
    expect(share.permission_arns).toEqual([SUBORDINATE_CA_PERMISSION()]);
    expect(share.allow_external_principals).toBe(true);
    const [association] = mesh.resourceList('aws_ram_resource_association');
    expect(association.resource_arn).toMatch(/aws_acmpca_certificate_authority_certificate\.[^.]+\.certificate_authority_arn/);
    const members = yelb.config.accounts.filter((a) => a.name !== yelb.config.mesh.owner).map((a) => a.id);
    expect(mesh.resourceList('aws_ram_principal_association').map((p) => p.principal).sort()).toEqual(members.sort());
    expect(mesh.resourceList('aws_ram_resource_share_accepter')).toHaveLength(members.length);
    const sameOrg = synthConfig(istio((c) => (c.mesh.sameOrganization = true))).stack('mesh');
    expect(sameOrg.resourceList('aws_ram_resource_share_accepter')).toHaveLength(0);
    expect(sameOrg.resourceList('aws_ram_resource_share')[0].allow_external_principals).toBe(false);
  });

  test('the mesh contract maps to the CA: mesh_arn is its ARN, root_ca_pem its public certificate', () => {
    const outputs = mesh.json.output;
    expect(outputs.mesh_arn.value).toMatch(/aws_acmpca_certificate_authority_certificate\.[^.]+\.certificate_authority_arn/);
    expect(outputs.root_ca_pem.value).toMatch(/^\$\{aws_acmpca_certificate\.[^.]+\.certificate\}$/);
  });

  test('the east-west name lives in a private zone of the serving account, resolvable from its callers only', () => {
    const zones = mesh.resourceList('aws_route53_zone');
    // backend serves yelb-appserver to frontend; nothing calls into frontend.
    expect(zones.map((z) => z.name)).toEqual(['backend.meshdemo.istio.internal']);
    expect(zones[0].provider).toBe('aws.backend');
    expect(mesh.resourceList('aws_route53_zone_association').map((z) => z.provider)).toEqual(['aws.frontend']);
    expect(meshAccount('meshdemo', 'backend').eastWestHost.endsWith(`.${zones[0].name}`)).toBe(true);
  });
});

/** Every place a CA private key could land in Terraform: state-bearing resources, outputs, values. */
export function privateKeyFindings(app: { stackNames: string[]; stack(name: string): { json: any } }): string[] {
  return app.stackNames.flatMap((name) => {
    const json = app.stack(name).json;
    const text = JSON.stringify(json);
    const found: string[] = [];
    if (/PRIVATE KEY/.test(text)) found.push(`${name}: a PEM private key`);
    for (const type of ['tls_private_key', 'tls_self_signed_cert', 'tls_locally_signed_cert', 'kubernetes_secret', 'kubernetes_secret_v1']) {
      if (json.resource?.[type]) found.push(`${name}: ${type}`);
    }
    for (const [key, o] of Object.entries<any>(json.output ?? {})) {
      if (/private_key|tls\.key|key_pem/.test(JSON.stringify(o.value))) found.push(`${name}: output ${key}`);
    }
    return found;
  });
}

describe('Istio: no CA private key in state or outputs', () => {
  test.each([
    ['Yelb', yelb],
    ['chain', chain],
  ])('%s: no stack holds a private key, a key resource, or a Secret', (_n, app) => {
    expect(privateKeyFindings(app)).toEqual([]);
    // The intermediate's key is generated by cert-manager in the cluster, into a Secret Terraform never sees.
    const cert = app.stack('control-plane-backend').resources('kubernetes_manifest')['intermediate-certificate'].manifest;
    expect(cert.spec).toMatchObject({ isCA: true, secretName: 'cacerts' });
  });

  test('the check can fail: a tls_private_key, a key in an output, a Secret are each found', () => {
    const doctored = (json: any) => ({ stackNames: ['mesh'], stack: () => ({ json }) });
    expect(privateKeyFindings(doctored({ resource: { tls_private_key: { k: { algorithm: 'ECDSA' } } } }))).toEqual(['mesh: tls_private_key']);
    expect(privateKeyFindings(doctored({ output: { k: { value: '${tls_private_key.k.private_key_pem}' } } }))).toEqual(['mesh: output k']);
    expect(privateKeyFindings(doctored({ resource: { kubernetes_secret_v1: { c: { data: {} } } } }))).toEqual(['mesh: kubernetes_secret_v1']);
    expect(privateKeyFindings(doctored({ locals: { k: '-----BEGIN EC PRIVATE KEY-----' } }))).toEqual(['mesh: a PEM private key']);
  });
});

describe('Istio: each cluster\'s controllers', () => {
  test.each(['frontend', 'backend'])('%s: pinned charts, istio-cni in kube-system, the issuer\'s Pod Identity on its one service account', (a) => {
    const stack = `controllers-${a}`;
    for (const [name, pin] of [['cert-manager', CHARTS.certManager], ['aws-privateca-issuer', CHARTS.pcaIssuer], ['istio-base', CHARTS.istioBase], ['istio-cni', CHARTS.istioCni]] as const) {
      expect(release(yelb, stack, name)).toMatchObject({ chart: pin.chart, version: pin.version, repository: pin.repository });
    }
    expect(release(yelb, stack, 'istio-cni')!.namespace).toBe('kube-system');
    const associations = yelb.stack(stack).resourceList('aws_eks_pod_identity_association').filter((p) => p.namespace === NAMESPACES.certManager);
    expect(associations.map((p) => p.service_account)).toEqual([PCA_ISSUER.serviceAccount]);
  });

  test('no namespace the app creates enforces privileged; the workload namespace injects and enforces baseline', () => {
    const namespaces = yelb.stackNames.flatMap((s) => manifests(yelb, s).filter(([, r]) => r.manifest.kind === 'Namespace').map(([, r]) => r.manifest));
    expect(namespaces.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['istio-system', 'cert-manager', 'istio-ingress', 'istio-eastwest', 'yelb']));
    expect(namespaces.filter((n) => n.metadata.labels['pod-security.kubernetes.io/enforce'] === 'privileged')).toEqual([]);
    const workload = namespaces.find((n) => n.metadata.name === 'yelb');
    expect(workload.metadata.labels).toMatchObject({ 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'baseline' });
  });
});

describe('Istio: federation between accounts', () => {
  const frontend = yelb.stack('workloads-frontend');
  const host = serviceHost({ name: 'yelb-appserver' }, 'yelb');

  test('the caller reaches yelb-appserver by its plain name, through the name the callee\'s control plane writes', () => {
    const entry = manifest(yelb, 'workloads-frontend', 'ServiceEntry', 'yelb-appserver').manifest;
    expect(entry.spec.hosts).toEqual([host]);
    const record = yelb.stack('control-plane-backend').resourceList('aws_route53_record')[0];
    expect(entry.spec.endpoints.map((e: any) => e.address)).toEqual([record.name]);
    expect(entry.spec.endpoints[0].ports).toEqual({ http: 15443 });
    expect(record.zone_id).toMatch(/upstream-mesh\.outputs\.dns_zone_ids\.backend/);
    expect(record.records[0]).toMatch(/data\.kubernetes_service_v1\.eastwest-service\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname/);
    // The callee publishes the same name, which the caller's stack checks.
    expect(yelb.stack('workloads-backend').json.output.istio_service_hosts.value['yelb-appserver']).toBe(host);
  });

  test('the peering opens only the east-west port to the callers\' VPC', () => {
    const rules = yelb.stack('network').resourceList('aws_vpc_security_group_ingress_rule').filter((r) => r.description?.includes('yelb-appserver'));
    expect(rules.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[15443, 15443, accountByName(yelb.config, 'frontend').vpc.cidr]]);
  });

  test('the east-west gateway exists only where another account calls in; the ingress gateway only where a service is public', () => {
    expect(release(yelb, 'control-plane-backend', GATEWAYS.eastWest.name)).toBeDefined();
    expect(release(yelb, 'control-plane-frontend', GATEWAYS.eastWest.name)).toBeUndefined();
    expect(release(yelb, 'control-plane-frontend', GATEWAYS.ingress.name)).toBeDefined();
    expect(release(yelb, 'control-plane-backend', GATEWAYS.ingress.name)).toBeUndefined();
  });

  test('the public Ingress aims at the ingress gateway, and pods wait for deny-by-default', () => {
    const ingress = manifest(yelb, 'workloads-frontend', 'Ingress', 'yelb-ui');
    expect(ingress.manifest.metadata.namespace).toBe(GATEWAYS.ingress.namespace);
    expect(ingress.manifest.spec.rules[0].http.paths[0].backend.service).toEqual({ name: GATEWAYS.ingress.name, port: { number: 80 } });
    expect(manifests(yelb, 'workloads-frontend').filter(([, r]) => r.manifest.kind === 'Ingress')).toHaveLength(1);
    const deployment = manifest(yelb, 'workloads-frontend', 'Deployment', 'yelb-ui');
    expect(deployment.depends_on).toContain('kubernetes_manifest.istio-authorizationpolicy-yelb-allow-nothing');
    expect(frontend.resourceList('aws_iam_role_policy')).toEqual([]);
  });
});
