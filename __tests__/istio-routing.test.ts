import type { ServiceSpec } from '../config/catalog/schema';
import { eastWestGatewayHosts } from '../engines/istio/federation';
import { CONFIGS, expectedHost, expectedPrincipal, objectsByAccount, ofKind } from './support/istio-fixtures';
import { allows } from './support/istio-authz';

// The Istio engine's workload objects against the catalog they come from: who may call whom
// (exact principals, deny by default, evaluated), how a call crosses accounts (one ServiceEntry
// per remote backend, aimed at the callee's east-west gateway), and where each workload may send
// traffic. Expected values are derived here from the catalog, not from the builders.

const COLLECTOR = 'amazon-cloudwatch/cloudwatch-agent.amazon-cloudwatch.svc.cluster.local';

describe.each(CONFIGS)('%s', (_name, config) => {
  const ns = config.mesh.namespace;
  const objects = objectsByAccount(config);
  const all = [...objects.values()].flat();
  const byName = new Map(config.services.map((s) => [s.name, s]));
  const callersOf = (s: ServiceSpec) => config.services.filter((c) => c.backends.includes(s.name));
  const ingressOf = (account: string) => `${account}.${config.project}.mesh/ns/istio-ingress/sa/istio-ingressgateway`;
  /** The principals the catalog declares for `s`: its callers, and its account's ingress gateway when public. */
  const declared = (s: ServiceSpec) =>
    new Set([...callersOf(s).map((c) => expectedPrincipal(config, c.account, ns, c.name)), ...(s.exposure === 'public' ? [ingressOf(s.account)] : [])]);
  const policiesSelecting = (s: ServiceSpec) => ofKind(objects.get(s.account)!, 'AuthorizationPolicy', ns).filter((p) => p.spec.selector?.matchLabels?.app === s.name);

  describe('authorization', () => {
    test('every service has one ALLOW policy naming exactly its declared callers, on its own port', () => {
      for (const s of config.services) {
        const policies = policiesSelecting(s);
        expect(policies).toHaveLength(1);
        const [policy] = policies;
        expect(policy.spec.action).toBe('ALLOW');
        const principals = (policy.spec.rules ?? []).flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals));
        expect(new Set(principals)).toEqual(declared(s));
        for (const rule of policy.spec.rules ?? []) expect(rule.to).toEqual([{ operation: { ports: [String(s.port)] } }]);
      }
    });

    test('no principal anywhere is a wildcard, a prefix or a suffix', () => {
      const principals = ofKind(all, 'AuthorizationPolicy').flatMap((p) => (p.spec.rules ?? []).flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source?.principals ?? [])));
      expect(principals.length).toBeGreaterThan(0);
      expect(principals.filter((p: string) => p.includes('*'))).toEqual([]);
    });

    test('each account denies by default: one namespace-wide policy that matches nothing', () => {
      for (const account of config.accounts) {
        const wide = ofKind(objects.get(account.name)!, 'AuthorizationPolicy', ns).filter((p) => !p.spec.selector);
        expect(wide).toEqual([{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: ns }, spec: {} }]);
      }
    });

    test('evaluated: a request is admitted exactly when the catalog declares the call', () => {
      // Every workload identity of the mesh, each account's ingress gateway, and impostors: each
      // service account name under every other account's trust domain.
      const identities = new Set([
        ...config.accounts.flatMap((a) => config.services.map((s) => expectedPrincipal(config, a.name, ns, s.name))),
        ...config.accounts.map((a) => ingressOf(a.name)),
        `${config.accounts[0].name}.${config.project}.mesh/ns/other/sa/${config.services[0].name}`,
      ]);
      for (const s of config.services) {
        const policies = objects.get(s.account)!;
        for (const version of s.versions.length ? s.versions.map((v) => v.name) : ['v1']) {
          const labels = { app: s.name, version };
          const admitted = [...identities].filter((principal) => allows(policies, { namespace: ns, labels, principal, port: s.port }));
          expect(new Set(admitted)).toEqual(declared(s));
          // A declared caller on another port of the pod is refused.
          for (const principal of declared(s)) expect(allows(policies, { namespace: ns, labels, principal, port: s.port + 1 })).toBe(false);
        }
      }
    });

    test('the evaluation can fail: a policy widened to every principal admits an undeclared caller', () => {
      const s = config.services.find((x) => policiesSelecting(x)[0].spec.rules)!;
      const widened = structuredClone(objects.get(s.account)!);
      const policy = widened.find((o) => o.kind === 'AuthorizationPolicy' && o.spec.selector?.matchLabels?.app === s.name)!;
      policy.spec.rules[0].from[0].source.principals = ['*'];
      const stranger = expectedPrincipal(config, s.account, 'elsewhere', 'intruder');
      expect(allows(objects.get(s.account)!, { namespace: ns, labels: { app: s.name }, principal: stranger, port: s.port })).toBe(false);
      expect(allows(widened, { namespace: ns, labels: { app: s.name }, principal: stranger, port: s.port })).toBe(true);
    });
  });

  describe('federation', () => {
    const crossAccount = config.services.flatMap((c) => c.backends.map((b) => ({ caller: c, backend: byName.get(b)! }))).filter(({ caller, backend }) => caller.account !== backend.account);

    test('each backend called from another account has one ServiceEntry there, aimed at its gateway with its SPIFFE id', () => {
      for (const { caller, backend } of crossAccount) {
        const entries = ofKind(objects.get(caller.account)!, 'ServiceEntry').filter((e) => e.spec.hosts.includes(expectedHost(config, backend.name)));
        expect(entries).toHaveLength(1);
        const { spec, metadata } = entries[0];
        expect(metadata.namespace).toBe(ns);
        expect(spec).toMatchObject({ hosts: [expectedHost(config, backend.name)], location: 'MESH_INTERNAL', resolution: 'DNS', exportTo: ['.'] });
        expect(spec.subjectAltNames).toEqual([`spiffe://${backend.account}.${config.project}.mesh/ns/${ns}/sa/${backend.name}`]);
        expect(spec.ports).toEqual([expect.objectContaining({ number: backend.port })]);
        const versions = backend.versions.length ? backend.versions.map((v) => v.name) : ['v1'];
        expect(spec.endpoints.map((e: any) => e.labels.version)).toEqual(versions);
        for (const endpoint of spec.endpoints) {
          expect(endpoint.address).toBe(`eastwest.${backend.account}.${config.project}.istio.internal`);
          expect(Object.values(endpoint.ports)).toEqual([15443]);
          expect(endpoint.labels['security.istio.io/tlsMode']).toBe('istio');
        }
      }
    });

    test('a call within one account gets no ServiceEntry, and no account gets one it does not call', () => {
      for (const account of config.accounts) {
        const expected = new Set(crossAccount.filter(({ caller }) => caller.account === account.name).map(({ backend }) => expectedHost(config, backend.name)));
        const hosts = ofKind(objects.get(account.name)!, 'ServiceEntry').flatMap((e) => e.spec.hosts);
        expect(hosts.length).toBe(new Set(hosts).size);
        expect(new Set(hosts)).toEqual(expected);
      }
    });

    test('the hosts an account serves to other accounts are exactly the ones called from elsewhere', () => {
      for (const account of config.accounts) {
        const expected = crossAccount.filter(({ backend }) => backend.account === account.name).map(({ backend }) => `${ns}/${expectedHost(config, backend.name)}`);
        expect(new Set(eastWestGatewayHosts(config.services, account.name, ns))).toEqual(new Set(expected));
        expect(eastWestGatewayHosts(config.services, account.name, ns)).toHaveLength(new Set(expected).size);
      }
    });

    test('the east-west gateway has subsets and outlier detection for exactly the services other accounts call, and no connection pool', () => {
      for (const account of config.accounts) {
        const rules = ofKind(objects.get(account.name)!, 'DestinationRule', 'istio-eastwest');
        const served = config.services.filter((s) => s.account === account.name && callersOf(s).some((c) => c.account !== account.name));
        expect(new Set(rules.map((r) => r.spec.host))).toEqual(new Set(served.map((s) => expectedHost(config, s.name))));
        expect(rules).toHaveLength(served.length);
        for (const s of served) {
          const { spec } = rules.find((r) => r.spec.host === expectedHost(config, s.name))!;
          expect(spec.subsets.map((x: any) => x.labels.version)).toEqual(s.versions.length ? s.versions.map((v) => v.name) : ['v1']);
          expect(spec.trafficPolicy?.outlierDetection?.consecutive5xxErrors).toBe(s.traffic.outlierDetection?.maxServerErrors);
          expect(spec.trafficPolicy?.connectionPool).toBeUndefined();
          expect(spec.exportTo).toEqual(['.']);
        }
      }
    });

    test("a service's own DestinationRule stays in its namespace, shown only to the ingress gateway when public", () => {
      for (const s of config.services) {
        const rule = ofKind(objects.get(s.account)!, 'DestinationRule', ns).find((r) => r.spec.host === expectedHost(config, s.name))!;
        expect(rule.spec.exportTo).toEqual(s.exposure === 'public' ? ['.', 'istio-ingress'] : ['.']);
      }
    });
  });

  test('each workload may reach only its backends and the OpenTelemetry collector', () => {
    for (const s of config.services) {
      const sidecars = ofKind(objects.get(s.account)!, 'Sidecar', ns).filter((x) => x.spec.workloadSelector.labels.app === s.name);
      expect(sidecars).toHaveLength(1);
      const { spec } = sidecars[0];
      expect(spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
      expect(spec.egress).toHaveLength(1);
      expect(new Set(spec.egress[0].hosts)).toEqual(new Set([...s.backends.map((b) => `${ns}/${expectedHost(config, b)}`), COLLECTOR]));
    }
  });
});
