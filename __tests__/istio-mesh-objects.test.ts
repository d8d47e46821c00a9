import * as YAML from 'yaml';
import { ISTIO_CRDS } from '../engines/istio/api';
import { istiodValues } from '../engines/istio/control-plane-values';
import { eastWestGateway, exportedHost, meshTracing, publicIngressGateway, strictMtls } from '../engines/istio/mesh-wide-objects';
import { GATEWAYS, NAMESPACES } from '../engines/istio/names';
import { crdValidator, describeWithMirrors, readUpstream } from './support/upstream';
import { clusterInput } from './support/istio-fixture';

// The mesh-wide Istio objects of every cluster, against Istio's CRDs at 1.30.3 and for what they
// must guarantee.

const exported = [{ name: 'yelb-appserver', namespace: 'yelb' }];
const objects = [strictMtls(), meshTracing(), eastWestGateway(exported), publicIngressGateway(['yelb'])];
const istioSource = (path: string) => readUpstream({ repo: 'istio/istio', ref: '1.30.3', path })!;

/** The CEL rules (x-kubernetes-validations) of a schema that sit at a path the object has. */
function celRulesReached(schema: any, value: unknown, at = ''): string[] {
  if (!schema || value === undefined) return [];
  const here = (schema['x-kubernetes-validations'] ?? []).map((r: any) => `${at || '.'}: ${r.rule}`);
  if (Array.isArray(value)) return [...here, ...value.flatMap((v) => celRulesReached(schema.items, v, `${at}[]`))];
  if (value && typeof value === 'object') {
    return [
      ...here,
      ...Object.entries(value).flatMap(([k, v]) => celRulesReached(schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined), v, `${at}.${k}`)),
    ];
  }
  return here;
}

describeWithMirrors([ISTIO_CRDS.repo])("mesh-wide objects against Istio's CRDs at 1.30.3", () => {
  const crds = readUpstream(ISTIO_CRDS)!;
  const validators = new Map<string, ReturnType<typeof crdValidator>>();
  const validatorFor = (o: { apiVersion: string; kind: string }) => {
    if (!validators.has(o.kind)) validators.set(o.kind, crdValidator(crds, o.kind, o.apiVersion.split('/')[1]));
    return validators.get(o.kind)!;
  };
  const parsed = YAML.parseAllDocuments(crds).map((d) => d.toJS());
  const schemaOf = (kind: string) => parsed.find((d) => d?.spec?.names?.kind === kind).spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema;

  test.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s is valid', (_name, object) => {
    const validate = validatorFor(object);
    expect(validate(object) ? [] : validate.errors).toEqual([]);
  });

  test('the check can fail: a sampling rate over 100 %, an unknown TLS mode, an unknown mTLS mode', () => {
    const telemetry = meshTracing() as any;
    telemetry.spec.tracing[0].randomSamplingPercentage = 150;
    const gateway = eastWestGateway(exported) as any;
    gateway.spec.servers[0].tls.mode = 'AUTO_PASS';
    const peer = strictMtls() as any;
    peer.spec.mtls.mode = 'STRICTER';
    for (const o of [telemetry, gateway, peer]) expect(validatorFor(o)(o)).toBe(false);
  });

  test('the CEL rules ajv cannot run, on the paths these objects reach, hold by inspection', () => {
    const reached = objects.flatMap((o) => celRulesReached(schemaOf(o.kind), o).map((r) => `${o.kind} ${r}`));
    // Each holds for these objects: PeerAuthentication has no portLevelMtls; Telemetry has no
    // selector and no targetRef(s); no Gateway server sets credentialName(s) or tlsCertificates.
    // A new field under a rule changes this list, and the rule must be checked again.
    expect(reached).toEqual([
      'PeerAuthentication .spec: has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? self.selector.matchLabels : {}).size() > 0) : true',
      'Telemetry .spec: (has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1',
      'Gateway .spec.servers[].tls: (has(self.tlsCertificates) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1',
      'Gateway .spec.servers[].tls: (has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1',
      'Gateway .spec.servers[].tls: (has(self.credentialNames) ? 1 : 0) + (has(self.tlsCertificates) ? 1 : 0) <= 1',
    ]);
    for (const o of objects) expect(YAML.stringify(o)).not.toMatch(/portLevelMtls|targetRef|credentialName|tlsCertificates/);
  });
});

describe('what the mesh-wide objects guarantee', () => {
  test('mutual TLS is STRICT for the whole mesh: in the root namespace, with no selector and no port exception', () => {
    expect(strictMtls()).toEqual({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: NAMESPACES.istio }, spec: { mtls: { mode: 'STRICT' } } });
  });

  test('traces go to the provider istiod defines, at 100 % by default and less when asked', () => {
    const providers = istiodValues(clusterInput('backend')).meshConfig.extensionProviders.map((p) => p.name);
    const tracing = meshTracing().spec.tracing[0];
    expect(providers).toContain(tracing.providers[0].name);
    expect(tracing.randomSamplingPercentage).toBe(100);
    expect(meshTracing({ samplingPercentage: 1 }).spec.tracing[0].randomSamplingPercentage).toBe(1);
    expect(() => meshTracing({ samplingPercentage: 101 })).toThrow(/tracing samplingPercentage 101 is not between 0 and 100\. Fix:/);
  });

  test('the east-west Gateway passes through mTLS on 15443 for exactly the exported services, to the east-west pods', () => {
    const gw = eastWestGateway([...exported, { name: 'yelb-appserver', namespace: 'yelb' }, { name: 'api', namespace: 'shop' }]);
    expect(gw.spec.selector).toEqual(GATEWAYS.eastWest.selector);
    expect(gw.spec.servers).toEqual([
      { port: { number: 15443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts: ['shop/api.shop.svc.cluster.local', 'yelb/yelb-appserver.yelb.svc.cluster.local'] },
    ]);
    expect(gw.spec.servers[0].hosts.some((h) => h.includes('*'))).toBe(false);
  });

  test('the public Gateway serves HTTP on 80 to the ingress pods, for routes of the named namespaces only', () => {
    const gw = publicIngressGateway(['yelb']);
    expect(gw.spec).toEqual({ selector: GATEWAYS.ingress.selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['yelb/*'] }] });
  });

  test.each([
    [() => eastWestGateway([]), /exported: \[\] is empty.*Fix: deploy no east-west gateway in a cluster that no other account calls/],
    [() => eastWestGateway([{ name: 'Yelb_App', namespace: 'yelb' }]), /exported\.0\.name: "Yelb_App" is not a Kubernetes name/],
    [() => publicIngressGateway([]), /routeNamespaces: \[\] is empty/],
    [() => publicIngressGateway(['*']), /routeNamespaces\.0: "\*" is not a namespace name/],
  ])('bad input is refused with the field and the fix (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

describeWithMirrors(['istio/istio'])('upstream behaviour the east-west Gateway relies on (istio/istio 1.30.3)', () => {
  test('AUTO_PASSTHROUGH builds one SNI filter chain per service whose hostname a server host covers, and drops the `<namespace>/` part to match', () => {
    const gateway = istioSource('pilot/pkg/networking/core/gateway.go');
    expect(gateway).toMatch(/func builtAutoPassthroughFilterChains[\s\S]*?for _, service := range proxy\.SidecarScope\.Services\(\)[\s\S]*?if service\.Hostname\.SubsetOf\(host\.Name\(h\)\)[\s\S]*?if !matchFound \{\s*continue/);
    const model = istioSource('pilot/pkg/model/gateway.go');
    expect(model).toMatch(/func GetSNIHostsForServer[\s\S]*?if strings\.Contains\(h, "\/"\) \{\s*parts := strings\.Split\(h, "\/"\)\s*h = parts\[1\]/);
    expect(exportedHost(exported[0]).split('/')[1]).toBe('yelb-appserver.yelb.svc.cluster.local');
  });

  test("the gateway pods carry the selector's label: `istio: <name without istio->`", () => {
    expect(istioSource('manifests/charts/gateway/templates/_helpers.tpl')).toContain('istio: {{ (.Values.labels.istio | quote) | default (include "gateway.name" . | trimPrefix "istio-") }}');
    for (const g of Object.values(GATEWAYS)) expect(g.selector.istio).toBe(g.name.replace(/^istio-/, ''));
  });
});
