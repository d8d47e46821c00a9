import * as YAML from 'yaml';
import Ajv from 'ajv';
import { describeWithMirrors, readUpstream } from './support/upstream';
import { celViolations, crdSchema, withUnknownFieldsRejected } from './support/api-server-checks';
import { modelFor } from './support/kube';
import { CONFIGS, objectsByAccount } from './support/istio-fixtures';
import { INGRESS_GATEWAY } from '../engines/istio/mesh-names';
import type { KubeObject } from '../modules/workloads/kube-objects';

// The Istio engine's workload objects against what the pinned upstreams accept, read from the
// local mirrors at the pinned tags (support/upstream.ts; nothing is copied here): Istio 1.30.3's
// CRD schemas and their CEL rules, Istio's own list of retry conditions, the gateway chart the
// ingress constants describe, and the AWS Load Balancer Controller's annotations.

const ISTIO = { repo: 'istio/istio', ref: '1.30.3' };
const LBC = { repo: 'kubernetes-sigs/aws-load-balancer-controller', ref: 'v3.5.0' };
const istioFile = (path: string) => readUpstream({ ...ISTIO, path })!;

const everyObject: Array<[string, KubeObject]> = CONFIGS.flatMap(([name, config]) =>
  [...objectsByAccount(config)].flatMap(([account, list]) => list.map((o): [string, KubeObject] => [`${name}/${account}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, o])),
);
const istioObjects = everyObject.filter(([, o]) => o.apiVersion.includes('istio.io/'));

describeWithMirrors([ISTIO.repo, LBC.repo])('Istio workload objects against Istio 1.30.3 and the pinned controllers', () => {
  const crds = istioFile('manifests/charts/base/files/crd-all.gen.yaml');
  const schemas = new Map<string, Record<string, any>>();
  const schemaOf = (o: KubeObject) => {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!schemas.has(key)) schemas.set(key, crdSchema(crds, o.kind, o.apiVersion.split('/')[1]));
    return schemas.get(key)!;
  };
  // The served version's schema (what support/upstream.ts crdValidator checks), with unknown
  // fields reported rather than pruned.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validators = new Map<string, ReturnType<Ajv['compile']>>();
  const validate = (o: KubeObject) => {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!validators.has(key)) validators.set(key, ajv.compile(withUnknownFieldsRejected(schemaOf(o))));
    const v = validators.get(key)!;
    return v(o) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
  const cel = (o: KubeObject) => celViolations(schemaOf(o), o).map((v) => `${v.path}: ${v.message}`);

  test('every kind emitted is served as v1 by the pinned CRDs', () => {
    expect(new Set(istioObjects.map(([, o]) => `${o.apiVersion} ${o.kind}`))).toEqual(
      new Set(['networking.istio.io/v1 DestinationRule', 'networking.istio.io/v1 VirtualService', 'networking.istio.io/v1 ServiceEntry', 'networking.istio.io/v1 Sidecar', 'security.istio.io/v1 AuthorizationPolicy']),
    );
  });

  test('every Istio object is valid against its CRD schema, with no field the schema does not know', () => {
    const failures = istioObjects.flatMap(([id, o]) => validate(o).map((e) => `${id}: ${e}`));
    expect(failures).toEqual([]);
  });

  test("every Istio object passes its CRD's CEL rules, as the API server would run them", () => {
    const failures = istioObjects.flatMap(([id, o]) => cel(o).map((e) => `${id}: ${e}`));
    expect(failures).toEqual([]);
  });

  test('the checks can fail: a bad field, a misspelt field, a zero timeout and a repeated ServiceEntry port are rejected', () => {
    const of = (kind: string) => structuredClone(istioObjects.find(([, o]) => o.kind === kind && (kind !== 'VirtualService' || o.spec.http))![1]);
    const rule = of('DestinationRule');
    rule.spec.trafficPolicy.outlierDetection = { consecutive5xxErrors: 'five' };
    expect(validate(rule).join()).toContain('/spec/trafficPolicy/outlierDetection/consecutive5xxErrors');
    const sidecar = of('Sidecar');
    sidecar.spec.outboundTrafficpolicy = sidecar.spec.outboundTrafficPolicy;
    expect(validate(sidecar)).toEqual([expect.stringContaining('"additionalProperty":"outboundTrafficpolicy"')]);
    const vs = of('VirtualService');
    vs.spec.http[0].timeout = '0ms';
    expect(cel(vs)).toEqual(['.spec.http[0].timeout: must be a valid duration greater than 1ms']);
    const entry = of('ServiceEntry');
    entry.spec.ports.push({ ...entry.spec.ports[0], name: 'again' });
    expect(cel(entry)).toEqual(['.spec.ports: port number cannot be duplicated']);
  });

  test("every retryOn condition is one Istio's validation accepts", () => {
    // The set Istio's admission webhook checks against (pkg/config/validation/validation.go,
    // supportedRetryOnPolicies), read from the source rather than copied.
    const source = istioFile('pkg/config/validation/validation.go');
    const block = /supportedRetryOnPolicies = sets\.New\(([\s\S]*?)\n\t\)/.exec(source)![1];
    const supported = new Set([...block.matchAll(/"([a-z0-9-]+)"/g)].map((m) => m[1]));
    expect(supported).toContain('gateway-error');
    const used = istioObjects.flatMap(([, o]) => (o.kind === 'VirtualService' ? (o.spec.http ?? []).flatMap((h: any) => (h.retries.retryOn ?? '').split(',').filter(Boolean)) : []));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((c: string) => !supported.has(c))).toEqual([]);
    // validateHTTPRetry: no per-try timeout or retryOn next to attempts 0.
    const disabled = istioObjects.flatMap(([, o]) => (o.kind === 'VirtualService' ? (o.spec.http ?? []).map((h: any) => h.retries).filter((r: any) => r.attempts === 0) : []));
    expect(disabled.length).toBeGreaterThan(0);
    for (const r of disabled) expect(r).toEqual({ attempts: 0 });
  });

  test('every Ingress is valid Kubernetes, and every annotation on it is one the pinned controller documents', () => {
    const docs = readUpstream({ ...LBC, path: 'docs/guide/ingress/annotations.md' })!;
    const ingresses = everyObject.filter(([, o]) => o.kind === 'Ingress');
    expect(ingresses.length).toBeGreaterThan(0);
    for (const [, o] of ingresses) {
      const Model = modelFor(o.apiVersion, o.kind)!;
      expect(() => new Model(o).validate()).not.toThrow();
      for (const key of Object.keys(o.metadata.annotations ?? {})) expect(docs).toContain(`[${key}](#`);
    }
  });

  test('the ingress gateway constants are what the pinned gateway chart and injection template produce', () => {
    const values = YAML.parse(istioFile('manifests/charts/gateway/values.yaml'))._internal_defaults_do_not_set;
    expect(values.service.ports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'status-port', port: INGRESS_GATEWAY.statusPort, targetPort: INGRESS_GATEWAY.statusPort }),
        expect.objectContaining({ port: INGRESS_GATEWAY.httpPort }),
      ]),
    );
    // A Go template, not YAML: the probe is read as text.
    const template = istioFile('manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml');
    const probe = /readinessProbe:\s*\n\s*httpGet:\s*\n\s*path: (\S+)\s*\n\s*port: (\d+)/.exec(template);
    expect(probe && [probe[1], Number(probe[2])]).toEqual([INGRESS_GATEWAY.readinessPath, INGRESS_GATEWAY.statusPort]);
    // Service and ServiceAccount take the chart's `name`; the selector label drops "istio-".
    const helpers = istioFile('manifests/charts/gateway/templates/_helpers.tpl');
    expect(helpers).toContain('istio: {{ (.Values.labels.istio | quote) | default (include "gateway.name" . | trimPrefix "istio-") }}');
    expect(helpers).toContain('{{- .Values.serviceAccount.name | default (include "gateway.name" .)    }}');
    expect(INGRESS_GATEWAY.selector.istio).toBe(INGRESS_GATEWAY.name.replace(/^istio-/, ''));
  });
});
