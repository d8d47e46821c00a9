import { parseImage, imageProblems, projectRepositories } from '../config/catalog/images';
import { parseService, type ServiceInput } from '../config/catalog/schema';
import { synthConfig, demoWith, type SynthResult } from './support/synth';

const svc = (extra: Partial<ServiceInput>) => parseService({ name: 'web', account: 'frontend', port: 8080, protocol: 'http', ...extra });
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references, parsed by the distribution/reference grammar (@swimlane/docker-reference)', () => {
  test.each([
    ['nginx:1.27', 'library/nginx', '1.27'],
    ['mreferre/yelb-ui:0.10', 'mreferre/yelb-ui', '0.10'],
    ['ghcr.io/acme/api:1.4.0', 'acme/api', '1.4.0'],
    ['localhost:5000/team/api:2', 'team/api', '2'],
    ['public.ecr.aws/docker/library/busybox:1.37', 'docker/library/busybox', '1.37'],
  ])('%s parses', (raw, repository, tag) => {
    expect(parseImage(raw)).toMatchObject({ repository, tag });
  });

  test.each([
    ['ghcr.io/Acme/API:1.4.0!', /lowercase/],
    ['ghcr.io/acme/api: 1.4.0', /whitespace/],
    ['api@sha256:abc', /invalid reference format/],
    ['api:', /invalid reference format/],
    [':1.0', /invalid reference format/],
    [`${'a'.repeat(256)}:1`, /not be more than 255 characters/],
  ])('%s is rejected', (raw, reason) => {
    const parsed = parseImage(raw);
    expect('problem' in parsed && parsed.problem).toMatch(reason);
  });

  test('a digest counts as pinned, with or without a tag; "latest" alone or no tag does not', () => {
    expect(imageProblems([svc({ image: `api@${DIGEST}` }), svc({ image: `api:latest@${DIGEST}` })])).toEqual([]);
    expect(imageProblems([svc({ image: 'api:latest' }), svc({ image: 'ghcr.io/acme/api' })]).map((p) => p.message)).toEqual([
      '"api:latest" is not pinned. Fix: add a specific tag or a digest, e.g. "api:1.2.3"',
      '"ghcr.io/acme/api" is not pinned. Fix: add a specific tag or a digest, e.g. "ghcr.io/acme/api:1.2.3"',
    ]);
  });

  test('a bad image on a later version is reported at that version, not the first', () => {
    const problems = imageProblems([svc({ versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 25, image: 'app:2.0' }, { name: 'v3', weight: 25, image: 'app:latest' }] })]);
    expect(problems.map((p) => p.path)).toEqual([['catalog', 0, 'versions', 2, 'image']]);
  });

  test('project images name their ECR repository; the registry of other images is left alone', () => {
    expect(parseImage('project/myapi:1.4.0')).toMatchObject({ projectRepository: 'myapi', tag: '1.4.0' });
    expect(parseImage(`project/team/api@${DIGEST}`)).toMatchObject({ projectRepository: 'team/api', digest: DIGEST });
    expect(parseImage('ghcr.io/project/api:1')).toMatchObject({ projectRepository: undefined });
    expect(projectRepositories([svc({ image: 'project/b:1' }), svc({ image: 'project/a:1', versions: [{ name: 'v1', weight: 50 }, { name: 'v2', weight: 50, image: 'project/a:2' }] }), svc({ account: 'backend', image: 'project/c:1' })], 'frontend')).toEqual(['a', 'b']);
  });
});

/** The repositories a workloads stack reads from `ecr_repository_urls` (cdktf writes `.name` or `["name-with-dash"]`). */
const referencedRepositories = (app: SynthResult, stack: string) =>
  [...JSON.stringify(app.stack(stack).json).matchAll(/ecr_repository_urls(?:\.(\w+)|\[\\"([^\\]+)\\"\])/g)].map((m) => m[1] ?? m[2]).sort();

describe('ECR repositories follow the catalog', () => {
  const app = synthConfig(
    demoWith((c) => {
      c.catalog = [
        { name: 'web', account: 'frontend', image: 'project/myapi:1.4.0', port: 8080, protocol: 'http', backends: ['api'], versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10, image: `project/myapi-next@${DIGEST}` }] },
        { name: 'api', account: 'backend', image: 'ghcr.io/acme/api:2.0', port: 9000, protocol: 'http', healthCheck: { type: 'http', path: '/healthz' } },
      ];
    }),
  );
  const cluster = app.stack('cluster-frontend');

  test('every project/<repo> image gets its repository in its own account, and only there', () => {
    expect(cluster.resourceList('aws_ecr_repository').map((r) => r.name).sort()).toEqual(['meshdemo/myapi', 'meshdemo/myapi-next']);
    expect(app.stack('cluster-backend').resourceList('aws_ecr_repository')).toEqual([]);
    expect(Object.keys(cluster.outputs().ecr_repository_urls.value).sort()).toEqual(['myapi', 'myapi-next']);
  });

  test('each Deployment pulls from the repository its stack references, at the tag or digest given', () => {
    const images = app.stack('workloads-frontend').resourceList('kubernetes_manifest').filter((r) => r.manifest.kind === 'Deployment').map((r) => r.manifest.spec.template.spec.containers[0].image).sort();
    expect(images).toEqual([
      '${data.terraform_remote_state.upstream-cluster-frontend.outputs.ecr_repository_urls.myapi}:1.4.0',
      `\${data.terraform_remote_state.upstream-cluster-frontend.outputs.ecr_repository_urls["myapi-next"]}@${DIGEST}`,
    ]);
    expect(referencedRepositories(app, 'workloads-frontend')).toEqual(['myapi', 'myapi-next']);
  });

  test('repositories scan on push, are immutable, KMS-encrypted and pruned', () => {
    const repo = cluster.only('aws_ecr_repository', (r) => r.name === 'meshdemo/myapi');
    expect(repo).toMatchObject({ image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } });
    expect(repo.encryption_configuration[0].encryption_type).toBe('KMS');
    expect(cluster.resourceList('aws_ecr_lifecycle_policy').map((p) => JSON.parse(p.policy).rules[0].selection.countType)).toEqual(['imageCountMoreThan', 'imageCountMoreThan']);
  });

  test('the chain catalog: every repository a workloads stack references exists in its cluster stack', () => {
    const chain = synthConfig(demoWith((c) => (c.catalog = 'chain')));
    for (const account of ['frontend', 'backend']) {
      const created = chain.stack(`cluster-${account}`).resourceList('aws_ecr_repository').map((r) => r.name.replace('meshdemo/', ''));
      expect([...new Set(referencedRepositories(chain, `workloads-${account}`))]).toEqual(created);
    }
  });
});
