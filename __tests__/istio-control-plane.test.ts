import * as YAML from 'yaml';
import Ajv from 'ajv';
import { CHARTS, allowedValuePath, valuePaths, type ChartPin } from '../modules/addons/charts';
import { eastWestGatewayValues, ingressGatewayValues, istioBaseValues, istioCniValues, istiodValues, POD_IDENTITY_AGENT_CIDR } from '../engines/istio/control-plane-values';
import { certManagerValues, pcaIssuerValues } from '../engines/istio/pki-values';
import { SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { CERT_MANAGER, NAMESPACES, PCA_ISSUER, POD_SECURITY } from '../engines/istio/names';
import { CERT_MANAGER_IMAGES, ISTIO_IMAGES } from '../config/versions';
import { parseImage } from '../config/catalog/images';
import { describeWithMirrors, keyPaths, readUpstream } from './support/upstream';
import { meshConfigProblems, registeredEnvNames } from './support/istio-api';
import { clusterInput, issuerImage, ROOT_PEM } from './support/istio-fixture';

// The Helm values of the Istio engine's control plane, checked against what the pinned charts
// and Istio itself accept (read from the mirrors at the pinned tags), and for the security
// properties they exist for.

const backend = clusterInput('backend');
const releases: Array<[string, ChartPin, Record<string, unknown>]> = [
  ['istio base', CHARTS.istioBase, istioBaseValues() as unknown as Record<string, unknown>],
  ['istio-cni', CHARTS.istioCni, istioCniValues(backend) as unknown as Record<string, unknown>],
  ['istiod', CHARTS.istiod, istiodValues(backend) as unknown as Record<string, unknown>],
  ['ingress gateway', CHARTS.istioGateway, ingressGatewayValues() as unknown as Record<string, unknown>],
  ['east-west gateway', CHARTS.istioGateway, eastWestGatewayValues(backend.callerCidrs) as unknown as Record<string, unknown>],
  ['cert-manager', CHARTS.certManager, certManagerValues() as unknown as Record<string, unknown>],
  ['aws-privateca-issuer', CHARTS.pcaIssuer, pcaIssuerValues(issuerImage) as unknown as Record<string, unknown>],
];
const upstreamValues = (pin: ChartPin) => YAML.parse(readUpstream(pin.valuesSource)!);
const LBC = { repo: 'kubernetes-sigs/aws-load-balancer-controller', ref: 'v3.5.0' };

/**
 * The conditionals (`if`, `with`, `range`, with `else` noted) that enclose the first occurrence of
 * `needle` in a Go template: enough to read which branch a line of a chart is rendered in.
 */
function enclosing(template: string, needle: string): string[] {
  const at = template.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the template`);
  const stack: string[] = [];
  for (const m of template.slice(0, at).matchAll(/\{\{-?\s*(if|with|range|define|block|else|end)\b([^}]*?)-?\}\}/g)) {
    const [, word, rest] = m;
    if (word === 'end') stack.pop();
    else if (word === 'else') stack.push(`else of ${stack.pop()}${rest.trim() ? ` / else ${rest.trim()}` : ''}`);
    else stack.push(`${word} ${rest.trim()}`);
  }
  return stack;
}

describeWithMirrors(['istio/istio', 'istio/api', 'cert-manager/cert-manager', 'cert-manager/aws-privateca-issuer', LBC.repo])('Istio control-plane values against the pinned charts', () => {
  test.each(releases)('%s: every value set is a key of the pinned chart (or inside one of its free-form keys)', (_name, pin, values) => {
    expect(valuePaths(values).filter((p) => !allowedValuePath(pin, p))).toEqual([]);
  });

  test.each(Object.entries(CHARTS).filter(([, p]) => p.valuesSource.repo !== 'aws/eks-charts'))('%s: listed and free-form keys exist in values.yaml, template-only keys are read by their template', (_name, pin: ChartPin) => {
    const keys = new Set(keyPaths(upstreamValues(pin)));
    expect([...pin.valueKeys, ...Object.keys(pin.freeFormKeys ?? {})].filter((k) => !keys.has(k))).toEqual([]);
    for (const [key, template] of Object.entries(pin.templateKeys ?? {})) {
      expect(keys.has(key)).toBe(false);
      const text = readUpstream({ repo: pin.valuesSource.repo, ref: pin.valuesSource.ref, path: template })!;
      const segments = key.split('.');
      expect(text.includes(`.Values.${key}`) || text.includes(`(dig ${segments.map((s) => `"${s}"`).join(' ')}`)).toBe(true);
    }
  });

  test("Istio's `_internal_defaults_do_not_set` nesting is stripped, and a misspelt key still fails", () => {
    const keys = new Set(keyPaths(upstreamValues(CHARTS.istiod)));
    expect(keys.has('global.proxy.excludeIPRanges')).toBe(true);
    expect(keys.has('_internal_defaults_do_not_set.global.hub')).toBe(false);
    expect(keys.has('global.proxy.excludeIpRanges')).toBe(false);
    expect(allowedValuePath(CHARTS.istiod, 'global.proxy.excludeIpRanges')).toBe(false);
    expect(allowedValuePath(CHARTS.istiod, 'meshConfig.anything.below')).toBe(true);
  });

  describe("the gateway chart's values.schema.json (Helm rejects values it refuses)", () => {
    const schema = JSON.parse(readUpstream({ repo: 'istio/istio', ref: '1.30.3', path: 'manifests/charts/gateway/values.schema.json' })!);
    delete schema.$schema;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

    test.each([['ingress', ingressGatewayValues()], ['east-west', eastWestGatewayValues(backend.callerCidrs)]])('%s gateway values are accepted', (_name, values) => {
      expect(validate(values) ? [] : validate.errors).toEqual([]);
    });

    test('the check can fail: an unknown top-level key and a port number as text are rejected', () => {
      expect(validate({ ...ingressGatewayValues(), serviceAnnotations: {} })).toBe(false);
      const values = ingressGatewayValues();
      (values.service.ports[0] as any).port = '15021';
      expect(validate(values)).toBe(false);
    });
  });

  test("cert-manager's values.schema.json accepts its values and refuses a misspelt one", () => {
    const schema = JSON.parse(readUpstream({ repo: 'cert-manager/cert-manager', ref: 'v1.21.1', path: 'deploy/charts/cert-manager/values.schema.json' })!);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(certManagerValues()) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...certManagerValues(), enableCertificateOwnerRefs: true })).toBe(false);
  });

  describe("istiod's free-form maps, against Istio's own definitions", () => {
    const istiod = istiodValues(backend);

    test('meshConfig is a valid MeshConfig (istio/api 1.30.3 mesh/v1alpha1/config.proto), with no deprecated field', () => {
      expect(meshConfigProblems(istiod.meshConfig)).toEqual([]);
    });

    test('the check can fail: a misspelt field, a wrong enum value, a wrong type', () => {
      expect(meshConfigProblems({ ...istiod.meshConfig, trustDomian: 'x' })).toEqual(['meshConfig.trustDomian: no such field in istio.mesh.v1alpha1.MeshConfig']);
      expect(meshConfigProblems({ outboundTrafficPolicy: { mode: 'DENY_ALL' } })).toEqual(['meshConfig.outboundTrafficPolicy.mode: "DENY_ALL" is not a value of istio.mesh.v1alpha1.MeshConfig.OutboundTrafficPolicy.Mode']);
      expect(meshConfigProblems({ extensionProviders: [{ name: 'otel', opentelemetry: { service: 'x', port: '4317' } }] })).toHaveLength(1);
    });

    test("istiod's env names are registered by istiod's packages; proxyMetadata names by the proxy agent's", () => {
      const istiodNames = registeredEnvNames(['pilot/pkg/', 'security/pkg/', 'pkg/']);
      const agentNames = registeredEnvNames(['pilot/cmd/pilot-agent/', 'pkg/istio-agent/', 'security/pkg/']);
      expect(Object.keys(istiod.env).filter((n) => !istiodNames.has(n))).toEqual([]);
      expect(Object.keys(istiod.meshConfig.defaultConfig.proxyMetadata).filter((n) => !agentNames.has(n))).toEqual([]);
      // The check can fail: a misspelling, and an agent-only name on istiod's side.
      expect(istiodNames.has('ISTIO_MULTI_ROOT_MESH')).toBe(false);
      expect(istiodNames.has('PROXY_CONFIG_XDS_AGENT')).toBe(false);
    });
  });

  describe('images: the values and config/versions.ts name the same pinned images', () => {
    test('istiod, the sidecars and istio-cni run the pinned Istio images', () => {
      const discovery = upstreamValues(CHARTS.istiod)._internal_defaults_do_not_set;
      const cni = upstreamValues(CHARTS.istioCni)._internal_defaults_do_not_set;
      const istiod = istiodValues(backend);
      const image = (name: string) => `${istiod.global.hub}/${name}:${istiod.global.tag}`;
      expect([image(discovery.image), image(discovery.global.proxy.image), image(cni.image)]).toEqual([ISTIO_IMAGES.pilot, ISTIO_IMAGES.proxyv2, ISTIO_IMAGES.installCni]);
      expect(istioCniValues(backend).global).toMatchObject({ hub: ISTIO_IMAGES.hub, tag: ISTIO_IMAGES.tag });
    });

    test("cert-manager's images are the chart's registry, namespace and names at its appVersion", () => {
      const v = upstreamValues(CHARTS.certManager);
      const image = (name: string) => `${v.imageRegistry}/${v.imageNamespace}/${name}:${CHARTS.certManager.appVersion}`;
      expect([image(v.image.name), image(v.webhook.image.name), image(v.cainjector.image.name), image(v.startupapicheck.image.name)]).toEqual(Object.values(CERT_MANAGER_IMAGES));
    });

    test("the issuer's image is the chart's repository at its appVersion", () => {
      const v = upstreamValues(CHARTS.pcaIssuer);
      expect(pcaIssuerValues(issuerImage).image).toEqual({ repository: v.image.repository, tag: CHARTS.pcaIssuer.appVersion });
    });

    test('every pin parses as an image reference with a real tag', () => {
      const pins = [ISTIO_IMAGES.pilot, ISTIO_IMAGES.proxyv2, ISTIO_IMAGES.installCni, ...Object.values(CERT_MANAGER_IMAGES), `${issuerImage.repository}:${issuerImage.tag}`];
      for (const pin of pins) expect(parseImage(pin)).toMatchObject({ tag: expect.not.stringMatching(/^latest$/) });
      expect(() => pcaIssuerValues({ repository: issuerImage.repository, tag: 'latest' })).toThrow(/not pinned/);
    });
  });

  test('the east-west annotations are ones the pinned load balancer controller documents', () => {
    const doc = readUpstream({ ...LBC, path: 'docs/guide/service/annotations.md' })!;
    const documented = new Set([...doc.matchAll(/`(service\.beta\.kubernetes\.io\/[a-z0-9-]+)`/g)].map((m) => m[1]));
    const annotations = Object.keys(eastWestGatewayValues(backend.callerCidrs).service.annotations!);
    expect(annotations.filter((a) => !documented.has(a))).toEqual([]);
    expect(documented.has('service.beta.kubernetes.io/aws-load-balancer-nlb-targets-type')).toBe(false);
  });

  test('the cert-manager namespace can enforce Pod Security `restricted`: cert-manager\'s defaults and the issuer\'s values meet it', () => {
    // What `restricted` adds to `baseline` for these pods: non-root, a seccomp profile, no
    // privilege escalation, all capabilities dropped (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
    const restricted = { pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
    const v = upstreamValues(CHARTS.certManager);
    for (const component of [v, v.webhook, v.cainjector, v.startupapicheck]) {
      expect(component.securityContext).toMatchObject(restricted.pod);
      expect(component.containerSecurityContext).toMatchObject(restricted.container);
    }
    const issuer = pcaIssuerValues(issuerImage);
    expect(issuer.podSecurityContext).toMatchObject({ ...restricted.pod, runAsUser: upstreamValues(CHARTS.pcaIssuer).podSecurityContext.runAsUser });
    expect(issuer.securityContext).toMatchObject(restricted.container);
    expect(() => new PodSecurityContext(issuer.podSecurityContext).validate()).not.toThrow();
    expect(() => new SecurityContext(issuer.securityContext as any).validate()).not.toThrow();
    expect(() => new SecurityContext({ capabilities: { drop: 'ALL' } } as any).validate()).toThrow(/drop must be array/);
    expect(POD_SECURITY[NAMESPACES.certManager].enforce).toBe('restricted');
  });

  test('cert-manager\'s service account, which the issuer\'s approver role names, is the release name the chart derives it from', () => {
    const helpers = readUpstream({ repo: 'cert-manager/cert-manager', ref: 'v1.21.1', path: 'deploy/charts/cert-manager/templates/_helpers.tpl' })!;
    expect(helpers).toMatch(/define "cert-manager\.serviceAccountName"[\s\S]*?default \(include "cert-manager\.fullname" \.\) \.Values\.serviceAccount\.name/);
    expect(CERT_MANAGER.serviceAccount).toBe(CERT_MANAGER.release);
    expect(pcaIssuerValues(issuerImage).approverRole).toEqual({ enabled: true, serviceAccountName: CERT_MANAGER.serviceAccount, namespace: PCA_ISSUER.namespace });
  });
});

describeWithMirrors(['istio/istio'])('Istio control plane: the security properties', () => {
  const template = (path: string) => readUpstream({ repo: 'istio/istio', ref: '1.30.3', path: `manifests/charts/${path}` })!;

  test('istio-cni is on, so injected pods get no NET_ADMIN/NET_RAW and no root init container', () => {
    expect(istiodValues(backend).cni).toEqual({ enabled: true });
    // The chart hands `cni` to the injection template as `.Values.pilot.cni`.
    expect(template('istio-control/istio-discovery/templates/istiod-injector-configmap.yaml')).toMatch(/pick \.Values "cni" "env"[\s\S]*set \$vals "pilot" \$pilotVals/);
    const injection = template('istio-control/istio-discovery/files/injection-template.yaml');
    for (const line of ['- NET_ADMIN', '- NET_RAW', 'runAsUser: 0']) expect(enclosing(injection, line).pop()).toBe('if not .Values.pilot.cni.enabled');
    expect(enclosing(injection, '- name: istio-validation').pop()).toBe('if .Values.pilot.cni.enabled');
  });

  test('no namespace the engine creates needs Pod Security `privileged`: the istio-cni DaemonSet (host network, hostPath) runs in kube-system', () => {
    const daemonSet = template('istio-cni/templates/daemonset.yaml');
    expect(daemonSet).toMatch(/hostNetwork: true/);
    expect(daemonSet).toMatch(/hostPath:/);
    expect(NAMESPACES.cni).toBe('kube-system');
    expect(Object.keys(POD_SECURITY)).not.toContain(NAMESPACES.cni);
    expect(Object.values(POD_SECURITY).map((level) => level.enforce as string)).not.toContain('privileged');
    // istiod's container drops every capability and runs non-root, as `baseline` (and more) asks.
    expect(template('istio-control/istio-discovery/templates/deployment.yaml')).toMatch(/runAsNonRoot: true\s+capabilities:\s+drop:\s+- ALL/);
    // Gateway pods set only the sysctl `baseline` allows, to bind port 80 unprivileged.
    expect(enclosing(template('gateway/templates/deployment.yaml'), 'name: net.ipv4.ip_unprivileged_port_start').pop()).toBe('else of if .Values.securityContext');
    expect(ingressGatewayValues()).not.toHaveProperty('securityContext');
  });

  test('the east-west Service is an internal NLB exposing only 15021 and 15443, to the callers\' CIDRs only', () => {
    const values = eastWestGatewayValues(['10.192.0.0/16', '10.194.0.0/16']);
    expect(values.service.ports.map((p) => p.port)).toEqual([15021, 15443]);
    expect(values.service.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' });
    expect(values.service.loadBalancerSourceRanges).toEqual(['10.192.0.0/16', '10.194.0.0/16']);
    expect(values).not.toHaveProperty('networkGateway');
    // Without networkGateway the chart renders exactly `service.ports`; with it, istiod's and the webhook's ports too.
    const service = template('gateway/templates/service.yaml');
    expect(enclosing(service, '.Values.service.ports | toYaml').pop()).toBe('else of if .Values.networkGateway');
    expect(enclosing(service, '"name" "tls-istiod"').pop()).toBe('if .Values.networkGateway');
  });

  test('the east-west gateway refuses to open to everyone', () => {
    expect(() => eastWestGatewayValues([])).toThrow(/callerCidrs: \[\] is empty: the east-west load balancer would accept any source\. Fix:/);
    expect(() => eastWestGatewayValues(['0.0.0.0/0'])).toThrow(/callerCidrs\.0: "0\.0\.0\.0\/0" opens the east-west gateway to every address/);
    expect(() => eastWestGatewayValues(['10.192.0.1/16'])).toThrow(/callerCidrs\.0: "10\.192\.0\.1\/16" is not a canonical IPv4 CIDR/);
  });

  test('the public ingress gateway has no load balancer of its own (the ALB reaches it through an Ingress)', () => {
    const values = ingressGatewayValues();
    expect(values.service.type).toBe('ClusterIP');
    expect(values.service.ports.map((p) => p.port)).toEqual([15021, 80]);
  });

  test('trust domains are per account; each cluster accepts every member\'s, and none is an alias', () => {
    const [front, back] = [istiodValues(clusterInput('frontend')), istiodValues(backend)];
    expect([front.meshConfig.trustDomain, back.meshConfig.trustDomain]).toEqual(['frontend.meshdemo.mesh', 'backend.meshdemo.mesh']);
    for (const v of [front, back]) {
      expect(v.meshConfig.caCertificates).toEqual([{ pem: ROOT_PEM, trustDomains: ['frontend.meshdemo.mesh', 'backend.meshdemo.mesh'] }]);
      expect(v.meshConfig).not.toHaveProperty('trustDomainAliases');
    }
    expect(() => istiodValues(clusterInput('backend', { trustDomains: ['frontend.meshdemo.mesh'] }))).toThrow(/trustDomain: "backend\.meshdemo\.mesh" is not among trustDomains.*Fix: add it to trustDomains/);
    expect(() => istiodValues(clusterInput('backend', { trustDomain: 'Backend.Mesh', trustDomains: ['Backend.Mesh'] }))).toThrow(/trustDomains\.0: "Backend\.Mesh" is not a SPIFFE trust domain/);
  });

  test('no CA private key in any value: only the root certificate, and a key passed by mistake is refused', () => {
    const all = releases.map(([, , values]) => YAML.stringify(values)).join('\n');
    expect(all).not.toMatch(/PRIVATE KEY/);
    expect(all).toContain('BEGIN CERTIFICATE');
    const key = `${ROOT_PEM}-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n`;
    expect(() => istiodValues(clusterInput('backend', { rootCaPem: key }))).toThrow(/rootCaPem: holds a private key\. Fix: pass only the root certificate/);
  });

  test('a root certificate that Terraform fills in later is passed through untouched', () => {
    const reference = '${data.terraform_remote_state.mesh.outputs.ca_root_pem}';
    expect(istiodValues(clusterInput('backend', { rootCaPem: reference })).meshConfig.caCertificates[0].pem).toBe(reference);
    expect(() => istiodValues(clusterInput('backend', { rootCaPem: 'not a certificate' }))).toThrow(/rootCaPem: "not a certificate" is neither a PEM certificate nor a Terraform reference/);
  });

  test('egress only to the registry; the Pod Identity agent stays reachable; no reader RBAC', () => {
    const v = istiodValues(backend);
    expect(v.meshConfig.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(v.global.proxy.excludeIPRanges).toBe(POD_IDENTITY_AGENT_CIDR);
    expect([istioBaseValues().global.enableReaderRBAC, v.global.enableReaderRBAC]).toEqual([false, false]);
    expect(v.env.ISTIO_MULTIROOT_MESH).toBe('true');
  });

  test('bad input stops the builder with every problem named', () => {
    expect(() => istiodValues(clusterInput('backend', { images: { hub: '', tag: 'latest' }, clusterName: '' }))).toThrow(
      /Invalid Istio cluster input \(3 problems\):\n {2}- clusterName: "" is empty\. Fix: set clusterName\n {2}- images\.hub: "" is empty\. Fix: pass ISTIO_IMAGES\.hub\n {2}- images\.tag: "latest" is not a pinned version/,
    );
    expect(() => istiodValues(backend, { replicas: 0 })).toThrow(/istiod replicas 0 is not a positive whole number/);
  });
});
