import { synthConfig, demoWith } from './support/synth';
import { signerPods, hcmOf, signingOf, type SignerPod } from './support/signer';
import { OTLP_GRPC } from '../config/telemetry';
import { SIGNER_CONTAINER, SIGNER_METRICS_PATH, SIGNER_METRICS_PORT } from '../engines/lattice/signing-proxy';

// What the Lattice signing proxy is configured to do, read back from the synthesized output.

const yelb = synthConfig(demoWith());
const chain = synthConfig(demoWith((c) => (c.catalog = 'chain')));
const pods = [...signerPods(yelb), ...signerPods(chain)];
const pod = (name: string) => pods.find((p) => p.deployment === name)!;
const backendListeners = (p: SignerPod) => p.envoy.static_resources.listeners.filter((l: any) => signingOf(l));
const clusterOf = (p: SignerPod, name: string) => p.envoy.static_resources.clusters.find((c: any) => c.name === name);

describe('the signature covers what is sent', () => {
  // Envoy API, extensions/filters/http/aws_request_signing/v3/aws_request_signing.proto: host_rewrite
  // (field 3) replaces the Host before signing and is what gets forwarded; combining it with the
  // route's host_rewrite_literal would sign one Host and send another. use_unsigned_payload (4)
  // sends x-amz-content-sha256: UNSIGNED-PAYLOAD, which VPC Lattice requires; match_excluded_headers
  // (5) keeps headers that change after signing out of the signature.
  test("yelb-ui's signer signs for vpc-lattice-svcs in the region, with the backend's Lattice domain as Host", () => {
    const [listener] = backendListeners(pod('yelb-ui'));
    expect(hcmOf(listener).http_filters.map((f: any) => f.name)).toEqual(['envoy.filters.http.aws_request_signing', 'envoy.filters.http.router']);
    expect(signingOf(listener)).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigning',
      service_name: 'vpc-lattice-svcs',
      region: 'us-west-2',
      host_rewrite: 'yelb-appserver.backend.meshdemo.lattice.internal',
      use_unsigned_payload: true,
      match_excluded_headers: [{ prefix: 'x-envoy-' }, { prefix: 'x-forwarded-' }, { exact: 'x-request-id' }, { exact: 'traceparent' }, { exact: 'tracestate' }, { exact: 'x-amzn-trace-id' }],
    });
  });

  test('in every signer of both catalogs, each listener signs for the domain its own cluster dials, and no route rewrites the Host', () => {
    for (const p of pods) {
      for (const listener of backendListeners(p)) {
        const hcm = hcmOf(listener);
        const route = hcm.route_config.virtual_hosts[0].routes[0].route;
        expect(clusterOf(p, route.cluster).load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address).toBe(signingOf(listener).host_rewrite);
        for (const vh of hcm.route_config.virtual_hosts) for (const r of vh.routes) {
          expect(Object.keys(r.route ?? {}).filter((k) => k.startsWith('host_rewrite') || k === 'auto_host_rewrite')).toEqual([]);
        }
      }
    }
    // service-b calls service-c in its own account: the custom domain the local HTTPRoute carries.
    expect(signingOf(backendListeners(pod('service-b'))[0]).host_rewrite).toBe('service-c.backend.meshdemo.lattice.internal');
  });

  test('the router adds no x-envoy headers after signing', () => {
    for (const listener of backendListeners(pod('yelb-ui'))) expect(hcmOf(listener).http_filters[1].typed_config.suppress_envoy_headers).toBe(true);
  });
});

describe('each caller reports a client span per call', () => {
  test("every backend listener traces to the in-cluster OTLP/gRPC collector under the caller's name, as an outbound (client) span", () => {
    for (const p of pods) {
      for (const listener of backendListeners(p)) {
        expect(listener.traffic_direction).toBe('OUTBOUND');
        const { tracing } = hcmOf(listener);
        expect(tracing).toEqual({
          provider: {
            name: 'envoy.tracers.opentelemetry',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig',
              grpc_service: { envoy_grpc: { cluster_name: 'opentelemetry_collector' }, timeout: '0.250s' },
              service_name: `${p.deployment}-lattice-signer`,
            },
          },
        });
        // An upstream span would turn this one into a SERVER span (Envoy's getSpanKind).
        expect(tracing.spawn_upstream_span).toBeUndefined();
        // The tracer writes its context into the request after the signing filter has run.
        expect(signingOf(listener).match_excluded_headers).toEqual(expect.arrayContaining([{ exact: 'traceparent' }, { exact: 'tracestate' }]));
      }
    }
  });

  test('the collector cluster is the shared OTLP endpoint, over HTTP/2 as gRPC needs', () => {
    const collector = clusterOf(pod('yelb-ui'), 'opentelemetry_collector');
    expect(collector.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: OTLP_GRPC.host, port_value: OTLP_GRPC.port });
    expect(collector.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config).toEqual({ http2_protocol_options: {} });
  });
});

describe('the signer in the caller pod', () => {
  test('admin stays on loopback; other pods reach only GET /stats/prometheus on 15090, proxied to admin', () => {
    const { envoy } = pod('yelb-ui');
    expect(envoy.admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 15000 });
    const metrics = envoy.static_resources.listeners.find((l: any) => !signingOf(l));
    expect(metrics.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 15090 });
    const [vh] = hcmOf(metrics).route_config.virtual_hosts;
    expect(vh.routes).toEqual([{ match: { path: '/stats/prometheus', headers: [{ name: ':method', string_match: { exact: 'GET' } }] }, route: { cluster: 'envoy_admin' } }]);
    expect(clusterOf(pod('yelb-ui'), 'envoy_admin').load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 15000 });
    // What the scraper is pointed at (observability): container, port and path.
    expect([SIGNER_CONTAINER, SIGNER_METRICS_PORT, SIGNER_METRICS_PATH]).toEqual(['lattice-signer', 15090, '/stats/prometheus']);
    expect(pod('yelb-ui').pod.initContainers[0].ports).toEqual([{ name: 'signer-metrics', containerPort: 15090, protocol: 'TCP' }]);
  });

  test('it is a native sidecar that holds the app back until its listeners are up', () => {
    for (const p of pods) {
      expect(p.pod.containers.map((c: any) => c.name)).not.toContain('lattice-signer');
      const [signer] = p.pod.initContainers;
      expect(signer).toMatchObject({ name: 'lattice-signer', restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 15090 } } });
    }
  });

  test('every backend gets a loopback address of its own, and the pod resolves its names there', () => {
    const app = synthConfig(demoWith((c) => {
      c.catalog = [
        { name: 'web', account: 'frontend', image: 'web:1.0', port: 8080, protocol: 'http', healthCheck: { type: 'http', path: '/' }, backends: ['orders', 'auth', 'legacy'] },
        ...[['orders', 9000], ['auth', 9000], ['legacy', 80]].map(([name, port]) => ({ name, account: 'backend', image: `${name}:1.0`, port, protocol: 'http', healthCheck: { type: 'http', path: '/' } })),
      ];
    }));
    const [web] = signerPods(app);
    // Name order, from 127.0.0.2: two backends on 9000 no longer share a socket.
    expect(web.pod.hostAliases.map((h: any) => [h.ip, h.hostnames[0]])).toEqual([['127.0.0.2', 'auth'], ['127.0.0.3', 'legacy'], ['127.0.0.4', 'orders']]);
    expect(web.pod.hostAliases[0].hostnames).toEqual(['auth', 'auth.yelb', 'auth.yelb.svc', 'auth.yelb.svc.cluster.local']);
    const listenerOf = (name: string) => web.envoy.static_resources.listeners.find((l: any) => l.name === name).address.socket_address;
    for (const alias of web.pod.hostAliases) expect(listenerOf(alias.hostnames[0]).address).toBe(alias.ip);
    expect([listenerOf('auth').port_value, listenerOf('orders').port_value, listenerOf('legacy').port_value]).toEqual([9000, 9000, 80]);
    // The signer runs without root or capabilities: legacy's port 80 needs the unprivileged-port sysctl.
    expect(web.pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
  });
});
