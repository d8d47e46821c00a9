import { synthConfig, demoWith } from './support/synth';
import { signerPods, hcmOf } from './support/signer';
import { bootstrapProblems } from './support/envoy-schema';

// Every Envoy bootstrap this project generates (the Lattice signer's, for both shipped catalogs)
// checked against Envoy's v3 API definitions, which we did not write (see support/envoy-schema.ts).

const pods = [...signerPods(synthConfig(demoWith())), ...signerPods(synthConfig(demoWith((c) => (c.catalog = 'chain'))))];

describe("the signer's Envoy bootstrap against Envoy's API", () => {
  test('there are bootstraps to check: every caller of both catalogs', () => {
    expect(pods.map((p) => p.deployment).sort()).toEqual(['service-a', 'service-b', 'yelb-ui']);
  });

  test.each(pods.map((p) => [p.deployment, p] as const))('%s: every field, type and @type is part of the Envoy API', (_name, pod) => {
    expect(bootstrapProblems(pod.envoy)).toEqual([]);
  });

  test('the check fails on what Envoy would refuse or warn about: a misspelled field, an unknown @type, a wrong type, a malformed duration, an unknown enum value, two members of a oneof, a deprecated field', () => {
    const broken = structuredClone(pods[0].envoy);
    const listener = broken.static_resources.listeners[0];
    hcmOf(listener).route_config.virtual_hosts[0].routes[0].route.host_rewrite_literl = 'x';
    hcmOf(listener).http_filters[0].typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.aws_request_signing.v3.AwsRequestSigner';
    listener.address.socket_address.port_value = 'eighty';
    broken.static_resources.clusters[0].connect_timeout = '2 seconds';
    broken.static_resources.listeners[1].traffic_direction = 'OUTWARD';
    hcmOf(broken.static_resources.listeners[1]).route_config.virtual_hosts[0].routes[0].route.cluster_header = 'x-cluster';
    broken.static_resources.listeners[1].reuse_port = true;
    const problems = bootstrapProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/routes\[0\]\.route\.host_rewrite_literl: no such field in envoy\.config\.route\.v3\.RouteAction/),
        expect.stringMatching(/http_filters\[0\]\.typed_config\.@type: .*AwsRequestSigner" is not a message/),
        expect.stringMatching(/socket_address\.port_value: expected an integer/),
        expect.stringMatching(/clusters\[0\]\.connect_timeout: expected a duration/),
        expect.stringMatching(/listeners\[1\]\.traffic_direction: "OUTWARD" is not a value of \.envoy\.config\.core\.v3\.TrafficDirection/),
        expect.stringMatching(/routes\[0\]\.route\.cluster_header: oneof cluster_specifier is already set by cluster/),
        expect.stringMatching(/listeners\[1\]\.reuse_port: deprecated in envoy\.config\.listener\.v3\.Listener/),
      ]),
    );
    expect(problems).toHaveLength(7);
  });
});
