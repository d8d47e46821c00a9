import * as fs from 'fs';
import * as path from 'path';
import { validateConfig, loadConfig } from '../app/config';
import { ConfigError, MAX_PROBLEM_LINE } from '../config/errors';
import { synthesize, synthesizeFromEnv } from '../app/synth';
import { demoWith, scratchDir } from './support/synth';
import { renamedAccounts, yamlWith } from './support/yaml-config';

/**
 * A bad input: a change to the demo config (validated as an object), YAML text (loaded from a
 * file, where YAML's own traps live), or a MESH_CONFIG value made in a scratch folder.
 */
type BadInput = ((c: any) => void) | { yaml: string } | { meshConfig: (dir: string) => string };

const HTTP_CHECK = { type: 'http', path: '/healthz' };

const CASES: Array<[string, BadInput, RegExp[]]> = [
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
  ['health check timeout not shorter than its interval', (c) => (c.catalog = [svc('web', { healthCheck: { type: 'http', path: '/healthz', intervalSeconds: 5, timeoutSeconds: 5 } })]), [/catalog\[0\]\.healthCheck\.timeoutSeconds/, /5 is not shorter than intervalSeconds 5/, /Fix:/]],
  ['Lattice: a called service without an http health check', (c) => { c.catalog = [svc('app', { backends: ['api'] }), svc('api', { account: 'backend', healthCheck: { type: 'tcp' } })]; }, [/catalog\[1\]\.healthCheck\.type/, /"tcp": api is called through VPC Lattice, which health-checks its targets over HTTP only/, /Fix: give api healthCheck \{ type: "http"/]],
  ['backend with no network path', (c) => {
    c.mesh.engine = 'appmesh';
    c.accounts.push({ ...structuredClone(c.accounts[1]), name: 'data', id: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/d', vpc: { cidr: '10.194.0.0/16', azCount: 2 } });
    c.network = { peering: 'owner-only' };
    c.catalog = [svc('api', { account: 'backend', backends: ['db'] }), svc('db', { account: 'data', protocol: 'tcp' })];
  }, [/catalog\[0\]\.backends\[0\]/, /"db" runs in data, which has no network path from backend/, /Fix: set network\.peering to "auto"/]],
  ['Lattice: Cloud Map discovery', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('api', { discovery: 'cloudmap' })]; }, [/catalog\[0\]\.discovery/, /"cloudmap" has no meaning with VPC Lattice/, /Fix:/]],
  ['Lattice: tcp called across accounts', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('app', { backends: ['db'] }), svc('db', { account: 'backend', protocol: 'tcp' })]; }, [/catalog\[1\]\.protocol/, /tcp service db is called from another account/, /Fix:/]],
  ['Lattice: a backend on the port its caller serves', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('app', { backends: ['api'] }), svc('api', { account: 'backend' })]; }, [/catalog\[0\]\.backends\[0\]/, /"api" serves on 8080, the port app itself listens on/, /NET_ADMIN/, /Fix: serve api or app on another port/]],
  ['Lattice: a backend on the signing proxy\'s metrics port', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('app', { backends: ['api'] }), svc('api', { account: 'backend', port: 15090 })]; }, [/catalog\[0\]\.backends\[0\]/, /"api" serves on 15090, the port of the signing proxy's metrics listener in app's pod/, /Fix: serve api on another port/]],
  ['Lattice: a caller on the signing proxy\'s metrics port', (c) => { c.mesh.engine = 'lattice'; c.catalog = [svc('app', { port: 15090, backends: ['api'] }), svc('api', { account: 'backend', port: 9000 })]; }, [/catalog\[0\]\.port/, /15090 is the port of the Lattice signing proxy's metrics listener/, /Fix: serve app on another port/]],
  ['App Mesh with peering off and a cross-account call', (c) => { c.mesh.engine = 'appmesh'; c.network = { peering: 'none' }; c.catalog = [svc('app', { backends: ['api'] }), svc('api', { account: 'backend' })]; }, [/catalog\[0\]\.backends\[0\]/, /network\.peering is "none"/, /Fix: set network\.peering to "auto"/]],
  ['unknown engine', (c) => (c.mesh.engine = 'linkerd'), [/mesh\.engine/, /"linkerd" is not a mesh engine/, /Fix: use "lattice", "appmesh" or "istio"/]],
  ['waiver of an unknown control', (c) => (c.policy = { waivers: [{ control: 'no-root', resource: 'workloads-backend/deployment-yelb-db', reason: 'the image insists on starting as root' }] }), [/policy\.waivers\[0\]\.control/, /"no-root" is not a policy control/, /Fix: use one of eks-secrets-encryption/]],
  ['waiver without a real reason', (c) => (c.policy = { waivers: [{ control: 'container-non-root-limits', resource: 'workloads-backend/deployment-yelb-db', reason: 'needed' }] }), [/policy\.waivers\[0\]\.reason/, /too short to explain a security exception/, /Fix:/]],
  // Inside a YAML catalog: each names the exact path, the value in short form and the fix.
  ['YAML: a retry event that is an HTTP status class', { yaml: yamlWith(['    protocol: http\n    healthCheck: { type: http, path: /healthz }\n', '    protocol: http\n    healthCheck: { type: http, path: /healthz }\n    traffic: { retries: { attempts: 2, perTryTimeoutMs: 500, httpEvents: [gateway-error, 5xx] } }\n']) }, [/catalog\[1\]\.traffic\.retries\.httpEvents\[1\] \(line \d+, column \d+\): "5xx" is not a retry event/, /Fix: use server-error \(500-511\)/]],
  ['YAML: a quoted port', { yaml: yamlWith(['port: 9000', 'port: "9000"']) }, [/catalog\[1\]\.port \(line 28, column 11\): "9000" is text; port takes a number/, /Fix: write it without quotes: port: 9000/]],
  ['YAML: a protocol in capitals', { yaml: yamlWith(['protocol: http\n    exposure', 'protocol: HTTP\n    exposure']) }, [/catalog\[0\]\.protocol \(line \d+, column \d+\): "HTTP" is not one of http, http2, grpc, tcp/, /Fix: use "http"/]],
  ['YAML: an env value written as a number', { yaml: yamlWith(['    backends: [api]\n', '    backends: [api]\n    env: { WORKERS: 4 }\n']) }, [/catalog\[0\]\.env\.WORKERS \(line \d+, column \d+\): 4 is a number; WORKERS takes text/, /Fix: quote it: WORKERS: "4"/]],
  ['YAML: an env value that YAML changes', { yaml: yamlWith(['    backends: [api]\n', '    backends: [api]\n    env: { RATIO: 1.50 }\n']) }, [/catalog\[0\]\.env\.RATIO \(line \d+, column \d+\): 1\.50 is read by YAML as the number 1\.5/, /Fix: quote it: RATIO: "1\.50"/]],
  ['YAML: a CPU limit without its unit', { yaml: yamlWith(['port: 9000', 'port: 9000\n    limits: { cpu: 500, memory: 256Mi }']) }, [/catalog\[1\]\.limits\.cpu \(line \d+, column \d+\): 500 is a number; a quantity is quoted text with its unit/, /Fix: e\.g\. cpu: "500m"/]],
  ['YAML: a service without its port', { yaml: yamlWith(['    port: 9000\n', '']) }, [/catalog\[1\]\.port \(line \d+, column \d+\): is missing; it takes a number/, /Fix: add port/]],
  ['YAML: a traffic policy in the wrong shape', { yaml: yamlWith(['    backends: [api]\n', '    backends: [api]\n    traffic: { timeout: 3s, retries: 3 }\n']) }, [/catalog\[0\]\.traffic\.timeout \(line \d+, column \d+\): "timeout" is not a known key; did you mean "timeoutMs"\? Fix: rename timeout to timeoutMs/, /catalog\[0\]\.traffic\.retries \(line \d+, column \d+\): 3 is a number; retries takes a mapping with attempts, perTryTimeoutMs\. Fix: write retries as a mapping/]],
  ['YAML: a mistyped top-level key', { yaml: yamlWith(['tags:', 'tag:']) }, [/\n  - tag \(line 15, column 6\): "tag" is not a known key; did you mean "tags"\? Fix: rename tag to tags/]],
  ['YAML: a mistyped cluster key', { yaml: yamlWith(['instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }', 'instanceType: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }']) }, [/accounts\[1\]\.cluster\.instanceType \(line 13, column \d+\): "instanceType" is not a known key; did you mean "instanceTypes"\?/, /Fix: rename instanceType to instanceTypes/]],
  ['YAML: an account id that loses its leading zero', { yaml: yamlWith(['id: "111111111111"', 'id: 011111111111']) }, [/accounts\[0\]\.id \(line 5, column 9\): 011111111111 is read by YAML as the number 11111111111/, /must be quoted\. Fix: quote it: id: "011111111111"/]],
  ['YAML: a version that YAML shortens', { yaml: yamlWith(['version: "1.35", instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }', 'version: 1.30, instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }']) }, [/accounts\[1\]\.cluster\.version \(line 13, column \d+\): 1\.30 is read by YAML as the number 1\.3, not as the text "1\.30"/, /Fix: quote it: version: "1\.30"/]],
  ['YAML: an unknown catalog name', { yaml: yamlWith([/catalog:[\s\S]*$/, 'catalog: chian\n']) }, [/catalog \(line \d+, column \d+\): "chian" is not a catalog\. Fix: did you mean chain\?/]],
  ['YAML: a shipped catalog on accounts it was not written for', { yaml: renamedAccounts(yamlWith([/catalog:[\s\S]*$/, 'catalog: chain\n']), { frontend: 'edge', backend: 'middle' }) }, [/catalog \(line \d+, column \d+\): the shipped catalog "chain" runs in account "frontend" and "backend", which this config does not define/, /Fix: place it on your accounts: catalog: \{ name: chain, placement: \{ service-a: edge, service-b: middle, service-c: middle \} \}/]],
  ['YAML: a placement on an unknown account', { yaml: renamedAccounts(yamlWith([/catalog:[\s\S]*$/, 'catalog: { name: chain, placement: { service-a: edge, service-b: midle, service-c: middle } }\n']), { frontend: 'edge', backend: 'middle' }) }, [/catalog\.placement\.service-b \(line \d+, column \d+\): account "midle" is not defined/, /Fix: use one of edge, middle \("middle" is closest\)/]],
  ['YAML: a placement of a service the catalog lacks', { yaml: yamlWith([/catalog:[\s\S]*$/, 'catalog: { name: chain, placement: { service-d: backend } }\n']) }, [/catalog\.placement\.service-d \(line \d+, column \d+\): "service-d" is not a service of the shipped catalog "chain"/, /Fix: place one of service-a, service-b, service-c/]],
  ['YAML: a health check type with a typo', { yaml: yamlWith(['healthCheck: { type: http, path: /healthz }\n    backends', 'healthCheck: { type: htp, path: /healthz }\n    backends']) }, [/catalog\[0\]\.healthCheck\.type \(line \d+, column \d+\): "htp" is not one of http, tcp\. Fix: use "http"/]],
  ['YAML: runAs with a user name instead of an id', { yaml: yamlWith(['    backends: [api]\n', '    backends: [api]\n    runAs: { nonRoot: true, user: nginx, readOnlyRootFilesystem: true }\n']) }, [/catalog\[0\]\.runAs\.user \(line \d+, column \d+\): "nginx" is text; user takes a number/, /Fix:/]],
  ['YAML: the state bucket account given as an id', { yaml: yamlWith(['tags:', 'backend: { type: s3, bucket: acme-state, region: us-west-2, account: 222222222222 }\ntags:']) }, [/backend\.account \(line \d+, column \d+\): "222222222222" is the id of account backend, and this field takes an account's name/, /Fix: write account: backend/]],
  ['state bucket account given as a quoted id', (c) => (c.backend = { type: 's3', bucket: 'my-state', region: 'us-west-2', account: '111111111111' }), [/backend\.account: "111111111111" is the id of account frontend/, /Fix: write account: frontend/]],
  ['an env value as a number (from code)', (c) => (c.catalog = [svc('web', { env: { WORKERS: 4 } })]), [/catalog\[0\]\.env\.WORKERS: 4 is a number; WORKERS takes text\. Fix: quote it: WORKERS: "4"/]],
  ['a bad image on the second version', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'app:latest' }] })]), [/catalog\[0\]\.versions\[1\]\.image: "app:latest" is not pinned/, /Fix:/]],
  ['an unknown backend next to a duplicated name', (c) => (c.catalog = [svc('web'), svc('web'), svc('api', { backends: ['webb'] })]), [/catalog\[2\]\.backends\[0\]: "webb" is not a service in the catalog\. Fix: use one of web \("web" is closest\), or remove it/]],
  ['MESH_CONFIG names a folder', { meshConfig: (dir) => (fs.mkdirSync(path.join(dir, 'configs'), { recursive: true }), fs.writeFileSync(path.join(dir, 'configs', 'prod.yaml'), 'x: 1'), path.join(dir, 'configs')) }, [/MESH_CONFIG: ".*configs" is a folder, not a config file\. Fix: point MESH_CONFIG at a file in it \(prod\.yaml\)/]],
  ['MESH_CONFIG names an empty file', { meshConfig: (dir) => (fs.writeFileSync(path.join(dir, 'empty.yaml'), '\n'), path.join(dir, 'empty.yaml')) }, [/MESH_CONFIG: ".*empty\.yaml" is empty\. Fix: write the config in it/]],
  ['MESH_CONFIG names a file of comments only', { meshConfig: (dir) => (fs.writeFileSync(path.join(dir, 'comments.yaml'), '# todo\n'), path.join(dir, 'comments.yaml')) }, [/MESH_CONFIG: ".*comments\.yaml" holds only comments, no config\. Fix:/]],
  // Image references and instance types, checked with the config.
  ['image that is not a reference (upper case, "!")', (c) => (c.catalog = [svc('web', { image: 'ghcr.io/Acme/API:1.4.0!' })]), [/catalog\[0\]\.image/, /"ghcr\.io\/Acme\/API:1\.4\.0!" is not an image reference/, /lowercase/, /Fix:/]],
  ['image with a space, on versions[1]', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'ghcr.io/acme/api: 1.4.0' }] })]), [/catalog\[0\]\.versions\[1\]\.image/, /"ghcr\.io\/acme\/api: 1\.4\.0" is not an image reference/, /whitespace/, /Fix:/]],
  ['unpinned image on versions[1]', (c) => (c.catalog = [svc('web', { versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'app:latest' }] })]), [/catalog\[0\]\.versions\[1\]\.image: "app:latest" is not pinned/, /Fix: add a specific tag or a digest, e\.g\. "app:1\.2\.3"/]],
  ['Graviton and x86 instance types in one node group', (c) => (c.accounts[0].cluster.instanceTypes = ['m6i.large', 'm7g.large']), [/accounts\[0\]\.cluster\.instanceTypes\[1\]/, /"m7g\.large" is arm64 but "m6i\.large" \(instanceTypes\[0\]\) is x86_64/, /Fix: list instance types of one architecture/]],
  ['instance family missing from the architecture table', (c) => (c.accounts[1].cluster.instanceTypes = ['zz9.large']), [/accounts\[1\]\.cluster\.instanceTypes\[0\]/, /"zz9\.large" is not an EC2 instance family/, /Fix: .*add "zz9"/]],
  // Derived names, checked at synth against modules/limits/table.ts.
  ['service name that cannot be a Kubernetes Service', (c) => (c.catalog = [svc('2fa-cache')]), [/catalog\[0\]\.name/, /"2fa-cache" is the Kubernetes Service name \(DNS-1035 label\)/, /starting with a letter/, /Fix: change catalog\[0\]\.name/]],
  ['mesh name that is no Lattice service network or Gateway name', (c) => (c.mesh.name = 'Yelb_Mesh'), [/mesh\.name: "Yelb_Mesh" is the VPC Lattice service network name/, /mesh\.name: "Yelb_Mesh" is the Kubernetes Gateway name/, /Fix: change mesh\.name accordingly, e\.g\. "yelb-mesh"/]],
  ['mesh name that is no Kubernetes Mesh name (App Mesh)', (c) => { c.mesh.engine = 'appmesh'; c.mesh.name = 'Yelb_Mesh'; }, [/mesh\.name: "Yelb_Mesh" is the Kubernetes Mesh name \(DNS-1123 subdomain\)/, /Fix: change mesh\.name accordingly, e\.g\. "yelb-mesh"/]],
  ['mesh name past the Lattice limit', (c) => (c.mesh.name = `${'yelb-mesh-'.repeat(6)}prod`), [/mesh\.name: "yelb-mesh-yelb…h-prod"/, /VPC Lattice service network name, which is 64 characters; the limit is 63/, /Fix: shorten mesh\.name by 1 character$/m]],
  ['versioned Service name past 63', (c) => (c.catalog = [svc('web-'.repeat(10) + 'w', { versions: [{ name: 'canary-'.repeat(3) + 'x', weight: 100 }] })]), [/catalog\[0\]\.versions\[0\]\.name: "canary-canary-canary-x"/, /with catalog\[0\]\.name "web-web-web-we…-web-w" \(41 chars\)/, /Kubernetes Service name \(DNS-1035 label\)/, /64 characters; the limit is 63/, /Fix: shorten them by 1 character in total/]],
  ['project image whose ECR repository name ECR refuses', (c) => (c.catalog = [svc('web', { image: 'project/my--api:1.0' })]), [/catalog\[0\]\.image: "my--api" with project "meshdemo"/, /ECR repository name "meshdemo\/my--api"/, /Fix: change catalog\[0\]\.image accordingly, e\.g\. "project\/my-api:1\.0"/]],
  ['Lattice: a called service whose Lattice name would start with "svc-"', (c) => (c.catalog = [svc('svc-pay', { account: 'backend', healthCheck: HTTP_CHECK }), svc('web', { port: 8000, backends: ['svc-pay'] })]), [/catalog\[0\]\.name: "svc-pay" with mesh\.namespace or mesh\.name "yelb"/, /VPC Lattice service name "svc-pay-yelb"/, /not starting "svc-"/, /Fix: change catalog\[0\]\.name/]],
  ['Lattice: two called services that share their first 20 characters', (c) => (c.catalog = [svc('payments-service-api-a', { account: 'backend', healthCheck: HTTP_CHECK }), svc('payments-service-api-b', { account: 'backend', port: 8081, healthCheck: HTTP_CHECK }), svc('web', { port: 8000, backends: ['payments-service-api-a', 'payments-service-api-b'] })]), [/catalog: catalog\[0\]\.name and catalog\[1\]\.name/, /names both Lattice services "payments-service-api-yelb"/, /Fix: make the names differ within their first 20 characters/]],
];


function svc(name: string, extra: Record<string, unknown> = {}) {
  return { name, account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', healthCheck: { type: 'http', path: '/healthz' }, ...extra };
}

/** The MESH_CONFIG value a case stands for, written into `dir`. */
function configFile(input: BadInput, dir: string, name: string): string {
  const file = path.join(dir, name.replace(/\W+/g, '-'));
  if (typeof input === 'function') return (fs.writeFileSync(`${file}.json`, JSON.stringify(demoWith(input))), `${file}.json`);
  if ('yaml' in input) return (fs.writeFileSync(`${file}.yaml`, input.yaml), `${file}.yaml`);
  return input.meshConfig(dir);
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('config validation: every case names the field, the value and the fix', () => {
  test.each(CASES)('%s', (name, input, expected) => {
    // Validated and synthesized as main.ts does: the name limits are checked over the synthesized output.
    const error = errorOf(() => {
      const config = typeof input === 'function' ? validateConfig(demoWith(input)) : loadConfig({ MESH_CONFIG: configFile(input, scratchDir('mesh-case-'), name) });
      const dir = scratchDir('mesh-case-');
      synthesize(config, { offlinePlan: false, stateDir: path.join(dir, 'state') }, path.join(dir, 'cdktf.out'), () => {});
    });
    for (const pattern of expected) expect(error.message).toMatch(pattern);
    // What main.ts prints: no stack frames, and no line longer than the bound (no whole catalog).
    expect(error.message).not.toMatch(/\n\s+at /);
    for (const line of error.message.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_PROBLEM_LINE);
  });

  test('every problem is reported at once, not one per run', () => {
    expect(errorOf(() => validateConfig(demoWith((c) => { c.accounts[0].id = '1'; c.accounts[1].vpc.cidr = '10.192.0.0/16'; }))).message).toMatch(/accounts\[0\]\.id/);
    const error = errorOf(() => validateConfig(demoWith((c) => { c.accounts[0].cluster.minSize = 9; c.accounts[1].vpc.cidr = '10.192.0.0/16'; })));
    expect(error.problems.map((p) => p.path.join('.'))).toEqual(['accounts.1.vpc.cidr', 'accounts.0.cluster.desiredSize']);
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

  test.each(CASES)('%s', (name, input) => {
    const before = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const file = configFile(input, dir, name);
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
    expect(run.stderr).toMatch(/accounts\[1\]\.vpc\.cidr \(line 1, column \d+\): "10\.192\.0\.0\/16" overlaps/);
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });
});
