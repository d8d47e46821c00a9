import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { callPaths, configFromEnv, shortName, type ChainConfig } from '../services/chain-service/src/config';
import { BUDGET_HEADER, upstreamTimeout } from '../services/chain-service/src/propagation';
import { createServer, type ChainService } from '../services/chain-service/src/server';

// The chain service for real: compiled with its own tsconfig (as the image is), run as separate
// processes on 127.0.0.1 (service-a → service-b → service-c), plus in-process unit tests of
// createServer and the failure paths. Every server, process and socket is closed at the end.

jest.setTimeout(20000);

const ROOT = path.resolve(__dirname, '..');
const SERVICE = path.join(ROOT, 'services/chain-service');
const LOOPBACK = '127.0.0.1';
let buildDir = '';

// ---------- helpers ----------

interface Reply {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/** GET over a fresh connection (no keep-alive), bounded so a test never hangs on it. */
function get(url: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<Reply> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (raw += c));
      res.on('error', reject);
      res.on('end', () => {
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode!, body, headers: res.headers, ms: Date.now() - started });
      });
    });
    req.setTimeout(10000, () => req.destroy(new Error(`test client gave up on ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A tiny upstream written in the test; its sockets are tracked so it can always be closed. */
interface Stub {
  url: string;
  requests: http.IncomingMessage[];
  sockets: Set<Socket>;
  close(): Promise<void>;
}
const stubs: Stub[] = [];

async function stub(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Stub> {
  const requests: http.IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, LOOPBACK, r));
  const s: Stub = {
    url: `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`,
    requests,
    sockets,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => r());
      }),
  };
  stubs.push(s);
  return s;
}
const stuck = () => stub(() => undefined); // accepts, reads the request, never answers

/** The service in this process, on a free loopback port, logging into an array. */
const inProcess: ChainService[] = [];
async function local(partial: Partial<ChainConfig> & { serviceName: string }) {
  const config: ChainConfig = { port: 0, host: LOOPBACK, message: `Hello from ${partial.serviceName}`, upstreamTimeoutMs: 2000, shutdownDrainMs: 0, shutdownGraceMs: 1000, ...partial };
  const logs: Record<string, unknown>[] = [];
  const service = createServer(config, (e) => logs.push(e));
  inProcess.push(service);
  const port = await service.listen();
  return { service, logs, url: `http://${LOOPBACK}:${port}` };
}

/** The service as a real process (the compiled dist/main.js, as the image runs it), on a free loopback port. */
interface Hop {
  name: string;
  child: ChildProcess;
  url: string;
  lines: any[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
const children: ChildProcess[] = [];

function spawnService(env: Record<string, string>) {
  // Only what the test sets: nothing from this process's environment leaks into the hop.
  // NODE_PATH: the compiled files live in a scratch folder; their runtime dependencies are the service's own.
  const child = spawn(process.execPath, [path.join(buildDir, 'main.js')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_PATH: path.join(SERVICE, 'node_modules'), HOST: LOOPBACK, PORT: '0', SHUTDOWN_DRAIN_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: any[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts.filter(Boolean)) lines.push(JSON.parse(line)); // every stdout line must be JSON
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, lines, stderr, exit };
}

async function start(name: string, env: Record<string, string> = {}): Promise<Hop> {
  const { child, lines, stderr, exit } = spawnService({ SERVICE_NAME: name, ...env });
  let exited = false;
  void exit.then(() => (exited = true));
  await waitFor(`${name} to listen (stderr: ${stderr.join('')})`, () => exited || lines.some((l) => l.event === 'listening'), 10000);
  if (exited) throw new Error(`${name} exited at start: ${JSON.stringify(lines)} ${stderr.join('')}`);
  const { port } = lines.find((l) => l.event === 'listening');
  return { name, child, url: `http://${LOOPBACK}:${port}`, lines, exit };
}

beforeAll(() => {
  // Compile exactly as the image's build stage does (tsc -p services/chain-service), into a scratch dir.
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-service-'));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(SERVICE, 'tsconfig.json'), '--outDir', buildDir], { encoding: 'utf8', timeout: 60000 });
  if (tsc.status !== 0) throw new Error(`tsc -p services/chain-service failed:\n${tsc.stdout}${tsc.stderr}`);
}, 60000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(inProcess.map((s) => s.shutdown()));
  await Promise.all(stubs.map((s) => s.close()));
  if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
});

// ---------- configuration ----------

describe('configuration from the environment', () => {
  test('defaults, and the next hop from NEXT_SERVICE_NAME and NEXT_SERVICE_URL', () => {
    expect(configFromEnv({ SERVICE_NAME: 'service-c' })).toEqual({
      serviceName: 'service-c', port: 8080, host: undefined, message: 'Hello from service-c', next: undefined,
      upstreamTimeoutMs: 2000, shutdownDrainMs: 3000, shutdownGraceMs: 10000,
    });
    const a = configFromEnv({ SERVICE_NAME: 'service-a', NEXT_SERVICE_NAME: 'service-b', NEXT_SERVICE_URL: 'http://service-b.yelb.svc.cluster.local:8080/', MESSAGE: 'hi', UPSTREAM_TIMEOUT_MS: '300' });
    expect(a).toMatchObject({ message: 'hi', upstreamTimeoutMs: 300, next: { name: 'service-b', url: 'http://service-b.yelb.svc.cluster.local:8080' } });
  });

  test('mistakes are refused with the fix', () => {
    expect(() => configFromEnv({})).toThrow(/SERVICE_NAME is not set/);
    expect(() => configFromEnv({ SERVICE_NAME: 'a', NEXT_SERVICE_NAME: 'service-b' })).toThrow(/go together/);
    expect(() => configFromEnv({ SERVICE_NAME: 'a', PORT: '80a' })).toThrow(/PORT="80a" is not a whole number/);
    expect(() => configFromEnv({ SERVICE_NAME: 'a', UPSTREAM_TIMEOUT_MS: '-1' })).toThrow(/UPSTREAM_TIMEOUT_MS/);
    expect(() => configFromEnv({ SERVICE_NAME: 'a', NEXT_SERVICE_NAME: 'b', NEXT_SERVICE_URL: 'service-b:8080' })).toThrow(/must be http/);
  });

  test('the call paths: "/call-" + the short name (after the last "-"), or the full name', () => {
    expect(shortName('service-b')).toBe('b');
    expect(callPaths('service-b')).toEqual(['/call-b', '/call-service-b']);
    expect(callPaths('backend')).toEqual(['/call-backend']);
  });

  test('the caller\'s budget shortens the upstream deadline, never lengthens it', () => {
    expect(upstreamTimeout(2000, {})).toBe(2000);
    expect(upstreamTimeout(2000, { [BUDGET_HEADER]: '1000' })).toBe(900); // a tenth kept back
    expect(upstreamTimeout(2000, { [BUDGET_HEADER]: '300' })).toBe(250); // at least 50 ms kept back
    expect(upstreamTimeout(2000, { [BUDGET_HEADER]: '9000' })).toBe(2000);
    expect(upstreamTimeout(2000, { [BUDGET_HEADER]: 'soon' })).toBe(2000);
    expect(upstreamTimeout(2000, { [BUDGET_HEADER]: '20' })).toBe(1);
  });
});

// ---------- in process ----------

describe('createServer in process', () => {
  test('the last hop: its own answer on / and /chain, 404 for any /call-', async () => {
    const { url, logs } = await local({ serviceName: 'service-c', message: 'end of the line' });
    expect(await get(`${url}/`)).toMatchObject({ status: 200, body: { service: 'service-c', message: 'end of the line' }, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(await get(`${url}/chain?x=1`)).toMatchObject({ status: 200, body: { service: 'service-c', message: 'end of the line' } });
    expect(await get(`${url}/call-d`)).toMatchObject({ status: 404, body: { error: 'no_next_service', service: 'service-c' } });
    expect(await get(`${url}/nope`)).toMatchObject({ status: 404, body: { error: 'not_found', path: '/nope' } });
    expect(await get(`${url}/`, {}, 'POST')).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    // One log line per request: method, path (without the query), status, ms.
    expect(logs.filter((l) => l.method)).toEqual([
      { service: 'service-c', method: 'GET', path: '/', status: 200, ms: expect.any(Number) },
      { service: 'service-c', method: 'GET', path: '/chain', status: 200, ms: expect.any(Number) },
      { service: 'service-c', method: 'GET', path: '/call-d', status: 404, ms: expect.any(Number) },
      { service: 'service-c', method: 'GET', path: '/nope', status: 404, ms: expect.any(Number) },
      { service: 'service-c', method: 'POST', path: '/', status: 405, ms: expect.any(Number) },
    ]);
  });

  test('an upstream non-2xx is a 502 upstream_error with its status; a non-JSON answer too', async () => {
    const failing = await stub((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const a = await local({ serviceName: 'service-a', next: { name: 'service-b', url: failing.url } });
    expect(await get(`${a.url}/call-b`)).toMatchObject({ status: 502, body: { error: 'upstream_error', service: 'service-a', upstream: 'service-b', status: 500, cause: 'boom' } });
    const html = await stub((_req, res) => res.end('<html>'));
    const a2 = await local({ serviceName: 'service-a', next: { name: 'service-b', url: html.url } });
    expect(await get(`${a2.url}/call-service-b`)).toMatchObject({ status: 502, body: { error: 'upstream_error', detail: 'answer is not JSON' } });
  });

  test('the deadline covers the body too: headers then silence is a 504', async () => {
    const dribble = await stub((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"service":'));
    const a = await local({ serviceName: 'service-a', next: { name: 'service-b', url: dribble.url }, upstreamTimeoutMs: 300 });
    const res = await get(`${a.url}/call-b`);
    expect(res).toMatchObject({ status: 504, body: { error: 'upstream_timeout', upstream: 'service-b', timeoutMs: 300 } });
    expect(res.ms).toBeLessThan(3000);
  });

  test('trace headers and the remaining budget are passed on; the caller\'s budget is honoured', async () => {
    const echo = await stub((req, res) => res.end(JSON.stringify({ headers: req.headers })));
    const a = await local({ serviceName: 'service-a', next: { name: 'service-b', url: echo.url } });
    const res = await get(`${a.url}/call-b`, { 'x-request-id': 'r-1', traceparent: '00-abc-def-01', [BUDGET_HEADER]: '800' });
    expect(res.body.upstream.headers).toMatchObject({ 'x-request-id': 'r-1', traceparent: '00-abc-def-01', [BUDGET_HEADER]: '720' });

    const silent = await stuck();
    const b = await local({ serviceName: 'service-b', next: { name: 'service-c', url: silent.url }, upstreamTimeoutMs: 10000 });
    const bounded = await get(`${b.url}/chain`, { [BUDGET_HEADER]: '300' });
    expect(bounded).toMatchObject({ status: 504, body: { error: 'upstream_timeout', upstream: 'service-c', timeoutMs: 250 } });
    expect(bounded.ms).toBeLessThan(3000);
  });

  test('a client that goes away cancels the upstream call', async () => {
    const silent = await stuck();
    const { url, logs } = await local({ serviceName: 'service-a', next: { name: 'service-b', url: silent.url }, upstreamTimeoutMs: 10000 });
    const req = http.get(`${url}/call-b`, { agent: false });
    req.on('error', () => undefined);
    await waitFor('the upstream call', () => silent.requests.length === 1);
    req.destroy();
    await waitFor('the upstream socket to close', () => silent.sockets.size === 0);
    await waitFor('the log line', () => logs.some((l) => l.path === '/call-b'));
    expect(logs.find((l) => l.path === '/call-b')).toMatchObject({ status: 499, aborted: true });
  });
});

// ---------- real processes ----------

describe('three processes on 127.0.0.1: service-a → service-b → service-c', () => {
  let a: Hop, b: Hop, c: Hop;

  beforeAll(async () => {
    c = await start('service-c');
    b = await start('service-b', { NEXT_SERVICE_NAME: 'service-c', NEXT_SERVICE_URL: c.url });
    a = await start('service-a', { NEXT_SERVICE_NAME: 'service-b', NEXT_SERVICE_URL: `${b.url}/`, MESSAGE: 'front door' });
  }, 30000);

  test('GET / on each hop', async () => {
    expect(await get(`${a.url}/`)).toMatchObject({ status: 200, body: { service: 'service-a', message: 'front door' } });
    expect(await get(`${b.url}/`)).toMatchObject({ status: 200, body: { service: 'service-b', message: 'Hello from service-b' } });
    expect(await get(`${c.url}/`)).toMatchObject({ status: 200, body: { service: 'service-c', message: 'Hello from service-c' } });
  });

  test('GET /call-b on A returns B\'s answer, by short or full name; other names are 404', async () => {
    const expected = { status: 200, body: { service: 'service-a', upstream: { service: 'service-b', message: 'Hello from service-b' } } };
    expect(await get(`${a.url}/call-b`)).toMatchObject(expected);
    expect(await get(`${a.url}/call-service-b`)).toMatchObject(expected);
    expect(await get(`${b.url}/call-c`)).toMatchObject({ status: 200, body: { service: 'service-b', upstream: { service: 'service-c' } } });
    expect(await get(`${a.url}/call-c`)).toMatchObject({ status: 404, body: { error: 'unknown_upstream', service: 'service-a' } });
    expect(await get(`${c.url}/call-d`)).toMatchObject({ status: 404, body: { error: 'no_next_service', service: 'service-c' } });
  });

  test('GET /chain on A walks A→B→C in one request', async () => {
    const res = await get(`${a.url}/chain`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ service: 'service-a', upstream: { service: 'service-b', upstream: { service: 'service-c', message: 'Hello from service-c' } } });
    // Each hop logged it: one JSON line per request.
    for (const hop of [a, b, c]) {
      await waitFor(`${hop.name}'s log line`, () => hop.lines.some((l) => l.path === '/chain'));
      expect(hop.lines.find((l) => l.path === '/chain')).toMatchObject({ service: hop.name, method: 'GET', status: 200, ms: expect.any(Number), time: expect.any(String) });
    }
  });

  test('/healthz and /readyz', async () => {
    for (const hop of [a, b, c]) {
      expect(await get(`${hop.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await get(`${hop.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    }
  });

  test('with C killed, A\'s /chain is a quick 502 carrying B\'s upstream_unreachable naming service-c', async () => {
    c.child.kill('SIGKILL');
    expect(await c.exit).toEqual({ code: null, signal: 'SIGKILL' });
    const res = await get(`${a.url}/chain`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      error: 'upstream_error', service: 'service-a', upstream: 'service-b', status: 502,
      // B may still hold a keep-alive connection to C from the earlier tests: the kernel resets it
      // when C dies (ECONNRESET) instead of refusing a new one (ECONNREFUSED). Both mean C is gone.
      cause: { error: 'upstream_unreachable', service: 'service-b', upstream: 'service-c', detail: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) },
    });
    expect(res.ms).toBeLessThan(1000);
    expect(await get(`${b.url}/call-c`)).toMatchObject({ status: 502, body: { error: 'upstream_unreachable', service: 'service-b', upstream: 'service-c' } });
    expect(await get(`${a.url}/`)).toMatchObject({ status: 200 }); // A itself is fine
  });
});

describe('an upstream that accepts and never answers', () => {
  test('returns 504 upstream_timeout after UPSTREAM_TIMEOUT_MS instead of hanging', async () => {
    const silent = await stuck();
    const x = await start('service-x', { NEXT_SERVICE_NAME: 'service-y', NEXT_SERVICE_URL: silent.url, UPSTREAM_TIMEOUT_MS: '300' });
    const res = await get(`${x.url}/call-y`);
    expect(res).toMatchObject({ status: 504, body: { error: 'upstream_timeout', service: 'service-x', upstream: 'service-y', timeoutMs: 300 } });
    expect(res.ms).toBeGreaterThanOrEqual(250);
    expect(res.ms).toBeLessThan(3000);
  });

  test('in a chain with equal timeouts, the hop next to the stuck one reports it', async () => {
    const silent = await stuck();
    const b = await start('service-b', { NEXT_SERVICE_NAME: 'service-c', NEXT_SERVICE_URL: silent.url, UPSTREAM_TIMEOUT_MS: '1000' });
    const a = await start('service-a', { NEXT_SERVICE_NAME: 'service-b', NEXT_SERVICE_URL: b.url, UPSTREAM_TIMEOUT_MS: '1000' });
    const res = await get(`${a.url}/chain`);
    expect(res.body).toMatchObject({ error: 'upstream_error', service: 'service-a', upstream: 'service-b', status: 504, cause: { error: 'upstream_timeout', service: 'service-b', upstream: 'service-c', timeoutMs: 900 } });
    expect(res.status).toBe(502);
    expect(res.ms).toBeLessThan(3000);
  });
});

// ---------- traces ----------

/** A span as an OTLP/JSON export carries it (ids hex-encoded), with its resource's service name. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}
const SERVER = 2; // SPAN_KIND_SERVER in OTLP
const CLIENT = 3; // SPAN_KIND_CLIENT

const attributesOf = (list: Array<{ key: string; value: Record<string, unknown> }> = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** A local OTLP/HTTP receiver: takes POST /v1/traces (JSON), keeps every span. */
async function otlpReceiver() {
  const spans: ExportedSpan[] = [];
  const contentTypes: string[] = [];
  const receiver = await stub((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      contentTypes.push(String(req.headers['content-type']));
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const service = String(attributesOf(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) spans.push({ service, ...span, attributes: attributesOf(span.attributes) });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { url: receiver.url, spans, contentTypes };
}

describe('traces: OpenTelemetry over OTLP/HTTP, W3C trace context from hop to hop', () => {
  test('GET /chain through three processes is one trace: A server → A client → B server → B client → C server', async () => {
    const otlp = await otlpReceiver();
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    const c = await start('service-c', tracing);
    const b = await start('service-b', { ...tracing, NEXT_SERVICE_NAME: 'service-c', NEXT_SERVICE_URL: c.url });
    const a = await start('service-a', { ...tracing, NEXT_SERVICE_NAME: 'service-b', NEXT_SERVICE_URL: b.url });
    expect(a.lines.find((l) => l.event === 'listening')).toMatchObject({ tracing: true });
    expect(await get(`${a.url}/healthz`)).toMatchObject({ status: 200 });
    expect(await get(`${a.url}/chain`)).toMatchObject({ status: 200, body: { upstream: { upstream: { service: 'service-c' } } } });

    const server = (service: string) => otlp.spans.find((s) => s.service === service && s.kind === SERVER);
    const client = (service: string) => otlp.spans.find((s) => s.service === service && s.kind === CLIENT);
    await waitFor('the spans of all three hops', () => Boolean(server('service-a') && server('service-b') && server('service-c') && client('service-a') && client('service-b')), 10000);
    const [aServer, aClient, bServer, bClient, cServer] = [server('service-a')!, client('service-a')!, server('service-b')!, client('service-b')!, server('service-c')!];

    // One trace id, and each span the child of the one before: what X-Ray draws as A → B → C.
    expect(new Set([aServer, aClient, bServer, bClient, cServer].map((s) => s.traceId)).size).toBe(1);
    expect(aServer.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(aServer.parentSpanId ?? '').toBe('');
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(bServer.parentSpanId).toBe(aClient.spanId);
    expect(bClient.parentSpanId).toBe(bServer.spanId);
    expect(cServer.parentSpanId).toBe(bClient.spanId);
    // The stable HTTP attributes, which X-Ray's exporter turns into a segment's http block
    // (opentelemetry-collector-contrib exporter/awsxrayexporter/internal/translator/http.go reads
    // them beside the v1.12 ones): method, status, and the URL the service map names the edge by.
    expect(bServer.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.path': '/chain' });
    expect(aClient.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': `${b.url}/chain` });
    // Probes are not traced; spans leave as OTLP JSON.
    expect(otlp.spans.filter((s) => s.attributes['url.path'] === '/healthz')).toEqual([]);
    expect(new Set(otlp.contentTypes)).toEqual(new Set(['application/json']));
  });

  test('a caller\'s traceparent is continued, and the last spans are sent before a SIGTERM exit', async () => {
    const otlp = await otlpReceiver();
    // A batch delay far beyond the test: only the flush at shutdown can deliver the span.
    const s = await start('service-s', { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_SERVICE_NAME: 'chain-s' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    expect(await get(`${s.url}/`, { traceparent: `00-${traceId}-${parent}-01` })).toMatchObject({ status: 200 });
    await sleep(200);
    expect(otlp.spans).toEqual([]);
    s.child.kill('SIGTERM');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(otlp.spans).toEqual([expect.objectContaining({ service: 'chain-s', kind: SERVER, traceId, parentSpanId: parent })]);
  });

  test('an endpoint that is not a URL stops the process with the fix', async () => {
    const { lines, exit } = spawnService({ SERVICE_NAME: 'service-a', OTEL_EXPORTER_OTLP_ENDPOINT: 'cloudwatch-agent:4318' });
    expect(await exit).toEqual({ code: 1, signal: null });
    expect(lines).toEqual([expect.objectContaining({ event: 'config_error', detail: expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT="cloudwatch-agent:4318" is not an http\(s\) URL\. Fix:/) })]);
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM: /readyz turns 503, the listener closes after the drain, the in-flight request completes, exit 0', async () => {
    const slow = await stub((_req, res) => setTimeout(() => res.end(JSON.stringify({ service: 'service-slow', message: 'late' })), 1500));
    const s = await start('service-s', { NEXT_SERVICE_NAME: 'service-slow', NEXT_SERVICE_URL: slow.url, UPSTREAM_TIMEOUT_MS: '5000', SHUTDOWN_DRAIN_MS: '400', SHUTDOWN_GRACE_MS: '5000' });
    let settled = false;
    const inFlight = get(`${s.url}/call-slow`).finally(() => (settled = true));
    await waitFor('the upstream call', () => slow.requests.length === 1);

    s.child.kill('SIGTERM');
    await waitFor('the shutdown log line', () => s.lines.some((l) => l.event === 'shutdown'));
    expect(await get(`${s.url}/readyz`)).toMatchObject({ status: 503, body: { status: 'shutting_down' }, headers: { connection: 'close' } });
    expect(await get(`${s.url}/healthz`)).toMatchObject({ status: 200 }); // alive, only not ready

    // After the drain delay new connections are refused, while the in-flight request still runs.
    // (A connection accepted just as the listener closes may be reset instead; the probe retries.)
    let refused = false;
    await waitFor('the listener to close', () => {
      get(`${s.url}/healthz`).catch((e) => (refused ||= e.code === 'ECONNREFUSED'));
      return refused;
    }, 3000);
    expect(settled).toBe(false);

    expect(await inFlight).toMatchObject({ status: 200, body: { service: 'service-s', upstream: { message: 'late' } } });
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(s.lines.map((l) => l.event).filter(Boolean)).toEqual(['listening', 'signal', 'shutdown', 'stopped']);
  });

  test('SIGINT: the grace period bounds a request that never finishes, then exit 0', async () => {
    const silent = await stuck();
    const s = await start('service-s', { NEXT_SERVICE_NAME: 'service-t', NEXT_SERVICE_URL: silent.url, UPSTREAM_TIMEOUT_MS: '15000', SHUTDOWN_GRACE_MS: '300' });
    const inFlight = get(`${s.url}/call-t`);
    inFlight.catch(() => undefined);
    await waitFor('the upstream call', () => silent.requests.length === 1);
    const sent = Date.now();
    s.child.kill('SIGINT');
    expect(await s.exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(3000);
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(s.lines.some((l) => l.event === 'grace_expired')).toBe(true);
  });

  test('a configuration mistake exits 1 with a JSON error line', async () => {
    const { lines, exit } = spawnService({ NEXT_SERVICE_NAME: 'service-b' });
    expect(await exit).toEqual({ code: 1, signal: null });
    expect(lines).toEqual([expect.objectContaining({ level: 'error', event: 'config_error', detail: expect.stringContaining('SERVICE_NAME is not set') })]);
  });
});

// ---------- the image script ----------

describe('scripts/build-push-images.sh', () => {
  const REPO = '111111111111.dkr.ecr.us-west-2.amazonaws.com/meshdemo/chain-service';
  let bin = '';
  let calls = '';

  beforeAll(() => {
    // Stand-ins for docker and aws that record how they were called (no engine, no AWS here).
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'chain-service-bin-'));
    calls = path.join(bin, 'calls.log');
    const tool = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${calls}"\n${body}\n`, { mode: 0o755 });
    tool('docker', 'if [ "$1" = login ]; then echo "stdin=$(cat)" >> "' + calls + '"; fi; exit 0');
    tool('aws', 'case "$2" in get-login-password) echo secret-token ;; describe-images) [ "$EXISTING_TAG" = "${8#imageTag=}" ] && exit 0; exit 254 ;; esac');
  });
  afterAll(() => bin && fs.rmSync(bin, { recursive: true, force: true }));

  const run = (args: string[], env: Record<string, string> = {}, withTools = true) => {
    if (fs.existsSync(calls)) fs.rmSync(calls);
    const PATH = withTools ? `${bin}:/usr/bin:/bin` : '/usr/bin:/bin';
    return spawnSync('bash', [path.join(ROOT, 'scripts/build-push-images.sh'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 15000, env: { PATH, HOME: bin, ...env } });
  };
  const recorded = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : []);

  test('logs in to the registry, builds services/chain-service and pushes the tag', () => {
    const r = run(['--repository', REPO, '--tag', '0.1.0']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const steps = recorded();
    // The two sides of `aws ecr get-login-password | docker login` run at the same time: their order varies.
    expect(steps.slice(0, 2)).toEqual(['docker info', 'aws ecr describe-images --region us-west-2 --repository-name meshdemo/chain-service --image-ids imageTag=0.1.0']);
    expect([...steps.slice(2, 5)].sort()).toEqual([
      'aws ecr get-login-password --region us-west-2',
      'docker login --username AWS --password-stdin 111111111111.dkr.ecr.us-west-2.amazonaws.com',
      'stdin=secret-token',
    ]);
    expect(steps.slice(5)).toEqual([`docker build --pull --platform linux/amd64 -t ${REPO}:0.1.0 ${SERVICE}`, `docker push ${REPO}:0.1.0`]);
  });

  test('refuses "latest", a tag already pushed, bad input, and says what is missing', () => {
    expect(run([])).toMatchObject({ status: 2, stderr: expect.stringContaining('--repository is required') });
    expect(run(['--repository', 'docker.io/library/node'])).toMatchObject({ status: 2, stderr: expect.stringContaining('is not an ECR repository URL') });
    expect(run(['--repository', REPO, '--tag', 'latest'])).toMatchObject({ status: 2, stderr: expect.stringContaining("refusing tag 'latest'") });
    expect(run(['--repository', REPO, '--tag', 'Latest'])).toMatchObject({ status: 2, stderr: expect.stringContaining("refusing tag 'latest'") });
    expect(run(['--repository', REPO, '--tag', 'a b'])).toMatchObject({ status: 2, stderr: expect.stringContaining('not a valid image tag') });
    expect(run(['--repository', REPO, '--tag', '0.1.0'], { EXISTING_TAG: '0.1.0' })).toMatchObject({ status: 2, stderr: expect.stringContaining('already exists') });
    expect(recorded()).not.toContainEqual(expect.stringMatching(/^docker (build|push)/));
    const noTools = run(['--repository', REPO, '--tag', '0.1.0'], {}, false);
    expect(noTools.status).toBe(1);
    expect(noTools.stderr).toMatch(/docker is not installed|the AWS CLI is not installed/);
  });

  test('the default tag is the short git commit, and only for committed service sources', () => {
    const sha = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    const dirty = spawnSync('git', ['status', '--porcelain', '--', 'services/chain-service'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';
    const r = run(['--repository', REPO]);
    if (dirty) {
      expect(r).toMatchObject({ status: 2, stderr: expect.stringContaining('uncommitted changes') });
    } else {
      expect(r.status).toBe(0);
      expect(recorded()).toContain(`docker push ${REPO}:${sha}`);
    }
  });
});
