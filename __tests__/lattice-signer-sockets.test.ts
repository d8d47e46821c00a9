import { synthConfig, demoWith } from './support/synth';
import { signerPods, type SignerPod } from './support/signer';
import { bindAllInNetns, type Bind } from './support/netns';

// Every socket a Lattice caller pod would hold, read from the synthesized Deployment and its
// signer's bootstrap, opened for real in a network namespace of its own (as a pod has).

const pods = [...signerPods(synthConfig(demoWith())), ...signerPods(synthConfig(demoWith((c) => (c.catalog = 'chain'))))];

/** The app's container ports on every address (as apps bind), and each address the signer's Envoy binds. */
function socketsOf(p: SignerPod): Bind[] {
  const app = p.pod.containers.flatMap((c: any) => (c.ports ?? []).map((port: any) => ({ address: '0.0.0.0', port: port.containerPort, owner: `${c.name} (app)` })));
  const socket = (s: any, owner: string) => ({ address: s.address, port: s.port_value, owner });
  const signer = [
    socket(p.envoy.admin.address.socket_address, 'signer admin'),
    ...p.envoy.static_resources.listeners.map((l: any) => socket(l.address.socket_address, `signer listener ${l.name}`)),
  ];
  return [...app, ...signer];
}

describe('a Lattice caller pod binds all its sockets at once', () => {
  test('the pods checked are every caller of both catalogs', () => {
    expect(pods.map((p) => p.deployment).sort()).toEqual(['service-a', 'service-b', 'yelb-ui']);
  });

  test.each(pods.map((p) => [p.deployment, p] as const))('%s', (_name, p) => {
    const sockets = socketsOf(p);
    // The app, admin, metrics and one listener per backend.
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    const report = bindAllInNetns(sockets);
    expect(report.failed).toEqual([]);
    expect(report.bound).toHaveLength(sockets.length);
  });

  test('the check sees a clash: two listeners on one address and port, and a loopback listener on the port the app holds on every address', () => {
    const report = bindAllInNetns([
      { address: '127.0.0.2', port: 9000, owner: 'first' },
      { address: '127.0.0.2', port: 9000, owner: 'second' },
      { address: '0.0.0.0', port: 8080, owner: 'app' },
      { address: '127.0.0.3', port: 8080, owner: 'signer' },
      { address: '127.0.0.4', port: 9000, owner: 'own address' },
    ]);
    expect(report.failed).toEqual([
      { address: '127.0.0.2', port: 9000, owner: 'second', code: 'EADDRINUSE' },
      { address: '127.0.0.3', port: 8080, owner: 'signer', code: 'EADDRINUSE' },
    ]);
    expect(report.bound.map((b) => b.owner)).toEqual(['first', 'app', 'own address']);
  });
});
