import { createHash } from 'crypto';
import { validateConfig } from '../app/config';
import { ConfigError, formatPath } from '../config/errors';
import { LIMITS, nameProblem, type LimitId } from '../modules/limits/table';
import { RESOURCE_NAMES } from '../app/limits/targets';
import { nameLimitProblems } from '../app/limits/check';
import { FULL_NAME_TAG } from '../modules/limits/fit';
import type { SynthesizedStack } from '../app/policy/model';
import { synthConfig, demoWith, type SynthResult } from './support/synth';

// Every derived name against modules/limits/table.ts: a config at each limit a config can reach
// synthesizes; one character past it is either shortened (IAM roles, node groups: prefix and hash,
// the full name in a tag) or stops synthesis naming the fields. Limits no valid config can reach
// (the schema bounds project, account and service names) are checked on synthetic output below.

const HEALTH = { type: 'http', path: '/healthz' };

/** Lengths chosen so that each name lands exactly on `at` + its limit (see the expectations). */
function configAt(past: number) {
  return demoWith((c) => {
    c.project = 'p'.repeat(22 + past);
    c.accounts[0].name = 'a'.repeat(22);
    c.accounts[1].name = 'b'.repeat(32);
    c.mesh.owner = c.accounts[0].name;
    c.mesh.name = 'm'.repeat(63);
    c.catalog = [
      { name: 'w'.repeat(40), account: c.accounts[0].name, image: `project/${'r'.repeat(233 - past)}:1.0`, port: 8080, protocol: 'http', healthCheck: HEALTH, versions: [{ name: 'v'.repeat(22), weight: 100 }] },
      { name: 'c'.repeat(10), account: c.accounts[1].name, image: 'app:1.0', port: 8081, protocol: 'http', backends: ['w'.repeat(40)] },
    ];
  });
}

const names = (app: SynthResult, stack: string, type: string, attribute = 'name') => app.stack(stack).resourceList(type).map((r) => r[attribute] as string);
const roles = (app: SynthResult) => app.stackNames.flatMap((s) => app.stack(s).resourceList('aws_iam_role').map((r) => ({ stack: s, name: r.name as string, tags: r.tags })));

describe('a config at every limit it can reach synthesizes unchanged', () => {
  const app = synthConfig(configAt(0));
  const p = 'p'.repeat(22);

  test('IAM role at 64, node group at 63, Lattice service network at 63, Service at 63, ECR repository at 256', () => {
    expect(names(app, `controllers-${'a'.repeat(22)}`, 'aws_iam_role')).toContain(`${p}-${'a'.repeat(22)}-lattice-controller`);
    expect(`${p}-${'a'.repeat(22)}-lattice-controller`).toHaveLength(64);
    expect(names(app, `cluster-${'b'.repeat(32)}`, 'aws_eks_node_group', 'node_group_name')).toEqual([`${p}-${'b'.repeat(32)}-default`]);
    expect(`${p}-${'b'.repeat(32)}-default`).toHaveLength(63);
    expect(names(app, 'mesh', 'aws_vpclattice_service_network')).toEqual(['m'.repeat(63)]);
    const services = app.stack(`workloads-${'a'.repeat(22)}`).resourceList('kubernetes_manifest').filter((r) => r.manifest.kind === 'Service').map((r) => r.manifest.metadata.name);
    expect(services).toContain(`${'w'.repeat(40)}-${'v'.repeat(22)}`);
    expect(names(app, `cluster-${'a'.repeat(22)}`, 'aws_ecr_repository')).toEqual([`${p}/${'r'.repeat(233)}`]);
    expect(`${p}/${'r'.repeat(233)}`).toHaveLength(256);
  });

  test('names that fit carry no full-name tag', () => {
    const fitting = roles(app).filter((r) => r.name.length <= 64 && r.name.includes('lattice-controller'));
    expect(fitting.length).toBeGreaterThan(0);
    for (const r of fitting) expect(r.tags?.[FULL_NAME_TAG]).toBeUndefined();
  });
});

describe('one character past: IAM roles and node groups are shortened, deterministically, the full name tagged', () => {
  const app = synthConfig(configAt(1));
  const p = 'p'.repeat(23);
  const a = 'a'.repeat(22);
  const b = 'b'.repeat(32);

  test('every role fits 64, and each shortened one is its full name\'s start plus 8 hex of its SHA-256, the full name in a tag', () => {
    const all = roles(app);
    expect(all.every((r) => r.name.length <= 64)).toBe(true);
    const full = `${p}-${a}-lattice-controller`;
    expect(full).toHaveLength(65);
    const shortened = all.find((r) => r.tags?.[FULL_NAME_TAG] === full)!;
    // The start loses a dangling separator ("...-lattice-" → "...-lattice") before the hash joins it.
    expect(shortened.name).toBe(`${full.slice(0, 55).replace(/-+$/, '')}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`);
    expect(shortened.name).toHaveLength(63);
    for (const r of all.filter((x) => x.tags?.[FULL_NAME_TAG])) expect(r.tags[FULL_NAME_TAG].length).toBeGreaterThan(64);
  });

  test('the node group name fits 63 and keeps its full name in a tag', () => {
    const group = app.stack(`cluster-${b}`).only('aws_eks_node_group');
    expect(group.node_group_name).toHaveLength(63);
    expect(group.tags).toEqual({ [FULL_NAME_TAG]: `${p}-${b}-default` });
  });

  test('the caller role named by the Lattice auth policy is the role the caller\'s stack creates', () => {
    const policy = app.stack(`workloads-${a}`).resourceList('kubernetes_manifest').find((r) => r.manifest.kind === 'IAMAuthPolicy').manifest.spec.policy;
    const arn = JSON.parse(policy).Statement[0].Condition.ArnEquals['aws:PrincipalArn'];
    const created = names(app, `workloads-${b}`, 'aws_iam_role');
    expect(created).toHaveLength(1);
    expect(arn).toBe(`arn:aws:iam::222222222222:role/${created[0]}`);
    expect(created[0]).not.toBe(`${p}-${b}-${'c'.repeat(10)}`);
  });

  test('stable across runs: a second synth gives the same names', () => {
    const again = synthConfig(configAt(1));
    expect(roles(again).map((r) => r.name).sort()).toEqual(roles(app).map((r) => r.name).sort());
  });
});

/** The problems a config's synth stops with (it must stop). */
function problemsOf(input: ReturnType<typeof demoWith>): string[] {
  try {
    synthConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toMatch(/\n\s+at /);
    const lines = (e as ConfigError).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);
    // Each problem stays one readable line, however long the names it quotes.
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(300);
    return lines;
  }
  throw new Error('synthesis did not stop');
}

describe('one character past, where shortening is not safe: synthesis stops naming the fields', () => {
  test('Lattice service network: mesh.name of 64', () => {
    expect(problemsOf(demoWith((c) => (c.mesh.name = 'm'.repeat(64))))).toEqual([expect.stringMatching(/^mesh\.name: "m{14}…m{6}" is the VPC Lattice service network name, which is 64 characters; the limit is 63\. Fix: shorten mesh\.name by 1 character$/)]);
  });

  test('Kubernetes Service (DNS-1035 label): catalog[0].name + versions[0].name of 64', () => {
    const [problem] = problemsOf(demoWith((c) => (c.catalog = [{ name: 'w'.repeat(40), account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', versions: [{ name: 'v'.repeat(23), weight: 100 }] }])));
    expect(problem).toMatch(/^catalog\[0\]\.versions\[0\]\.name: "v{23}" with catalog\[0\]\.name "w{14}…w{6}" \(40 chars\) gives the Kubernetes Service name \(DNS-1035 label\) .*which is 64 characters; the limit is 63\. Fix: shorten them by 1 character in total$/);
  });

  test('ECR repository: project + the image\'s repository of 257', () => {
    const [problem] = problemsOf(demoWith((c) => {
      c.project = 'p'.repeat(23);
      c.catalog = [{ name: 'web', account: 'frontend', image: `project/${'r'.repeat(233)}:1.0`, port: 8080, protocol: 'http' }];
    }));
    expect(problem).toMatch(/^catalog\[0\]\.image: "r{14}…r{6}" with project "p{23}" \(23 chars\) gives the ECR repository name .*which is 257 characters; the limit is 256\. Fix: shorten them by 1 character in total$/);
  });

  test('App Mesh: mesh.name of 64 is too long for the namespace label and the Cloud Map namespace', () => {
    const problems = problemsOf(demoWith((c) => {
      c.mesh.engine = 'appmesh';
      c.mesh.name = 'm'.repeat(64);
      c.catalog = [{ name: 'web', account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', discovery: 'cloudmap' }];
    }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^mesh\.name: "m{14}…m{6}" is the Kubernetes label value, which is 64 characters; the limit is 63\. Fix: shorten mesh\.name/),
      expect.stringMatching(/^mesh\.name: "m{14}…m{6}" with accounts\[0\]\.name "frontend" gives the Cloud Map private DNS namespace .*has a 64-character label/),
    ]));
  });

  test('the same App Mesh config at 63 synthesizes', () => {
    const app = synthConfig(demoWith((c) => {
      c.mesh.engine = 'appmesh';
      c.mesh.name = 'm'.repeat(63);
      c.catalog = [{ name: 'web', account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', discovery: 'cloudmap' }];
    }));
    expect(names(app, 'mesh', 'aws_service_discovery_private_dns_namespace')).toEqual([`frontend.${'m'.repeat(63)}.local`]);
  });
});

/** A name of exactly `length` characters that starts with the project, in the form the limit wants. */
function nameOf(id: LimitId, project: string, length: number): string {
  const fill = (n: number) => 'x'.repeat(Math.max(n, 0));
  if (id === 'kms-alias') return `alias/${project}-${fill(length - project.length - 7)}`;
  if (LIMITS[id].labelMax) {
    const labels = [project, ...Array.from({ length: Math.ceil(length / 60) }, () => fill(59))].join('.');
    return labels.slice(0, length).replace(/\.$/, 'x');
  }
  return `${project}-${fill(length - project.length - 1)}`;
}

describe('limits no valid config reaches, on synthetic output: at the limit passes, one past stops naming the field', () => {
  const config = validateConfig(demoWith((c) => (c.project = 'edge')));
  const stackWith = (type: string, attribute: string, value: string): SynthesizedStack[] => [{ name: 'synthetic', json: { resource: { [type]: { r: { [attribute]: value } } } } }];
  const cases = Object.entries(RESOURCE_NAMES).flatMap(([type, attrs]) => attrs.map(([attribute, id]) => ({ type, attribute, id })));

  test.each(cases.filter((c) => LIMITS[c.id].max !== undefined))('$type $attribute ($id)', ({ type, attribute, id }) => {
    const max = LIMITS[id].max!;
    expect(nameLimitProblems(stackWith(type, attribute, nameOf(id, 'edge', max)), config)).toEqual([]);
    const [problem, ...rest] = nameLimitProblems(stackWith(type, attribute, nameOf(id, 'edge', max + 1)), config);
    expect(rest).toEqual([]);
    expect(formatPath(problem.path)).toBe('project');
    expect(problem.message).toMatch(new RegExp(`^"edge" gives the ${LIMITS[id].what}.*(is ${max + 1} characters; the limit is ${max}|label).*Fix: shorten project`));
  });

  test.each(cases.filter((c) => LIMITS[c.id].pattern))('$type $attribute ($id): a character outside its form', ({ type, attribute, id }) => {
    const [problem] = nameLimitProblems(stackWith(type, attribute, `${nameOf(id, 'edge', 12)}é`), config);
    expect(problem.message).toMatch(/, which must be .*Fix: change project accordingly/);
  });

  test('Kubernetes: a custom resource past 253, a container past 63, an explicit ALB name past 32', () => {
    const kube = (manifest: object): SynthesizedStack[] => [{ name: 'synthetic', json: { resource: { kubernetes_manifest: { m: { manifest } } } } }];
    const route = (name: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'yelb' } });
    expect(nameLimitProblems(kube(route(nameOf('k8s-dns1123-subdomain', 'edge', 253))), config).filter((p) => p.message.includes('HTTPRoute'))).toEqual([]);
    expect(nameLimitProblems(kube(route(nameOf('k8s-dns1123-subdomain', 'edge', 254))), config).map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/gives the Kubernetes HTTPRoute name \(DNS-1123 subdomain\) .*254 characters; the limit is 253/)]),
    );
    const pod = (container: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'edge' }, spec: { template: { spec: { containers: [{ name: container }] } } } });
    expect(nameLimitProblems(kube(pod(nameOf('k8s-dns1123-label', 'edge', 63))), config)).toEqual([]);
    expect(nameLimitProblems(kube(pod(nameOf('k8s-dns1123-label', 'edge', 64))), config).map((p) => p.message)).toEqual([expect.stringMatching(/DNS-1123 label.*64 characters; the limit is 63/)]);
    const ingress = (lb: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'edge', annotations: { 'alb.ingress.kubernetes.io/load-balancer-name': lb } } });
    expect(nameLimitProblems(kube(ingress(nameOf('alb', 'edge', 32))), config)).toEqual([]);
    expect(nameLimitProblems(kube(ingress(nameOf('alb', 'edge', 33))), config).map((p) => p.message)).toEqual([expect.stringMatching(/load balancer name .*33 characters; the limit is 32/)]);
  });

  test('a name no config field produced is reported as a bug, with the resource that carries it', () => {
    const [problem] = nameLimitProblems(stackWith('aws_iam_role', 'name', 'z'.repeat(65)), config);
    expect(formatPath(problem.path)).toBe('synthetic/aws_iam_role.r');
    expect(problem.message).toMatch(/no config field produced it\. Fix: this is a bug in the project/);
  });
});

describe('the Kubernetes rules agree with apimachinery v0.35.7 on the examples its own tests use', () => {
  // Good and bad values from pkg/util/validation/validation_test.go and
  // pkg/api/validate/content/kube_test.go at v0.35.7 (a subset of each list).
  const CASES: Array<[LimitId, string[], string[]]> = [
    ['k8s-dns1123-label', ['a', 'a-1', 'a--1--2--b', '0', '1-a', 'a'.repeat(63)], ['', 'A', 'aBc', '-', 'a-', '-a', 'a_b', 'a.b', 'a b', 'a'.repeat(64)]],
    ['k8s-dns1123-subdomain', ['a', '1--a--b--2', 'a.a', 'a--1--2--b.1', '1.2.3.4.5', 'a'.repeat(253)], ['', 'A', 'a-', 'a..b', '.a', 'a.', 'ab.A', 'a@b', 'a_b', 'a:b', 'a'.repeat(254)]],
    ['k8s-dns1035-label', ['a', 'a1', 'a-1', 'a--1--2--b', 'a'.repeat(63)], ['0', '1a', '1-a', '', 'A', 'a-', '-a', 'a_b', 'a.b', 'a b', 'a'.repeat(64)]],
    ['k8s-label-value', ['simple', 'now-with-dashes', '1-starts-with-num', '1234', '', 'a'.repeat(63)], ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'a'.repeat(64)]],
  ];

  test.each(CASES)('%s', (id, good, bad) => {
    expect(good.filter((v) => nameProblem(id, v))).toEqual([]);
    expect(bad.filter((v) => !nameProblem(id, v))).toEqual([]);
  });
});

describe('Istio: the names the engine derives, at their limits', () => {
  const istio = (project: string) => demoWith((c) => ((c.mesh.engine = 'istio'), (c.project = project)));

  test('the east-west zone and record, the root\'s and each intermediate\'s common name are checked, and fit for the demo', () => {
    const app = synthConfig(istio('meshdemo'));
    expect(names(app, 'mesh', 'aws_route53_zone')).toEqual(['backend.meshdemo.istio.internal']);
    expect(names(app, 'control-plane-backend', 'aws_route53_record')).toEqual(['eastwest.backend.meshdemo.istio.internal']);
  });

  test('a mesh name that makes the root\'s common name 65 characters stops synthesis, naming the field', () => {
    // "<project> <mesh.name> mesh root": meshdemo (8) + 2 + 9 around it, so a mesh.name of 46 reaches 65.
    const withMesh = (n: number) => demoWith((c) => ((c.mesh.engine = 'istio'), (c.mesh.name = 'm'.repeat(n))));
    expect(problemsOf(withMesh(46))).toEqual([expect.stringMatching(/^mesh\.name: .*Private CA root common name.*65 characters; the limit is 64\. Fix: shorten/)]);
    expect(synthConfig(withMesh(45)).stack('mesh').resourceList('aws_acmpca_certificate_authority')[0].certificate_authority_configuration.subject.common_name).toHaveLength(64);
  });

  test('the intermediate\'s common name is checked, and fits 64 exactly with a project and an account at their limits', () => {
    // "<project>-<account> istio CA": 22 + 1 + 32 + 9 = 64 characters at the schema's limits.
    const app = synthConfig(demoWith((c) => {
      c.mesh.engine = 'istio';
      c.project = 'p'.repeat(22);
      c.accounts[1].name = 'b'.repeat(32);
      const b = c.accounts[1].name;
      c.catalog = { name: 'yelb', placement: { 'yelb-ui': 'frontend', 'yelb-appserver': b, 'yelb-db': b, 'redis-server': b } };
    }));
    const cert = app.stack(`control-plane-${'b'.repeat(32)}`).resourceList('kubernetes_manifest').find((r) => r.manifest.kind === 'Certificate').manifest;
    expect(cert.spec.commonName).toHaveLength(64);
    expect(nameProblem('x509-common-name', `${cert.spec.commonName}x`)).toBe('is 65 characters; the limit is 64');
  });
});
