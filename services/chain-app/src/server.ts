import * as http from 'http';
import { shortName, type ChainConfig } from './config';
import { getJson } from './upstream';

// One hop of the A→B→C chain. Routes:
//   GET /                 {service, message}
//   GET /call-<next>      this hop calls the next one's "/" and returns {service, upstream}
//   GET /chain            walks the rest of the chain: each hop wraps the next one's answer
//   GET /healthz          liveness; GET /readyz readiness (503 once shutdown began)

export interface ChainServer {
  server: http.Server;
  /**
   * Report not-ready for the drain delay (so the endpoint leaves the Service before traffic
   * stops), then stop accepting, let in-flight requests finish within the grace period, close.
   */
  shutdown(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, closing = false): void {
  // While draining, tell keep-alive clients to reconnect elsewhere so their sockets close.
  res.writeHead(status, { 'content-type': 'application/json', ...(closing ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

export function createChainServer(config: ChainConfig, log: (entry: object) => void = () => {}): ChainServer {
  let draining = false;
  const callPaths = config.next ? new Set([`/call-${shortName(config.next.name)}`, `/call-${config.next.name}`]) : new Set<string>();

  async function forward(res: http.ServerResponse, path: string): Promise<number> {
    const next = config.next!;
    const result = await getJson(`${next.url}${path}`, config.upstreamTimeoutMs);
    if (result.ok) {
      send(res, 200, { service: config.serviceName, upstream: result.body }, draining);
      return 200;
    }
    send(res, result.status, { error: result.error, service: config.serviceName, upstream: next.name, detail: result.detail, ...(result.upstreamStatus ? { status: result.upstreamStatus } : {}) }, draining);
    return result.status;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<number> {
    const reply = (status: number, body: unknown) => (send(res, status, body, draining), status);
    const path = (req.url ?? '/').split('?')[0];
    const self = { service: config.serviceName, message: config.message };
    if (req.method !== 'GET') return reply(405, { error: 'method_not_allowed', service: config.serviceName });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/readyz') return draining ? reply(503, { status: 'shutting_down' }) : reply(200, { status: 'ready' });
    if (path === '/') return reply(200, self);
    if (path === '/chain') return config.next ? forward(res, '/chain') : reply(200, self);
    if (callPaths.has(path)) return forward(res, '/');
    if (path.startsWith('/call-')) {
      return reply(404, { error: 'no_such_upstream', service: config.serviceName, detail: config.next ? `this hop calls ${config.next.name}` : 'this is the last hop' });
    }
    return reply(404, { error: 'not_found', service: config.serviceName, path });
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    route(req, res)
      .catch((e) => (send(res, 500, { error: 'internal', service: config.serviceName, detail: String(e) }), 500))
      .then((status) => log({ service: config.serviceName, method: req.method, path: req.url, status, ms: Date.now() - started }));
  });

  return {
    server,
    shutdown: () =>
      new Promise<void>((resolve) => {
        draining = true;
        setTimeout(() => {
          // Idle keep-alive sockets close now; busy ones finish their request first.
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, config.shutdownGraceMs).unref();
        }, config.drainDelayMs);
      }),
  };
}
