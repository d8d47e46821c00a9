import * as http from 'node:http';
import { callPaths, type ChainConfig } from './config';
import { forwardedHeaders, upstreamTimeout } from './propagation';
import { getJson } from './upstream';
import { stdoutLog, type Log } from './log';

export type { Log };

// One hop of the A→B→C chain. Routes (see ../README.md):
//   GET /                 { service, message }
//   GET /call-<next>      calls the next hop's "/" and answers { service, upstream: <its answer> }
//   GET /chain            calls the next hop's "/chain" (the last hop answers like "/")
//   GET /healthz          liveness; GET /readyz readiness, 503 once shutdown began
// The process around it (configuration, tracing, signals) is ./main.ts.

export interface ChainService {
  server: http.Server;
  /** Listens on config.host:config.port; resolves with the bound port (useful with port 0). */
  listen(): Promise<number>;
  ready(): boolean;
  /**
   * Readiness turns 503 at once; new requests are still served for the drain delay (so the
   * endpoint can leave the Service first); then the listener closes, idle keep-alive sockets
   * close, and in-flight requests get the grace period before their sockets are cut.
   * Resolves when every connection is gone. Calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
}

export function createServer(config: ChainConfig, log: Log = stdoutLog): ChainService {
  const service = config.serviceName;
  const calls = new Set(config.next ? callPaths(config.next.name) : []);
  let draining = false;
  let stopping: Promise<void> | undefined;

  function send(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
    if (res.destroyed || res.headersSent) return;
    const text = `${JSON.stringify(body)}\n`;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'no-store',
      // While shutting down, keep-alive clients are told to reconnect (to another replica).
      ...(draining ? { connection: 'close' } : {}),
      ...headers,
    });
    res.end(text);
  }

  async function forward(req: http.IncomingMessage, res: http.ServerResponse, path: '/' | '/chain', gone: AbortSignal): Promise<void> {
    const next = config.next!;
    const timeoutMs = upstreamTimeout(config.upstreamTimeoutMs, req.headers);
    const result = await getJson(`${next.url}${path}`, { timeoutMs, headers: forwardedHeaders(req.headers, timeoutMs), cancel: gone });
    if (result.ok) return send(res, 200, { service, upstream: result.body });
    const failure = { service, upstream: next.name, detail: result.detail };
    switch (result.kind) {
      case 'timeout':
        return send(res, 504, { error: 'upstream_timeout', ...failure, timeoutMs });
      case 'unreachable':
        return send(res, 502, { error: 'upstream_unreachable', ...failure });
      case 'error':
        // The next hop's own error answer (e.g. its upstream_unreachable) is kept as the cause.
        return send(res, 502, { error: 'upstream_error', ...failure, ...(result.status ? { status: result.status } : {}), ...(result.body !== undefined ? { cause: result.body } : {}) });
      case 'cancelled':
        res.destroy();
        return;
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse, path: string, gone: AbortSignal): Promise<void> {
    if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed', service, method: req.method }, { allow: 'GET' });
    if (path === '/healthz') return send(res, 200, { status: 'ok', service });
    if (path === '/readyz') return draining ? send(res, 503, { status: 'shutting_down', service }) : send(res, 200, { status: 'ready', service });
    if (path === '/') return send(res, 200, { service, message: config.message });
    if (path === '/chain') return config.next ? forward(req, res, '/chain', gone) : send(res, 200, { service, message: config.message });
    if (calls.has(path)) return forward(req, res, '/', gone);
    if (path.startsWith('/call-')) {
      return config.next
        ? send(res, 404, { error: 'unknown_upstream', service, detail: `${service} calls only ${config.next.name}: use ${[...calls].join(' or ')}` })
        : send(res, 404, { error: 'no_next_service', service, detail: `${service} is the last hop; NEXT_SERVICE_NAME and NEXT_SERVICE_URL are not set` });
    }
    return send(res, 404, { error: 'not_found', service, path });
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0];
    const client = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) client.abort();
      const entry: Record<string, unknown> = { service, method: req.method, path, status: res.headersSent ? res.statusCode : 499 };
      entry.ms = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      if (!res.writableFinished) entry.aborted = true;
      if (req.headers['x-request-id']) entry.requestId = req.headers['x-request-id'];
      log(entry);
    });
    route(req, res, path, client.signal).catch((error: unknown) => {
      log({ service, level: 'error', event: 'handler_failed', path, detail: String(error) });
      if (res.headersSent) res.destroy();
      else send(res, 500, { error: 'internal', service });
    });
  });

  return {
    server,
    ready: () => !draining,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : config.port);
        });
      }),
    shutdown: () =>
      (stopping ??= (async () => {
        draining = true;
        log({ service, event: 'shutdown', drainMs: config.shutdownDrainMs, graceMs: config.shutdownGraceMs });
        if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => {
            log({ service, level: 'warn', event: 'grace_expired', detail: 'closing the connections still open' });
            server.closeAllConnections();
          }, config.shutdownGraceMs);
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        log({ service, event: 'stopped' });
      })()),
  };
}
