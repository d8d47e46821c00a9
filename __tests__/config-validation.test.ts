import * as fs from 'fs';
import * as path from 'path';
import { validateConfig, loadConfig } from '../config/load';
import { ConfigError } from '../config/errors';
import { synthesize, synthesizeFromEnv } from '../stacks/synth';
import { demoWith, scratchDir } from './support/synth';

// Each case: a bad config and the parts its message must carry (the field, the bad value, the fix).
const CASES: Array<[string, (c: any) => void, RegExp[]]> = [
  ['malformed CIDR', (c) => (c.accounts[0].vpc.cidr = '10.300.0.0/16'), [/accounts\[0\]\.vpc\.cidr/, /10\.300\.0\.0\/16/, /not IPv4 CIDR/, /Fix:/]],
  ['CIDR with host bits set', (c) => (c.accounts[0].vpc.cidr = '10.192.5.0/16'), [/accounts\[0\]\.vpc\.cidr/, /host bits/, /Fix:/]],
  ['overlapping CIDRs', (c) => (c.accounts[1].vpc.cidr = '10.192.128.0/17'), [/accounts\[1\]\.vpc\.cidr/, /overlaps accounts\[0\]\.vpc\.cidr "10\.192\.0\.0\/16" \(frontend\)/, /Fix: give backend a range/]],
  ['public VPC range', (c) => (c.accounts[1].vpc.cidr = '8.8.0.0/16'), [/accounts\[1\]\.vpc\.cidr/, /not a private range/, /Fix:/]],
  ['VPC too small for its subnets', (c) => (c.accounts[1].vpc.cidr = '10.193.0.0/26'), [/accounts\[1\]\.vpc\.cidr/, /cannot hold 2 AZs/, /Fix:/]],
  ['account id not 12 digits', (c) => (c.accounts[1].id = '12345'), [/accounts\[1\]\.id/, /"12345"/, /12-digit/, /Fix:/]],
  ['duplicate account name', (c) => (c.accounts[1].name = 'frontend'), [/accounts\[1\]\.name/, /"frontend" is used by accounts\[0\]/, /Fix:/]],
  ['duplicate account id', (c) => { c.accounts[1].id = '111111111111'; c.accounts[1].roleArn = 'arn:aws:iam::111111111111:role/x'; }, [/accounts\[1\]\.id/, /"111111111111" is used by accounts\[0\] \(frontend\)/, /Fix:/]],
  ['unknown mesh owner', (c) => (c.mesh.owner = 'shared-services'), [/mesh\.owner/, /"shared-services" is not defined/, /Fix: use one of frontend, backend/]],
  ['unknown account in the catalog', (c) => (c.catalog = [{ name: 'web', account: 'nowhere', port: 80, protocol: 'http' }]), [/catalog\[0\]\.account/, /"nowhere"/, /Fix:/]],
  ['unknown state bucket account', (c) => (c.backend = { type: 's3', bucket: 'my-state', region: 'us-west-2', account: 'ops' }), [/backend\.account/, /"ops"/, /Fix:/]],
  ['more AZs than the region has', (c) => (c.accounts[0].vpc.azCount = 6), [/accounts\[0\]\.vpc\.azCount/, /6 AZs requested but us-west-2 has 4/, /Fix: set azCount to at most 4/]],
  ['Kubernetes version EKS does not offer', (c) => (c.accounts[0].cluster.version = '1.12'), [/accounts\[0\]\.cluster\.version/, /"1\.12" is not one Amazon EKS offers/, /Fix: use one of/]],
  ['min > desired', (c) => (c.accounts[0].cluster.minSize = 3), [/accounts\[0\]\.cluster\.desiredSize/, /minSize 3, desiredSize 2, maxSize 4/, /Fix: make minSize <= desiredSize <= maxSize/]],
  ['desired > max', (c) => (c.accounts[0].cluster.desiredSize = 9), [/accounts\[0\]\.cluster\.desiredSize/, /desiredSize 9/, /Fix:/]],
  ['no public CIDRs and no private access', (c) => { c.accounts[0].cluster.publicAccessCidrs = []; c.accounts[0].cluster.privateAccess = false; }, [/accounts\[0\]\.cluster\.publicAccessCidrs/, /nothing could reach the Kubernetes API/, /Fix:/]],
  ['malformed public access CIDR', (c) => (c.accounts[0].cluster.publicAccessCidrs = ['203.0.113.0/33']), [/accounts\[0\]\.cluster\.publicAccessCidrs\[0\]/, /203\.0\.113\.0\/33/, /Fix:/]],
  ['role in another account', (c) => (c.accounts[1].roleArn = 'arn:aws:iam::111111111111:role/deployer'), [/accounts\[1\]\.roleArn/, /is in account 111111111111, not 222222222222/, /Fix:/]],
  ['no way to administer the cluster', (c) => delete c.accounts[1].roleArn, [/accounts\[1\]\.cluster\.adminPrincipalArns/, /Fix: set roleArn/]],
  ['unknown region', (c) => (c.region = 'mars-north-1'), [/region/, /"mars-north-1"/, /Fix: use one of/]],
  ['single account', (c) => c.accounts.pop(), [/accounts/, /at least two accounts/, /Fix:/]],
  ['misspelled key', (c) => (c.accounts[0].vpc.cidrBlock = '10.0.0.0/16'), [/accounts\[0\]\.vpc/, /cidrBlock/]],
  ['unknown backend service', (c) => (c.catalog = [{ name: 'web', account: 'frontend', port: 80, protocol: 'http', backends: ['api'] }]), [/catalog\[0\]\.backends\[0\]/, /"api" is not a service/, /Fix:/]],
  ['duplicate service name', (c) => (c.catalog = [svc('web'), svc('web')]), [/catalog\[1\]\.name/, /"web" is defined twice/, /Fix:/]],
  ['service name not a DNS-1123 label', (c) => (c.catalog = [svc('Web_UI')]), [/catalog\[0\]\.name/, /"Web_UI"/, /DNS-1123/, /Fix:/]],
  ['port out of range', (c) => (c.catalog = [svc('web', { port: 70000 })]), [/catalog\[0\]\.port/, /70000 is out of range/, /Fix:/]],
  ['port clashing with Envoy', (c) => (c.catalog = [svc('web', { port: 15001 })]), [/catalog\[0\]\.port/, /15001 clashes with the Envoy sidecar/, /Fix:/]],
  ['weights not summing to 100', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 20 }] })]), [/catalog\[0\]\.versions/, /v1: 90, v2: 20 sum to 110/, /Fix:/]],
  ['tcp service with http retry events', (c) => (c.catalog = [svc('db', { protocol: 'tcp', traffic: { retries: { attempts: 2, perTryTimeoutMs: 100, httpEvents: ['server-error'] } } })]), [/catalog\[0\]\.traffic\.retries\.httpEvents/, /only apply to HTTP/, /Fix:/]],
  ['public service that is not http', (c) => (c.catalog = [svc('db', { protocol: 'tcp', exposure: 'public' })]), [/catalog\[0\]\.exposure/, /speaks HTTP, but the service is tcp/, /Fix:/]],
  ['unpinned image', (c) => (c.catalog = [svc('web', { image: 'nginx:latest' })]), [/catalog\[0\]\.image/, /"nginx:latest" is not pinned/, /Fix:/]],
  ['service calling itself', (c) => (c.catalog = [svc('web', { backends: ['web'] })]), [/catalog\[0\]\.backends\[0\]/, /the service itself/, /Fix:/]],
  ['calls forming a cycle across accounts (Lattice)', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('a', { backends: ['b'] }), svc('b', { account: 'backend', backends: ['a'] })]; }, [/catalog: calls form a cycle across accounts: frontend → backend → frontend/, /mesh\.engine "lattice"/, /Fix:/]],
  ['backend with no network path', (c) => {
    c.mesh.engine = 'appmesh';
    c.accounts.push({ ...structuredClone(c.accounts[1]), name: 'data', id: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/d', vpc: { cidr: '10.194.0.0/16', azCount: 2 } });
    c.network = { peering: 'owner-only' };
    c.catalog = [svc('api', { account: 'backend', backends: ['db'] }), svc('db', { account: 'data', protocol: 'tcp' })];
  }, [/catalog\[0\]\.backends\[0\]/, /"db" runs in data, which has no network path from backend/, /Fix: set network\.peering to "auto"/]],
  ['Lattice: Cloud Map discovery', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('api', { discovery: 'cloudmap' })]; }, [/catalog\[0\]\.discovery/, /"cloudmap" has no meaning with VPC Lattice/, /Fix:/]],
  ['Lattice: tcp called across accounts', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('app', { backends: ['db'] }), svc('db', { account: 'backend', protocol: 'tcp' })]; }, [/catalog\[1\]\.protocol/, /tcp service db is called from another account/, /Fix:/]],
  ['App Mesh with peering off and a cross-account call', (c) => { c.mesh.engine = 'appmesh'; c.network = { peering: 'none' }; c.catalog = [svc('app', { backends: ['api'] }), svc('api', { account: 'backend' })]; }, [/catalog\[0\]\.backends\[0\]/, /network\.peering is "none"/, /Fix: set network\.peering to "auto"/]],
  ['unknown engine', (c) => (c.mesh.engine = 'istio'), [/mesh\.engine/, /"istio" is not a mesh engine/, /Fix: use "lattice" or "appmesh"/]],
  ['waiver of an unknown control', (c) => (c.policy = { waivers: [{ control: 'no-root', resource: 'workloads-backend/deployment-yelb-db', reason: 'the image insists on starting as root' }] }), [/policy\.waivers\[0\]\.control/, /"no-root" is not a policy control/, /Fix: use one of eks-secrets-encryption/]],
  ['waiver without a real reason', (c) => (c.policy = { waivers: [{ control: 'container-non-root-limits', resource: 'workloads-backend/deployment-yelb-db', reason: 'needed' }] }), [/policy\.waivers\[0\]\.reason/, /too short to explain a security exception/, /Fix:/]],
  // Image references and instance types, checked with the config.
  ['image that is not a reference (upper case, "!")', (c) => (c.catalog = [svc('web', { image: 'ghcr.io/Acme/API:1.4.0!' })]), [/catalog\[0\]\.image/, /"ghcr\.io\/Acme\/API:1\.4\.0!" is not an image reference/, /lowercase/, /Fix:/]],
  ['image with a space, on versions[1]', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'ghcr.io/acme/api: 1.4.0' }] })]), [/catalog\[0\]\.versions\[1\]\.image/, /"ghcr\.io\/acme\/api: 1\.4\.0" is not an image reference/, /whitespace/, /Fix:/]],
  ['unpinned image on versions[1]', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'app:latest' }] })]), [/catalog\[0\]\.versions\[1\]\.image: "app:latest" is not pinned/, /Fix: add a specific tag or a digest, e\.g\. "app:1\.2\.3"/]],
  ['Graviton and x86 instance types in one node group', (c) => (c.accounts[0].cluster.instanceTypes = ['m6i.large', 'm7g.large']), [/accounts\[0\]\.cluster\.instanceTypes\[1\]/, /"m7g\.large" is arm64 but "m6i\.large" \(instanceTypes\[0\]\) is x86_64/, /Fix: list instance types of one architecture/]],
  ['instance family missing from the architecture table', (c) => (c.accounts[1].cluster.instanceTypes = ['zz9.large']), [/accounts\[1\]\.cluster\.instanceTypes\[0\]/, /"zz9\.large" is not an EC2 instance family/, /Fix: .*add "zz9"/]],
  // Derived names, checked at synth against limits/table.ts.
  ['service name that cannot be a Kubernetes Service', (c) => (c.catalog = [svc('2fa-cache')]), [/catalog\[0\]\.name/, /"2fa-cache" is the Kubernetes Service name \(DNS-1035 label\)/, /starting with a letter/, /Fix: change catalog\[0\]\.name/]],
  ['mesh name that is no Lattice service network or Gateway name', (c) => (c.mesh.name = 'Yelb_Mesh'), [/mesh\.name: "Yelb_Mesh" is the VPC Lattice service network name/, /mesh\.name: "Yelb_Mesh" is the Kubernetes Gateway name/, /Fix: change mesh\.name accordingly, e\.g\. "yelb-mesh"/]],
  ['mesh name that is no Kubernetes Mesh name (App Mesh)', (c) => { c.mesh.engine = 'appmesh'; c.mesh.name = 'Yelb_Mesh'; }, [/mesh\.name: "Yelb_Mesh" is the Kubernetes Mesh name \(DNS-1123 subdomain\)/, /Fix: change mesh\.name accordingly, e\.g\. "yelb-mesh"/]],
  ['mesh name past the Lattice limit', (c) => (c.mesh.name = `${'yelb-mesh-'.repeat(6)}prod`), [/mesh\.name: "yelb-mesh-yelb…h-prod"/, /VPC Lattice service network name, which is 64 characters; the limit is 63/, /Fix: shorten mesh\.name by 1 character$/m]],
  ['versioned Service name past 63', (c) => (c.catalog = [svc('web-'.repeat(10) + 'w', { versions: [{ name: 'canary-'.repeat(3) + 'x', weight: 100 }] })]), [/catalog\[0\]\.versions\[0\]\.name: "canary-canary-canary-x"/, /with catalog\[0\]\.name "web-web-web-we…-web-w" \(41 chars\)/, /Kubernetes Service name \(DNS-1035 label\)/, /64 characters; the limit is 63/, /Fix: shorten them by 1 character in total/]],
  ['project image whose ECR repository name ECR refuses', (c) => (c.catalog = [svc('web', { image: 'project/my--api:1.0' })]), [/catalog\[0\]\.image: "my--api" with project "meshdemo"/, /ECR repository name "meshdemo\/my--api"/, /Fix: change catalog\[0\]\.image accordingly, e\.g\. "project\/my-api:1\.0"/]],
  ['Lattice: a called service whose Lattice name would start with "svc-"', (c) => (c.catalog = [svc('svc-pay', { account: 'backend', healthCheck: HTTP_CHECK }), svc('web', { port: 8000, backends: ['svc-pay'] })]), [/catalog\[0\]\.name: "svc-pay" with mesh\.namespace or mesh\.name "yelb"/, /VPC Lattice service name "svc-pay-yelb"/, /not starting "svc-"/, /Fix: change catalog\[0\]\.name/]],
  ['Lattice: two called services that share their first 20 characters', (c) => (c.catalog = [svc('payments-service-api-a', { account: 'backend', healthCheck: HTTP_CHECK }), svc('payments-service-api-b', { account: 'backend', port: 8081, healthCheck: HTTP_CHECK }), svc('web', { port: 8000, backends: ['payments-service-api-a', 'payments-service-api-b'] })]), [/catalog: catalog\[0\]\.name and catalog\[1\]\.name/, /names both Lattice services "payments-service-api-yelb"/, /Fix: make the names differ within their first 20 characters/]],
  // Lattice layouts whose signing proxy cannot get its loopback port.
  ['Lattice: a caller and its backend on one port', (c) => (c.catalog = [svc('api', { account: 'backend', healthCheck: HTTP_CHECK }), svc('web', { backends: ['api'] })]), [/catalog\[1\]\.backends\[0\]: "api" serves on 8080, the port web itself listens on/, /signing proxy cannot listen on 127\.0\.0\.1:8080/, /Fix: give api or web another port/]],
  ['Lattice: two backends of one caller on one port', (c) => (c.catalog = [svc('a', { account: 'backend', port: 9000, healthCheck: HTTP_CHECK }), svc('b', { account: 'backend', port: 9000, healthCheck: HTTP_CHECK }), svc('web', { backends: ['a', 'b'] })]), [/catalog\[2\]\.backends\[1\]: "b" serves on 9000 like "a" \(backends\[0\]\)/, /needs a 127\.0\.0\.1 port of its own for each/, /Fix: give b or a another port/]],
];

const HTTP_CHECK = { type: 'http', path: '/healthz' };

function svc(name: string, extra: Record<string, unknown> = {}) {
  return { name, account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', ...extra };
}

/** What a config stops with: validation, then (for a valid config) the synth-time name limits. */
function errorOf(input: unknown): unknown {
  try {
    const config = validateConfig(input);
    const dir = scratchDir('mesh-case-');
    synthesize(config, { offlinePlan: false, stateDir: path.join(dir, 'state') }, path.join(dir, 'cdktf.out'), () => {});
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('config validation: every case names the field, the value and the fix', () => {
  test.each(CASES)('%s', (_name, change, expected) => {
    const error = errorOf(demoWith(change));
    expect(error).toBeInstanceOf(ConfigError);
    for (const pattern of expected) expect((error as Error).message).toMatch(pattern);
    // A message a person reads, not a stack trace.
    expect((error as Error).message).not.toMatch(/\n\s+at /);
  });

  test('every problem is reported at once, not one per run', () => {
    expect(() =>
      validateConfig(demoWith((c) => {
        c.accounts[0].id = '1';
        c.accounts[1].vpc.cidr = '10.192.0.0/16';
      })),
    ).toThrow(/accounts\[0\]\.id[\s\S]*/);
    try {
      validateConfig(demoWith((c) => { c.accounts[0].cluster.minSize = 9; c.accounts[1].vpc.cidr = '10.192.0.0/16'; }));
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.path.join('.'))).toEqual(['accounts.1.vpc.cidr', 'accounts.0.cluster.desiredSize']);
    }
  });

  test('the demo config is valid', () => {
    expect(validateConfig(demoWith()).accounts.map((a) => a.name)).toEqual(['frontend', 'backend']);
  });

  test('MESH_CONFIG loads a YAML file, and a missing file is a clear error', () => {
    const dir = scratchDir('mesh-cfg-');
    const file = path.join(dir, 'mesh.yaml');
    fs.writeFileSync(file, `region: us-west-2\naccounts: ${JSON.stringify(demoWith().accounts)}\nmesh: { owner: backend, name: prod }\n`);
    expect(loadConfig({ MESH_CONFIG: file }).mesh.owner).toBe('backend');
    expect(() => loadConfig({ MESH_CONFIG: path.join(dir, 'nope.yaml') })).toThrow(/MESH_CONFIG: file ".*nope\.yaml" does not exist\. Fix:/);
    fs.writeFileSync(file, 'region: [unclosed');
    expect(() => loadConfig({ MESH_CONFIG: file })).toThrow(/MESH_CONFIG: ".*mesh\.yaml" is not valid YAML or JSON .*Fix:/);
  });
});

describe('every bad input leaves an existing cdktf.out untouched', () => {
  const dir = scratchDir('mesh-corpus-');
  const outdir = path.join(dir, 'cdktf.out');
  const settings = { MESH_STATE_DIR: path.join(dir, 'state'), CDKTF_OUTDIR: outdir };

  beforeAll(() => synthesizeFromEnv(settings));

  test.each(CASES)('%s', (name, change) => {
    const before = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(demoWith(change)));
    expect(() => synthesizeFromEnv({ ...settings, MESH_CONFIG: file })).toThrow(ConfigError);
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });
});

describe('a failed synth leaves no partial output', () => {
  test('an error while building stacks removes the staging folder and keeps the previous output', () => {
    const dir = scratchDir('mesh-atomic-');
    const outdir = path.join(dir, 'cdktf.out');
    const settings = { offlinePlan: false, stateDir: path.join(dir, 'state') };
    const good = validateConfig(demoWith());
    synthesize(good, settings, outdir);
    const before = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    // A config that passed validation but breaks during construction (a stack-level error).
    const broken = { ...good, accounts: good.accounts.map((a) => ({ ...a, cluster: { ...a.cluster, version: '0.0' as any } })) };
    expect(() => synthesize(broken, settings, outdir)).toThrow();
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('main.ts exits non-zero on a bad config and writes no cdktf.out', () => {
    const { spawnSync } = require('child_process');
    const dir = scratchDir('mesh-main-');
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(demoWith((c) => (c.accounts[1].vpc.cidr = '10.192.0.0/16'))));
    const run = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.resolve('main.ts')], {
      cwd: dir,
      env: { ...process.env, MESH_CONFIG: file, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), TS_NODE_PROJECT: path.resolve('tsconfig.json') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/accounts\[1\]\.vpc\.cidr: "10\.192\.0\.0\/16" overlaps/);
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });
});
