import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { loadConfig, validateConfig } from '../app/config';
import { ConfigError, formatPath, MAX_PROBLEM_LINE, problemLine } from '../config/errors';
import { RULES } from '../app/config';
import type { ParsedConfig } from '../config/schema';
import { configSchema } from '../config/schema';
import { resolveServices } from '../config/catalog/shipped';
import { demoWith, scratchDir, synthConfig, threeAccountConfig } from './support/synth';
import { BASE_YAML, renamedAccounts, writeConfig, yamlWith } from './support/yaml-config';
import { oneAccountTwoRegions, sitesConfig, twoAccountsTwoRegions } from './support/multi-region';

// The loader beyond single bad fields (those are the table in config-validation.test.ts): YAML
// numbers kept as written, every problem at once with the checks it had to skip, shipped
// catalogs placed on other accounts, and what `node dist/main.js` prints.

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

const THREE_ACCOUNTS = (catalog: string) =>
  renamedAccounts(yamlWith([/catalog:[\s\S]*$/, `catalog: ${catalog}\n`]), { frontend: 'edge', backend: 'middle' }).replace(
    'mesh:',
    `  - name: data\n    id: "333333333333"\n    roleArn: arn:aws:iam::333333333333:role/cdktf-mesh-deployer\n    vpc: { cidr: 10.194.0.0/16, azCount: 2 }\n    cluster: { version: "1.35", instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }\nmesh:`,
  );

describe('YAML numbers', () => {
  test('the base YAML config is valid', () => {
    expect(loadConfig({ MESH_CONFIG: writeConfig(BASE_YAML) }).services.map((s) => `${s.name}@${s.account}`)).toEqual(['web@frontend', 'api@backend']);
  });

  test('an unquoted id or version is kept when its digits are exactly the text (nothing lost)', () => {
    const quoted = loadConfig({ MESH_CONFIG: writeConfig(BASE_YAML) });
    const bare = loadConfig({ MESH_CONFIG: writeConfig(yamlWith(['id: "111111111111"', 'id: 111111111111'], ['version: "1.35", instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }', 'version: 1.35, instanceTypes: [m6i.large], minSize: 2, desiredSize: 2, maxSize: 4 }'])) });
    expect(bare.accounts[0].id).toBe('111111111111');
    expect(bare.accounts[1].cluster.version).toBe('1.35');
    expect(bare).toEqual(quoted);
  });

  test('the same number from code is not converted: only YAML text can show it was lossless', () => {
    expect(errorOf(() => validateConfig(demoWith((c) => (c.accounts[0].id = 111111111111)))).message).toMatch(/accounts\[0\]\.id: 111111111111 is a number; id takes text\. Fix: quote it: id: "111111111111"/);
  });

  test('a lossy number is reported and then checked as written, so both of its problems show at once', () => {
    const error = errorOf(() => loadConfig({ MESH_CONFIG: writeConfig(yamlWith(['version: "1.35", instanceTypes', 'version: 1.30, instanceTypes'])) }));
    expect(error.problems.map((p) => p.message)).toEqual([
      '1.30 is read by YAML as the number 1.3, not as the text "1.30", so it must be quoted. Fix: quote it: version: "1.30"',
      expect.stringMatching(/^Kubernetes version "1\.30" is not one Amazon EKS offers\. Fix: use one of 1\.32/),
    ]);
  });
});

describe('every problem at once', () => {
  // Three kinds of mistake: a type error in catalog[1], cross-field ones among the accounts and
  // the mesh, and a per-service one in catalog[0], which parsed.
  const text = yamlWith(['port: 9000', 'port: "9000"'], ['cidr: 10.193.0.0/16', 'cidr: 10.192.0.0/16'], ['owner: frontend', 'owner: fronted'], ['ghcr.io/acme/web:1.4.0', 'ghcr.io/acme/web:latest']);
  const error = errorOf(() => loadConfig({ MESH_CONFIG: writeConfig(text) }));

  test('reports the type error and every cross-field problem of what parsed', () => {
    expect(error.problems.map((p) => p.path.map(String).join('.'))).toEqual(['catalog.1.port', 'accounts.1.vpc.cidr', 'mesh.owner', 'catalog.0.image']);
    expect(error.message).toMatch(/mesh\.owner \(line 14, column \d+\): account "fronted" is not defined\. Fix: use one of frontend, backend \("frontend" is closest\)/);
    expect(error.message).toMatch(/catalog\[0\]\.image \(line 19, column \d+\): "ghcr\.io\/acme\/web:latest" is not pinned/);
  });

  test('says which checks it skipped and why, and does not guess at the entry that did not parse', () => {
    expect(error.skipped).toEqual([
      "catalog[1]: its checks (services' accounts, services' placements, port range, image pins, version weights, health-check timing, protocol fit) skipped: its fields did not parse",
      'unique service names, backends exist, network paths between accounts, features the mesh engine supports, regions the mesh engine can span: skipped, because catalog[1] did not parse',
    ]);
    // catalog[0] calls api, which is catalog[1]: with catalog[1] unparsed, "api is not a service" would be wrong.
    expect(error.message).not.toMatch(/"api" is not a service/);
    expect(error.message).toMatch(/\nNot checked yet, because the fields they read did not parse \(run again after fixing the above\):\n {2}- catalog\[1\]: its checks/);
  });
});

describe('shipped catalogs on the config\'s own accounts', () => {
  test('a placement moves each named service; the others keep their account', () => {
    const full = loadConfig({ MESH_CONFIG: writeConfig(THREE_ACCOUNTS('{ name: chain, placement: { service-a: edge, service-b: middle, service-c: data } }')) });
    expect(full.catalogName).toBe('chain');
    expect(full.services.map((s) => `${s.name}@${s.account}`)).toEqual(['service-a@edge', 'service-b@middle', 'service-c@data']);
    expect(resolveServices({ name: 'chain', placement: { 'service-c': 'data' } }).map((s) => s.account)).toEqual(['frontend', 'backend', 'data']);
  });

  test('the placed chain synthesizes with each hop in its account', () => {
    const input = YAML.parse(THREE_ACCOUNTS('{ name: chain, placement: { service-a: edge, service-b: middle, service-c: data } }'));
    const app = synthConfig(input);
    expect(app.stackNames).toEqual(expect.arrayContaining(['workloads-edge', 'workloads-middle', 'workloads-data']));
    expect(Object.keys(app.stack('workloads-data').resources('kubernetes_manifest'))).toContain('deployment-service-c');
    expect(Object.keys(app.stack('workloads-middle').resources('kubernetes_manifest'))).not.toContain('deployment-service-c');
  });

  test('a shipped catalog left on its own account names points at the placement, with the accounts filled in', () => {
    const error = errorOf(() => loadConfig({ MESH_CONFIG: writeConfig(THREE_ACCOUNTS('yelb')) }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/catalog \(line \d+, column 10\): the shipped catalog "yelb" runs in account "frontend" and "backend", which this config does not define\./);
    expect(error.message).toMatch(/Fix: place it on your accounts: catalog: \{ name: yelb, placement: \{ yelb-ui: edge, yelb-appserver: middle, yelb-db: middle, redis-server: middle \} \}$/);
  });

  test('a placement that leaves a service on an account the config lacks says which, and where to add it', () => {
    const error = errorOf(() => loadConfig({ MESH_CONFIG: writeConfig(THREE_ACCOUNTS('{ name: chain, placement: { service-a: edge } }')) }));
    expect(error.message).toMatch(/catalog\.placement \(line \d+, column \d+\): leaves service-b, service-c in account "backend", which this config does not define\. Fix: add service-b: edge, service-c: edge \(or another account\) to catalog\.placement/);
  });
});

describe('MESH_CONFIG', () => {
  test('a leading ~/ is the home folder', () => {
    const home = scratchDir('mesh-home-');
    fs.writeFileSync(path.join(home, 'mesh.yaml'), BASE_YAML);
    expect(loadConfig({ MESH_CONFIG: '~/mesh.yaml', HOME: home }).mesh.name).toBe('yelb');
    expect(errorOf(() => loadConfig({ MESH_CONFIG: '~/nope.yaml', HOME: home })).message).toContain(`MESH_CONFIG: file "${path.join(home, 'nope.yaml')}" does not exist`);
  });
});

describe('the line bound', () => {
  test('a long message is shortened in its description first, keeping the fix', () => {
    const line = problemLine({ path: ['catalog', 0, 'image'], message: `${'x'.repeat(600)}. Fix: use a tag` });
    expect(line.length).toBeLessThanOrEqual(MAX_PROBLEM_LINE);
    expect(line).toMatch(/^ {2}- catalog\[0\]\.image: x+… Fix: use a tag$/);
    expect(problemLine({ path: ['a'], message: 'y'.repeat(900) }).length).toBe(MAX_PROBLEM_LINE);
  });
});

describe('each rule declares what it reads', () => {
  // A rule that reads a section it does not declare would throw (no stack trace reaches the
  // user, but the check would be lost) when that section did not parse; here it throws in the test.
  const configs = [demoWith(), threeAccountConfig('appmesh'), threeAccountConfig('lattice'), demoWith((c) => (c.backend = { type: 's3', bucket: 'b-state', region: 'us-west-2', account: 'backend' }))];
  test.each(RULES.map((r) => [r.about, r] as const))('%s', (_about, rule) => {
    for (const input of configs) {
      const full = configSchema.parse(input);
      const only = Object.fromEntries(rule.needs.map((n) => [n, full[n]])) as ParsedConfig;
      expect(() => rule.check(only, resolveServices(full.catalog))).not.toThrow();
    }
  });
});

describe('node dist/main.js on a bad YAML config', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '.'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`tsc failed: ${build.stdout}${build.stderr}`);
  }, 180_000);

  test('exits 1, prints the problem lines and no stack trace, and writes no cdktf.out', () => {
    const dir = scratchDir('mesh-cli-');
    const file = writeConfig(yamlWith(['port: 9000', 'port: "9000"'], ['tags:', 'tag:']));
    const run = spawnSync(process.execPath, [path.resolve('dist/main.js')], {
      cwd: dir,
      env: { ...process.env, MESH_CONFIG: file, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), MESH_STATE_DIR: path.join(dir, 'state') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Invalid config \(2 problems\):\n/);
    expect(run.stderr).toContain('  - tag (line 15, column 6): "tag" is not a known key; did you mean "tags"? Fix: rename tag to tags\n');
    expect(run.stderr).toContain('  - catalog[1].port (line 28, column 11): "9000" is text; port takes a number. Fix: write it without quotes: port: 9000\n');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('regions: sites, placements and engines that cannot span regions', () => {
  // Config rules alone (the layouts are valid for an engine that spans regions); the engine rules below.
  const configProblems = (input: any) => errorOf(() => sitesConfig(input)).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
  const engineProblems = (input: unknown) => errorOf(() => validateConfig(input)).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
  const cluster = { version: '1.35', instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 };
  const withShared = (change: (c: any) => void) => {
    const c: any = oneAccountTwoRegions();
    change(c);
    return c;
  };

  test('clusters written together with vpc/cluster names both forms', () => {
    expect(configProblems(withShared((c) => (c.accounts[0].vpc = { cidr: '10.200.0.0/16', azCount: 2 })))).toEqual([
      'accounts[0].clusters: is set together with vpc; an account lists its clusters one way. Fix: move vpc and cluster into a clusters entry, or remove clusters',
    ]);
  });

  test('an account with no cluster at all', () => {
    expect(configProblems(withShared((c) => delete c.accounts[1].cluster))).toEqual([expect.stringMatching(/^accounts\[1\]\.cluster: is missing: account edge needs a VPC and an EKS cluster\. Fix: add cluster/)]);
  });

  test('two clusters of one account in one region', () => {
    expect(configProblems(withShared((c) => (c.accounts[0].clusters[1].region = 'us-west-2')))).toContain(
      'accounts[0].clusters[1].region: "us-west-2" already holds clusters[0] of account shared; an account has at most one cluster per region. Fix: remove this entry or give it another region',
    );
  });

  test('an unknown region on a cluster or an account', () => {
    const problems = configProblems(withShared((c) => {
      c.accounts[0].clusters[1].region = 'us-east-7';
      c.accounts[1].region = 'mars-1';
    }));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^accounts\[0\]\.clusters\[1\]\.region: region "us-east-7" is not in the known region list\. Fix: use one of us-east-1/), expect.stringMatching(/^accounts\[1\]\.region: region "mars-1" is not in the known region list/)]));
  });

  test('overlapping VPC ranges are found across regions, named by their site path', () => {
    expect(configProblems(withShared((c) => (c.accounts[0].clusters[1].vpc.cidr = '10.194.0.0/16')))).toEqual([
      'accounts[0].clusters[1].vpc.cidr: "10.194.0.0/16" overlaps accounts[0].clusters[0].vpc.cidr "10.194.0.0/16" (shared); peered VPCs need disjoint ranges. Fix: give shared-us-east-1 a range that overlaps no other account\'s, e.g. the next free /16',
    ]);
  });

  test('a placement on a region where the account has no cluster names the regions it has', () => {
    expect(configProblems(withShared((c) => (c.catalog.placement['service-b'][1].region = 'eu-west-1')))).toEqual([
      'catalog.placement.service-b[1].region: "eu-west-1": account shared has no cluster there (its clusters: us-west-2, us-east-1). Fix: use one of those regions, or add { region: eu-west-1, vpc, cluster } to its clusters',
    ]);
  });

  test('two placements of one service in one region', () => {
    const input = withShared((c) => {
      c.catalog = [{ name: 'web', port: 8080, protocol: 'http', placements: [{ account: 'shared' }, { account: 'shared', region: 'us-west-2' }] }];
    });
    expect(configProblems(input)).toEqual([
      'catalog[0].placements[1].region: "us-west-2" already holds placement 0 of this service; the region is the failover unit, so a service runs at most once per region. Fix: remove one, or raise replicas on the other',
    ]);
  });

  test('account together with placements, and a service placed nowhere', () => {
    const input = withShared((c) => {
      c.catalog = [
        { name: 'web', account: 'edge', port: 8080, protocol: 'http', placements: [{ account: 'shared' }] },
        { name: 'api', port: 9090, protocol: 'http' },
        { name: 'db', account: 'shared', region: 'eu-west-1', port: 5432, protocol: 'tcp' },
      ];
    });
    expect(configProblems(input)).toEqual([
      'catalog[0].placements: is set together with account "edge"; a service is placed one way. Fix: remove account and list it in placements, or remove placements',
      'catalog[1].account: is missing: api runs nowhere. Fix: add account: <account name>, or placements: [{ account, region }]',
      'catalog[2].region: "eu-west-1": account shared has no cluster there (its clusters: us-west-2, us-east-1). Fix: use one of those regions, or add { region: eu-west-1, vpc, cluster } to its clusters',
    ]);
  });

  test('a second region\'s stack name that is also an account name', () => {
    const input = withShared((c) => c.accounts.push({ name: 'shared-us-east-1', id: '555555555555', roleArn: 'arn:aws:iam::555555555555:role/cdktf-mesh-deployer', vpc: { cidr: '10.197.0.0/16', azCount: 2 }, cluster }));
    expect(configProblems(input)).toEqual([
      'accounts[0].clusters[1].region: "us-east-1": this cluster\'s stacks would be named shared-us-east-1, which is also an account\'s name. Fix: rename the account shared-us-east-1',
    ]);
  });

  test.each([
    ['lattice', 'VPC Lattice service network'],
    ['appmesh', 'App Mesh mesh'],
  ])('%s stops a cluster outside the mesh owner\'s region and every cross-region call, naming the engine, the call and istio', (engine, kind) => {
    const problems = engineProblems(twoAccountsTwoRegions(engine));
    expect(problems).toContain(
      `accounts[1].region: "us-east-1": mesh.engine "${engine}" keeps its ${kind} chain in us-west-2, the mesh owner's region, and it and its RAM share are regional. Fix: use mesh.engine "istio", which spans regions over the VPC peering, or move this cluster of backend to us-west-2`,
    );
    const stranded: any = twoAccountsTwoRegions(engine);
    stranded.catalog.placement['service-c'] = 'backend';
    const one = engineProblems(stranded);
    expect(one).toContain(
      `catalog.placement.service-b: "service-c": service-b (frontend, us-west-2) calls service-c, which runs only in us-east-1; with mesh.engine "${engine}" a caller reaches only its own region's ${kind}. Fix: use mesh.engine "istio", or place service-c in us-west-2 as well`,
    );
    expect(engineProblems(oneAccountTwoRegions(engine))).toEqual(expect.arrayContaining([expect.stringMatching(/^accounts\[0\]\.clusters\[1\]\.region: "us-east-1": mesh\.engine/)]));
    for (const p of [...problems, ...one]) expect(p.length).toBeLessThanOrEqual(MAX_PROBLEM_LINE);
  });
});

describe('alarm topics with clusters in several regions', () => {
  const problems = (observability: unknown) => {
    const input: any = twoAccountsTwoRegions();
    input.observability = observability;
    return errorOf(() => sitesConfig(input)).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
  };
  test('a topic for one region only leaves the other region\'s alarms without one', () => {
    expect(problems({ alarmTopicArn: 'arn:aws:sns:us-west-2:111111111111:mesh-alarms' })).toEqual([
      'observability.alarmTopicArns: has no topic for us-east-1, where clusters run, so their alarms would notify no one. Fix: add us-east-1: arn:aws:sns:us-east-1:<account>:<topic>',
    ]);
  });
  test('a topic keyed by the wrong region, or by a region without clusters', () => {
    expect(problems({ alarmTopicArns: { 'us-west-2': 'arn:aws:sns:us-west-2:111111111111:a', 'us-east-1': 'arn:aws:sns:us-west-2:111111111111:b', 'eu-west-1': 'arn:aws:sns:eu-west-1:111111111111:c' } })).toEqual([
      'observability.alarmTopicArns.us-east-1: "arn:aws:sns:us-west-2:111111111111:b" is in us-west-2, and a region\'s alarms notify a topic of their own region. Fix: use a topic in us-east-1',
      'observability.alarmTopicArns.eu-west-1: "eu-west-1" has no cluster of this config. Fix: key each topic by a region with clusters: us-west-2, us-east-1',
    ]);
  });
});
