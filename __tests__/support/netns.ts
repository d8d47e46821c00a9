import { spawnSync } from 'child_process';

export interface Bind {
  address: string;
  port: number;
  /** Who binds it in the pod, for the report. */
  owner: string;
}

export interface BindReport {
  bound: Bind[];
  failed: Array<Bind & { code: string }>;
}

// Opens every socket at once and keeps them all open until the last one is tried, the way the
// processes of one pod hold theirs; Node's listen sets SO_REUSEADDR, as Envoy and nginx do.
const BINDER = `
const net = require('net');
const wanted = JSON.parse(process.argv[1]);
const report = { bound: [], failed: [] };
const servers = [];
(async () => {
  for (const b of wanted) {
    const server = net.createServer();
    servers.push(server);
    await new Promise((done) => {
      server.once('error', (e) => { report.failed.push({ ...b, code: e.code }); done(); });
      server.listen({ host: b.address, port: b.port, exclusive: true }, () => { report.bound.push(b); done(); });
    });
  }
  for (const s of servers) s.close();
  process.stdout.write(JSON.stringify(report));
})();
`;

/**
 * Binds `sockets` in a network namespace of their own, like a pod's: nothing else on the machine
 * can collide with them, and they with nothing else. Needs root (unshare -n), as on this machine.
 */
export function bindAllInNetns(sockets: Bind[]): BindReport {
  const run = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" -e "$1" "$2"', process.execPath, BINDER, JSON.stringify(sockets)], { encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`could not run in a network namespace (unshare -n needs root): ${run.error ?? run.stderr}`);
  return JSON.parse(run.stdout);
}
