import { spawn, type ChildProcess } from 'child_process';
import * as http from 'http';
import * as path from 'path';

// The chain service for real: three processes on loopback, A→B→C, and the failure paths.
const MAIN = path.resolve('services/chain-app/src/main.ts');
const TS_NODE = require.resolve('ts-node/register/transpile-only');

interface Hop {
  process: ChildProcess;
  port: number;
  url: string;
  output: string[];
}
const running: Hop[] = [];

function start(env: Record<string, string>): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', TS_NODE, MAIN], {
      env: { ...process.env, PORT: '0', SHUTDOWN_DRAIN_MS: '0', TS_NODE_PROJECT: path.resolve('tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const timer = setTimeout(() => reject(new Error(`${env.SERVICE_NAME} did not start: ${output.join('')}`)), 15000);
    child.stderr!.on('data', (d) => output.push(String(d)));
    child.stdout!.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        output.push(line);
        const entry = JSON.parse(line);
        if (entry.event === 'listening') {
          clearTimeout(timer);
          const hop = { process: child, port: entry.port, url: `http://127.0.0.1:${entry.port}`, output };
          running.push(hop);
          resolve(hop);
        }
      }
    });
  });
}

function get(url: string): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let raw = '';
        res.on('data', (c) => (raw += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(raw), ms: Date.now() - started }));
      })
      .on('error', reject);
  });
}

const exited = (hop: Hop) => new Promise<number | null>((resolve) => hop.process.on('exit', (code) => resolve(code)));

afterAll(() => running.forEach((h) => h.process.exitCode === null && h.process.kill('SIGKILL')));

describe('chain service on loopback, A→B→C', () => {
  let a: Hop, b: Hop, c: Hop;

  beforeAll(async () => {
    c = await start({ SERVICE_NAME: 'service-c' });
    b = await start({ SERVICE_NAME: 'service-b', NEXT_SERVICE_NAME: 'service-c', NEXT_SERVICE_URL: c.url, UPSTREAM_TIMEOUT_MS: '1000' });
    a = await start({ SERVICE_NAME: 'service-a', NEXT_SERVICE_NAME: 'service-b', NEXT_SERVICE_URL: b.url, UPSTREAM_TIMEOUT_MS: '3000' });
  }, 45000);

  test('GET / answers with the service name and message', async () => {
    expect(await get(`${a.url}/`)).toMatchObject({ status: 200, body: { service: 'service-a', message: 'Hello from service-a' } });
    expect((await get(`${c.url}/`)).body.service).toBe('service-c');
  });

  test('GET /call-b on A returns B\'s answer; the full name works too', async () => {
    expect(await get(`${a.url}/call-b`)).toMatchObject({ status: 200, body: { service: 'service-a', upstream: { service: 'service-b', message: 'Hello from service-b' } } });
    expect((await get(`${a.url}/call-service-b`)).body.upstream.service).toBe('service-b');
    expect(await get(`${a.url}/call-c`)).toMatchObject({ status: 404, body: { error: 'no_such_upstream' } });
  });

  test('GET /chain walks A→B→C', async () => {
    expect(await get(`${a.url}/chain`)).toEqual({
      status: 200,
      ms: expect.any(Number),
      body: { service: 'service-a', upstream: { service: 'service-b', upstream: { service: 'service-c', message: 'Hello from service-c' } } },
    });
  });

  test('health and readiness', async () => {
    expect(await get(`${b.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get(`${b.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await get(`${b.url}/nope`)).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('one JSON log line per request', async () => {
    await get(`${c.url}/`);
    const lines = c.output.map((l) => JSON.parse(l)).filter((e) => e.path === '/');
    expect(lines[lines.length - 1]).toMatchObject({ service: 'service-c', method: 'GET', status: 200, ms: expect.any(Number) });
  });

  test('with C down, A gets a clear 502 naming service-c from B, at once', async () => {
    c.process.kill('SIGTERM');
    expect(await exited(c)).toBe(0);
    const res = await get(`${a.url}/chain`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'upstream_error', service: 'service-a', upstream: 'service-b', status: 502 });
    const fromB = await get(`${b.url}/call-c`);
    expect(fromB).toMatchObject({ status: 502, body: { error: 'upstream_unreachable', service: 'service-b', upstream: 'service-c' } });
    expect(fromB.ms).toBeLessThan(1000);
  });
});

describe('an upstream that never answers', () => {
  test('returns 504 after the timeout instead of hanging', async () => {
    const sockets: import('net').Socket[] = [];
    const stuck = http.createServer(() => {
      /* accepts and never responds */
    });
    stuck.on('connection', (s) => sockets.push(s));
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', () => r()));
    const port = (stuck.address() as import('net').AddressInfo).port;
    const hop = await start({ SERVICE_NAME: 'service-x', NEXT_SERVICE_NAME: 'service-y', NEXT_SERVICE_URL: `http://127.0.0.1:${port}`, UPSTREAM_TIMEOUT_MS: '300' });
    const res = await get(`${hop.url}/call-y`);
    expect(res).toMatchObject({ status: 504, body: { error: 'upstream_timeout', upstream: 'service-y' } });
    expect(res.ms).toBeLessThan(5000);
    hop.process.kill('SIGTERM');
    await exited(hop);
    sockets.forEach((s) => s.destroy());
    stuck.close();
  }, 30000);
});

describe('graceful shutdown', () => {
  test('on SIGTERM readiness turns 503, the in-flight request completes, and the process exits 0', async () => {
    const slow = http.createServer((_req, res) => setTimeout(() => res.end(JSON.stringify({ service: 'slow', message: 'late' })), 800));
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
    const port = (slow.address() as import('net').AddressInfo).port;
    const hop = await start({ SERVICE_NAME: 'service-s', NEXT_SERVICE_NAME: 'service-slow', NEXT_SERVICE_URL: `http://127.0.0.1:${port}`, SHUTDOWN_GRACE_MS: '5000', SHUTDOWN_DRAIN_MS: '400' });
    const inFlight = get(`${hop.url}/call-slow`);
    await new Promise((r) => setTimeout(r, 200));
    const exit = exited(hop);
    hop.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(await get(`${hop.url}/readyz`)).toMatchObject({ status: 503, body: { status: 'shutting_down' } });
    expect(await inFlight).toMatchObject({ status: 200, body: { upstream: { message: 'late' } } });
    const started = Date.now();
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(hop.output.some((l) => l.includes('"event":"shutdown"'))).toBe(true);
    slow.close();
  }, 30000);
});

describe('image build-and-push script', () => {
  const { spawnSync } = require('child_process');
  const run = (...args: string[]) => spawnSync('bash', ['scripts/build-push-images.sh', ...args], { encoding: 'utf8', env: { ...process.env, PATH: '/usr/bin:/bin' } });

  test('requires the repository and refuses the mutable "latest" tag', () => {
    expect(run()).toMatchObject({ status: 2, stderr: expect.stringContaining('--repository is required') });
    const latest = run('--repository', '111111111111.dkr.ecr.us-west-2.amazonaws.com/meshdemo/chain-service', '--tag', 'latest');
    // Either the tool check or the tag check stops it; neither pushes anything.
    expect(latest.status).not.toBe(0);
    expect(latest.stderr).toMatch(/refusing tag 'latest'|is not installed|no Docker engine/);
  });
});
