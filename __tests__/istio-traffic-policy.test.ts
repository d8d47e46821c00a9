import type { ServiceSpec } from '../config/catalog/schema';
import { RETRY_ON } from '../engines/istio/traffic-policy';
import { CONFIGS, expectedHost, objectsByAccount, ofKind } from './support/istio-fixtures';

// The catalog's traffic policy as the Istio objects carry it, wherever a caller of the service
// is: in the service's own account and in every account that calls it from elsewhere. Expected
// values are read from the catalog here; the durations are Istio's "<n>ms" form.

const ms = (n: number) => `${n}ms`;

describe.each(CONFIGS)('%s', (_name, config) => {
  const ns = config.mesh.namespace;
  const objects = objectsByAccount(config);
  const versionsOf = (s: ServiceSpec) => (s.versions.length ? s.versions.map((v) => ({ name: v.name, weight: v.weight })) : [{ name: 'v1', weight: 100 }]);
  /** Accounts whose sidecars call `s`: its own, and every account with a caller of it. */
  const callingAccounts = (s: ServiceSpec) => new Set([s.account, ...config.services.filter((c) => c.backends.includes(s.name)).map((c) => c.account)]);
  const find = (account: string, kind: string, s: ServiceSpec) =>
    ofKind(objects.get(account)!, kind, ns).filter((o) => (kind === 'DestinationRule' ? o.spec.host === expectedHost(config, s.name) : o.spec.hosts.includes(expectedHost(config, s.name))));

  test('a DestinationRule and a VirtualService for each service wherever it is called from, and nowhere else', () => {
    for (const s of config.services) {
      for (const account of config.accounts) {
        const count = callingAccounts(s).has(account.name) ? 1 : 0;
        expect([find(account.name, 'DestinationRule', s).length, find(account.name, 'VirtualService', s).length]).toEqual([count, count]);
      }
    }
  });

  test('DestinationRules: mutual TLS, the catalog outlier detection and connection pool of that backend, a subset per version', () => {
    for (const s of config.services) {
      const { outlierDetection: od, connectionPool: pool } = s.traffic;
      for (const account of callingAccounts(s)) {
        const [rule] = find(account, 'DestinationRule', s);
        expect(rule.spec.trafficPolicy.tls).toEqual({ mode: 'ISTIO_MUTUAL' });
        expect(rule.spec.trafficPolicy.outlierDetection).toEqual(
          od ? { consecutive5xxErrors: od.maxServerErrors, interval: ms(od.intervalMs), baseEjectionTime: ms(od.baseEjectionMs), maxEjectionPercent: od.maxEjectionPercent } : undefined,
        );
        // toEqual treats an undefined property as absent, so an unset catalog limit must be absent.
        const http = pool && (pool.maxPendingRequests || pool.maxRequests) ? { http: { http1MaxPendingRequests: pool.maxPendingRequests, http2MaxRequests: pool.maxRequests } } : {};
        expect(rule.spec.trafficPolicy.connectionPool).toEqual(pool ? { tcp: { maxConnections: pool.maxConnections }, ...http } : undefined);
        expect(rule.spec.subsets).toEqual(versionsOf(s).map((v) => ({ name: v.name, labels: { version: v.name } })));
      }
    }
  });

  test('VirtualServices: the timeout (15 s when unset), retries with per-try timeout, and the canary weights per version', () => {
    for (const s of config.services) {
      for (const account of callingAccounts(s)) {
        const [vs] = find(account, 'VirtualService', s);
        const route = versionsOf(s).map((v) => ({ destination: { host: expectedHost(config, s.name), subset: v.name, port: { number: s.port } }, weight: v.weight }));
        if (s.protocol === 'tcp') {
          expect(vs.spec).toMatchObject({ tcp: [{ route }] });
          expect(vs.spec.http).toBeUndefined();
          continue;
        }
        const r = s.traffic.retries;
        const retries = r ? { attempts: r.attempts, perTryTimeout: ms(r.perTryTimeoutMs), retryOn: expect.any(String) } : { attempts: 0 };
        expect(vs.spec.http).toEqual([{ timeout: ms(s.traffic.timeoutMs ?? 15000), retries, route }]);
        if (r) expect(new Set(vs.spec.http[0].retries.retryOn.split(','))).toEqual(new Set([...r.httpEvents, ...r.tcpEvents].map((e) => RETRY_ON[e])));
      }
    }
  });
});

describe('retry events', () => {
  // What App Mesh retried on for each event (App Mesh API reference, HttpRetryPolicy and
  // TcpRetryPolicy) and the Envoy condition with the same meaning (Envoy router filter docs,
  // x-envoy-retry-on; for gateway-error on resets: source/common/router/retry_state_impl.cc).
  test.each<[keyof typeof RETRY_ON, string, string]>([
    ['server-error', '5xx', 'any 5xx, or no response at all'],
    ['gateway-error', 'gateway-error', '502, 503, 504 (and upstream resets)'],
    ['client-error', 'retriable-4xx', '409 only'],
    ['stream-error', 'refused-stream', 'a stream reset with REFUSED_STREAM'],
    ['connection-error', 'connect-failure', 'a failed connection to the upstream'],
  ])('%s → %s (%s)', (event, envoy) => {
    expect(RETRY_ON[event]).toBe(envoy);
  });

  test('a caller with several backends applies each backend its own policy', () => {
    const [, config] = CONFIGS.find(([name]) => name === 'several backends per caller')!;
    const web = objectsByAccount(config).get('web')!;
    const rule = (name: string) => ofKind(web, 'DestinationRule').find((r) => r.metadata.name === name)!.spec.trafficPolicy;
    const route = (name: string) => ofKind(web, 'VirtualService').find((v) => v.metadata.name === name)!.spec;
    expect([rule('orders').outlierDetection.consecutive5xxErrors, rule('payments').outlierDetection.consecutive5xxErrors, rule('ledger').outlierDetection.consecutive5xxErrors]).toEqual([5, 2, 3]);
    expect([rule('orders').connectionPool.tcp.maxConnections, rule('payments').connectionPool.tcp.maxConnections, rule('ledger').connectionPool.tcp.maxConnections]).toEqual([100, 10, 7]);
    expect(route('orders').http[0]).toMatchObject({ timeout: '3000ms', retries: { attempts: 2, retryOn: 'gateway-error' } });
    expect(route('payments').http[0]).toMatchObject({ timeout: '1200ms', retries: { attempts: 4, perTryTimeout: '300ms', retryOn: '5xx,retriable-4xx,refused-stream,connect-failure' } });
    expect(route('ledger').tcp[0].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['blue', 70], ['green', 30]]);
  });
});
