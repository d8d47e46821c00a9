import { configFromEnv } from './config';
import { createChainServer } from './server';

// The process: read env, listen, log one JSON line per request, drain on SIGTERM/SIGINT.
const config = configFromEnv(process.env);
const log = (entry: object) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
const { server, shutdown } = createChainServer(config, log);

server.listen(config.port, () => {
  const address = server.address();
  log({ service: config.serviceName, event: 'listening', port: typeof address === 'object' && address ? address.port : config.port });
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log({ service: config.serviceName, event: 'shutdown', signal });
    shutdown().then(() => process.exit(0));
  });
}
