import { PolicyInput, type SynthesizedStack } from '../app/policy/model';
import { noPublicIngress } from '../app/policy/controls/network';
import { modelFor } from './support/kube';
import { CONFIGS, expectedHost, objectsByAccount, ofKind } from './support/istio-fixtures';
import type { KubeObject } from '../modules/workloads/kube-objects';

// A public service is reached through the internet-facing ALB, which targets the Istio ingress
// gateway's pods, which call the service with mutual TLS through a VirtualService on the
// `public` Gateway. Checked against the catalog, the project's own no-public-ingress control
// and the Ingress schema.

/** The objects as one stack's Terraform JSON, so the project's controls can read them. */
const asStack = (name: string, objects: KubeObject[]): SynthesizedStack => ({
  name,
  json: { resource: { kubernetes_manifest: Object.fromEntries(objects.map((o, i) => [`o${i}`, { manifest: o }])) } },
});

describe.each(CONFIGS)('%s', (_name, config) => {
  const ns = config.mesh.namespace;
  const objects = objectsByAccount(config);
  const publicServices = config.services.filter((s) => s.exposure === 'public');

  test('each public service: an ALB on port 80 to the ingress gateway pods, health-checked on the gateway status port', () => {
    expect(publicServices.length).toBeGreaterThan(0);
    for (const s of publicServices) {
      const ingresses = ofKind(objects.get(s.account)!, 'Ingress');
      expect(ingresses).toHaveLength(1);
      const [ingress] = ingresses;
      expect(ingress.metadata.namespace).toBe('istio-ingress');
      expect(ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
        'alb.ingress.kubernetes.io/healthcheck-port': '15021',
        'alb.ingress.kubernetes.io/healthcheck-path': '/healthz/ready',
      });
      expect(ingress.spec.ingressClassName).toBe('alb');
      expect(ingress.spec.rules[0].http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'istio-ingressgateway', port: { number: 80 } } } }]);
      const Model = modelFor(ingress.apiVersion, ingress.kind)!;
      expect(() => new Model(ingress).validate()).not.toThrow();
    }
  });

  test('no Ingress in an account without a public service', () => {
    for (const account of config.accounts) {
      if (!publicServices.some((s) => s.account === account.name)) expect(ofKind(objects.get(account.name)!, 'Ingress')).toEqual([]);
    }
  });

  test("the gateway's VirtualService binds the public Gateway, routes to the service and is seen by the gateway", () => {
    for (const s of publicServices) {
      const bound = ofKind(objects.get(s.account)!, 'VirtualService').filter((v) => v.spec.gateways);
      expect(bound).toHaveLength(1);
      const [vs] = bound;
      expect(vs.metadata.namespace).toBe('istio-ingress');
      expect(vs.spec).toMatchObject({ hosts: ['*'], gateways: ['istio-ingress/public'], exportTo: ['.'] });
      const destinations = vs.spec.http[0].route.map((r: any) => r.destination);
      expect(new Set(destinations.map((d: any) => d.host))).toEqual(new Set([expectedHost(config, s.name)]));
      expect(new Set(destinations.map((d: any) => d.port.number))).toEqual(new Set([s.port]));
      // The subsets it routes to come from the service's DestinationRule, so the gateway must see it.
      const rule = ofKind(objects.get(s.account)!, 'DestinationRule', ns).find((r) => r.spec.host === expectedHost(config, s.name))!;
      expect(rule.spec.exportTo).toContain('istio-ingress');
    }
  });

  test("an internal service's DestinationRule is not shown to the ingress gateway", () => {
    for (const s of config.services.filter((x) => x.exposure !== 'public')) {
      const rule = ofKind(objects.get(s.account)!, 'DestinationRule', ns).find((r) => r.spec.host === expectedHost(config, s.name))!;
      expect(rule.spec.exportTo).not.toContain('istio-ingress');
    }
  });

  test("the project's no-public-ingress control passes every account's objects", () => {
    const stacks = [...objects].map(([account, list]) => asStack(`workloads-${account}`, list));
    expect(noPublicIngress.check(new PolicyInput(stacks))).toEqual([]);
  });

  test('the control can fail: the same Ingress listening on 8080 is reported', () => {
    const s = publicServices[0];
    const list = structuredClone(objects.get(s.account)!);
    ofKind(list, 'Ingress')[0].metadata.annotations!['alb.ingress.kubernetes.io/listen-ports'] = '[{"HTTP":80},{"HTTP":8080}]';
    const findings = noPublicIngress.check(new PolicyInput([asStack('workloads-x', list)]));
    expect(findings).toEqual([expect.objectContaining({ problem: expect.stringContaining('8080') })]);
  });
});
