import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { synthConfig, demoWith } from './support/synth';
import { signerPods, signingOf, deployedDomain } from './support/signer';

// One call from yelb-ui's nginx to yelb-appserver, through the signer as synthesized, signed and
// verified with AWS's maintained SigV4 implementation (@smithy/signature-v4). Envoy's order is
// followed: the connection manager adds its headers, the signing filter sets the Host from
// host_rewrite, adds x-amz-content-sha256 and signs every header it does not exclude
// (source/extensions/common/aws/signer_base_impl.cc, utility.cc canonicalizeHeaders), then the
// router applies any route Host rewrite and the tracer writes its span into traceparent. The
// verifier does what VPC Lattice does: recompute the signature over the request it receives,
// using the headers the Authorization header names.

const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLEPODIDENTITY', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'pod-identity-session-token' };
const SIGNED_AT = new Date('2026-03-01T12:00:00Z');
type Headers = Record<string, string>;
interface Request { method: string; path: string; headers: Headers }

const app = synthConfig(demoWith());
const yelbUi = signerPods(app).find((p) => p.deployment === 'yelb-ui')!;
const listener = yelbUi.envoy.static_resources.listeners.find((l: any) => l.name === 'yelb-appserver');
const filter = signingOf(listener);
/** The backend's custom domain, which the bootstrap names literally. */
const latticeDomain = deployedDomain(app, filter.host_rewrite);
/** The filter's config as deployed. */
const deployed = { ...filter, host_rewrite: latticeDomain };

/** Envoy excludes these whatever the config says (aws_request_signing_filter.rst). */
const ENVOY_DEFAULT_EXCLUSIONS = [{ exact: 'x-forwarded-for' }, { exact: 'x-forwarded-proto' }, { exact: 'x-amzn-trace-id' }];
const matches = (name: string, m: { exact?: string; prefix?: string }) => {
  if (m.exact !== undefined) return name === m.exact;
  if (m.prefix !== undefined) return name.startsWith(m.prefix);
  throw new Error(`matcher not modelled here: ${JSON.stringify(m)}`);
};

const sigv4 = (region: string, service: string) => new SignatureV4({ credentials: CREDENTIALS, region, service, sha256: Sha256 });

/** What leaves the signer for Lattice, given the signing filter's config and an optional route Host rewrite. */
async function envoySends(config: { host_rewrite?: string; use_unsigned_payload: boolean; match_excluded_headers: any[]; region: string; service_name: string }, routeHostRewrite?: string): Promise<Request> {
  // nginx's proxy_pass to http://yelb-appserver:4567 and the trace context the app passes on.
  const headers: Headers = { host: 'yelb-appserver:4567', 'user-agent': 'nginx/1.17.10', accept: 'application/json', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  // Connection manager, before any filter.
  Object.assign(headers, { 'x-forwarded-proto': 'http', 'x-request-id': '3e1f6c1a-8a9b-4a51-9a65-0b6f3c1d2e4f' });
  // Signing filter.
  if (config.host_rewrite) headers.host = config.host_rewrite;
  if (config.use_unsigned_payload) headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const excluded = [...ENVOY_DEFAULT_EXCLUSIONS, ...config.match_excluded_headers];
  const toSign = Object.fromEntries(Object.entries(headers).filter(([name]) => !excluded.some((m) => matches(name, m))));
  const signed = await sigv4(config.region, config.service_name).sign(
    { method: 'GET', protocol: 'http:', hostname: headers.host, path: '/api/getvotes', query: {}, headers: toSign },
    { signingDate: SIGNED_AT, signableHeaders: new Set(Object.keys(toSign)) },
  );
  const sent: Headers = { ...headers, ...signed.headers };
  // Router and tracer, after the filter.
  if (routeHostRewrite) sent.host = routeHostRewrite;
  sent['x-envoy-expected-rq-timeout-ms'] = '15000';
  sent.traceparent = '00-0af7651916cd43dd8448eb211c80319c-53995c3f42cd8ad8-01';
  return { method: 'GET', path: '/api/getvotes', headers: sent };
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/**
 * VPC Lattice's side: recompute over the received request; accept only an identical signature
 * for its own service and for the region the Lattice service lives in (the config's region; the
 * Host is the service's custom domain, which names no region).
 */
async function latticeAccepts(received: Request): Promise<boolean> {
  const auth = AUTHORIZATION.exec(received.headers.authorization ?? '');
  if (!auth) return false;
  const [, , , region, service, signedHeaders] = auth;
  if (service !== 'vpc-lattice-svcs' || region !== app.config.region) return false;
  const names = signedHeaders.split(';');
  if (names.some((n) => received.headers[n] === undefined)) return false;
  const headers = Object.fromEntries(names.map((n) => [n, received.headers[n]]));
  const date = received.headers['x-amz-date'].replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z');
  const again = await sigv4(region, service).sign(
    { method: received.method, protocol: 'http:', hostname: received.headers.host, path: received.path, query: {}, headers },
    { signingDate: new Date(date), signableHeaders: new Set(names) },
  );
  return again.headers.authorization === received.headers.authorization;
}

describe('SigV4 over what the signer sends', () => {
  test('the synthesized config yields a request VPC Lattice verifies, signed for its domain', async () => {
    expect(latticeDomain).toBe('yelb-appserver.backend.meshdemo.lattice.internal');
    const sent = await envoySends(deployed);
    expect(sent.headers.host).toBe(latticeDomain);
    expect(sent.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const signedHeaders = AUTHORIZATION.exec(sent.headers.authorization)![5].split(';');
    expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']));
    expect(signedHeaders).not.toEqual(expect.arrayContaining(['traceparent']));
    await expect(latticeAccepts(sent)).resolves.toBe(true);
  });

  test("the old layout, a route rewrite after the filter signed the caller's Host, is rejected", async () => {
    const { host_rewrite, ...withoutFilterRewrite } = deployed;
    const sent = await envoySends(withoutFilterRewrite, host_rewrite);
    expect(sent.headers.host).toBe(latticeDomain);
    await expect(latticeAccepts(sent)).resolves.toBe(false);
  });

  test('without the exclusions the trace context the tracer rewrites breaks the signature', async () => {
    await expect(latticeAccepts(await envoySends({ ...deployed, match_excluded_headers: [] }))).resolves.toBe(false);
  });

  test('the verifier is strict: one changed signed header, or another region, fails', async () => {
    const sent = await envoySends(deployed);
    await expect(latticeAccepts(sent)).resolves.toBe(true);
    await expect(latticeAccepts({ ...sent, headers: { ...sent.headers, accept: 'text/html' } })).resolves.toBe(false);
    await expect(latticeAccepts(await envoySends({ ...deployed, region: 'us-east-1' }))).resolves.toBe(false);
  });
});
