import { synthConfig, demoWith, appMeshDemoWith, type SynthResult } from './support/synth';
import { asRole, decide, iamDocuments, identityPoliciesOf, oidcIssuerHost, podIdentitySession, type IamDocument } from './support/iam';
import { latticeInvoke } from './support/lattice-access';
import { clusterName } from '../config/naming';
import { accountByName } from '../config/load';
import { meshResourceArn } from '../engines/appmesh/arns';

// Who may do what, asked of a maintained IAM evaluator (@cloud-copilot/iam-simulate): for each
// flow the intended principal is allowed, and another service account, another namespace,
// another cluster and another account are denied.

const lattice = synthConfig(demoWith());
const latticeChain = synthConfig(demoWith((c) => (c.catalog = 'chain')));
const appMesh = synthConfig(appMeshDemoWith());

const accountId = (app: SynthResult, name: string) => accountByName(app.config, name).id;

/** Every role trusted by EKS Pod Identity, with the association that binds it (namespace, service account, account). */
function podIdentityRoles(app: SynthResult, docs: IamDocument[]) {
  return app.stackNames.flatMap((stack) =>
    app.stack(stack).resourceList('aws_eks_pod_identity_association').map((a) => {
      const roleId = /aws_iam_role\.([^.]+)\./.exec(a.role_arn)![1];
      const role = app.stack(stack).resources('aws_iam_role')[roleId];
      const trust = docs.find((d) => d.kind === 'trust' && d.stack === stack && d.roleArn!.endsWith(`:role/${role.name}`))!;
      const account = app.config.accounts.find((x) => x.id === trust.accountId)!.name;
      return { stack, trust, namespace: a.namespace as string, serviceAccount: a.service_account as string, account };
    }),
  );
}

describe.each([
  ['Lattice', lattice],
  ['App Mesh', appMesh],
])('%s: every Pod Identity role admits only its own service account', (_name, app) => {
  const docs = iamDocuments(app);
  const roles = podIdentityRoles(app, docs);
  const assume = (r: (typeof roles)[number], tags: { cluster?: string; namespace?: string; serviceAccount?: string; sourceAccount?: string }) =>
    Promise.all(
      ['sts:AssumeRole', 'sts:TagSession'].map((action) =>
        decide(
          {
            principal: 'pods.eks.amazonaws.com',
            action,
            resource: r.trust.roleArn!,
            resourceAccount: r.trust.accountId,
            context: {
              'aws:SourceAccount': tags.sourceAccount ?? r.trust.accountId,
              'aws:RequestTag/eks-cluster-name': tags.cluster ?? clusterName(app.config, r.account),
              'aws:RequestTag/kubernetes-namespace': tags.namespace ?? r.namespace,
              'aws:RequestTag/kubernetes-service-account': tags.serviceAccount ?? r.serviceAccount,
            },
          },
          { resource: r.trust.policy },
        ),
      ),
    );

  test('there are roles for the controllers, the agents and every workload', () => {
    expect(roles.length).toBeGreaterThanOrEqual(12);
    expect(roles.map((r) => r.serviceAccount)).toEqual(expect.arrayContaining(['aws-load-balancer-controller', 'cloudwatch-agent', 'yelb-ui', 'yelb-appserver', 'ebs-csi-controller-sa']));
  });

  test('its own service account, namespace, cluster and account: allowed', async () => {
    for (const r of roles) expect([r.trust.roleArn, await assume(r, {})]).toEqual([r.trust.roleArn, ['Allowed', 'Allowed']]);
  });

  test('another service account, another namespace, another cluster, another account: denied', async () => {
    for (const r of roles) {
      for (const other of [{ serviceAccount: 'default' }, { namespace: 'default' }, { cluster: 'meshdemo-intruder' }, { sourceAccount: '999999999999' }]) {
        expect([r.trust.roleArn, other, await assume(r, other)]).toEqual([r.trust.roleArn, other, ['ImplicitlyDenied', 'ImplicitlyDenied']]);
      }
    }
  });

  test('the VPC CNI role (IRSA) admits only kube-system/aws-node with the STS audience', async () => {
    const irsa = docs.filter((d) => d.kind === 'trust' && d.roleArn!.endsWith('-vpc-cni'));
    expect(irsa).toHaveLength(2);
    for (const trust of irsa) {
      const issuer = oidcIssuerHost(app.config.region);
      // Keys the evaluator has no data for, renamed consistently (support/iam.ts, renamedKeys).
      const renames = { [`${issuer}:sub`]: 'aws:RequestTag/oidc-sub', [`${issuer}:aud`]: 'aws:RequestTag/oidc-aud' };
      const ask = (sub: string, aud = 'sts.amazonaws.com') =>
        decide(
          { principal: `arn:aws:iam::${trust.accountId}:oidc-provider/${issuer}`, action: 'sts:AssumeRoleWithWebIdentity', resource: trust.roleArn!, resourceAccount: trust.accountId, context: { [`${issuer}:sub`]: sub, [`${issuer}:aud`]: aud } },
          { resource: trust.policy },
          renames,
        );
      expect(await ask('system:serviceaccount:kube-system:aws-node')).toBe('Allowed');
      expect(await ask('system:serviceaccount:kube-system:default')).toBe('ImplicitlyDenied');
      expect(await ask('system:serviceaccount:yelb:aws-node')).toBe('ImplicitlyDenied');
      expect(await ask('system:serviceaccount:kube-system:aws-node', 'other-audience')).toBe('ImplicitlyDenied');
    }
  });
});

describe.each([
  ['Yelb', lattice],
  ['chain', latticeChain],
])('Lattice, %s: a caller reaches a service only where the catalog says so', (_name, app) => {
  const docs = iamDocuments(app);
  const names = app.config.services.map((s) => s.name);
  const onLattice = app.config.services.filter((s) => docs.some((d) => d.kind === 'service-auth' && d.source.endsWith(`/iamauthpolicy-${s.name}`)));

  test('exactly the declared callers may invoke each Lattice service', async () => {
    expect(onLattice.length).toBeGreaterThan(0);
    for (const callee of onLattice) {
      const allowed = [];
      for (const caller of names) if (caller !== callee.name && (await latticeInvoke(app, docs, caller, callee.name))) allowed.push(caller);
      const declared = app.config.services.filter((s) => s.backends.includes(callee.name)).map((s) => s.name);
      expect([callee.name, allowed.sort()]).toEqual([callee.name, declared.sort()]);
    }
  });

  test("a declared caller's role from another namespace or another cluster is denied", async () => {
    for (const callee of onLattice) {
      for (const caller of app.config.services.filter((s) => s.backends.includes(callee.name))) {
        expect(await latticeInvoke(app, docs, caller.name, callee.name)).toBe(true);
        expect(await latticeInvoke(app, docs, caller.name, callee.name, { namespace: 'default' })).toBe(false);
        expect(await latticeInvoke(app, docs, caller.name, callee.name, { cluster: `arn:aws:eks:${app.config.region}:${accountId(app, caller.account)}:cluster/other` })).toBe(false);
      }
    }
  });

  test('a principal of an account outside the mesh is denied by the service network, even with matching session tags', async () => {
    const callee = onLattice[0];
    const request = {
      ...podIdentitySession({ roleArn: 'arn:aws:iam::999999999999:role/meshdemo-frontend-yelb-ui', clusterArn: 'arn:aws:eks:us-west-2:999999999999:cluster/meshdemo-frontend', namespace: app.config.mesh.namespace, serviceAccount: 'yelb-ui' }),
      action: 'vpc-lattice-svcs:Invoke',
      resource: `arn:aws:vpc-lattice:${app.config.region}:${accountId(app, callee.account)}:service/svc-0123456789abcdef0/api`,
      resourceAccount: accountId(app, callee.account),
    };
    const networkAuth = docs.find((d) => d.kind === 'service-network-auth')!;
    const anything = [{ name: 'outsider', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] } }];
    expect(await decide(request, { identity: anything, resource: networkAuth.policy })).toBe('ImplicitlyDenied');
  });
});

describe('App Mesh: each Envoy streams only its own virtual nodes, each controller works only in the shared mesh', () => {
  const docs = iamDocuments(appMesh);
  const mesh = { region: appMesh.config.region, meshName: appMesh.config.mesh.name, meshOwnerId: accountId(appMesh, appMesh.config.mesh.owner) };
  const roleOf = (suffix: string) => docs.find((d) => d.kind === 'trust' && d.roleArn!.endsWith(suffix))!.roleArn!;
  const ask = (roleArn: string, action: string, resource: string) => {
    const account = roleArn.split(':')[4];
    // The identity policy's answer: the shared mesh's cross-account side is the RAM share.
    return decide({ principal: `arn:aws:sts::${account}:assumed-role/${roleArn.split('/').pop()}/s`, action, resource, resourceAccount: account, context: { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': account } }, { identity: identityPoliciesOf(docs, roleArn) });
  };

  test.each([
    ['yelb-ui in the owner account', '-frontend-yelb-ui', 'frontend', 'yelb-ui_yelb'],
    ['yelb-appserver in a member account', '-backend-yelb-appserver', 'backend', 'yelb-appserver_yelb'],
  ])('%s: its virtual node allowed; another mesh or another account denied', async (_n, suffix, account, node) => {
    const role = roleOf(suffix);
    const own = accountId(appMesh, account);
    const other = account === 'frontend' ? accountId(appMesh, 'backend') : accountId(appMesh, 'frontend');
    expect(await ask(role, 'appmesh:StreamAggregatedResources', meshResourceArn(mesh, own, 'virtualNode', node))).toBe('Allowed');
    expect(await ask(role, 'appmesh:StreamAggregatedResources', meshResourceArn({ ...mesh, meshName: 'other' }, own, 'virtualNode', node))).toBe('ImplicitlyDenied');
    expect(await ask(role, 'appmesh:StreamAggregatedResources', meshResourceArn(mesh, other, 'virtualNode', node))).toBe('ImplicitlyDenied');
  });

  test.each([
    ['the owner account', 'frontend'],
    ['a member account', 'backend'],
  ])("the controller in %s: creates virtual nodes in the shared mesh under its own account, nowhere else", async (_n, account) => {
    const role = roleOf(`-${account}-appmesh-controller`);
    const own = accountId(appMesh, account);
    expect(await ask(role, 'appmesh:DescribeMesh', `arn:aws:appmesh:${mesh.region}:${mesh.meshOwnerId}:mesh/${mesh.meshName}`)).toBe('Allowed');
    expect(await ask(role, 'appmesh:CreateVirtualNode', meshResourceArn(mesh, own, 'virtualNode', 'web_yelb'))).toBe('Allowed');
    expect(await ask(role, 'appmesh:CreateVirtualNode', meshResourceArn({ ...mesh, meshName: 'other' }, own, 'virtualNode', 'web_yelb'))).toBe('ImplicitlyDenied');
    expect(await ask(role, 'appmesh:CreateMesh', `arn:aws:appmesh:${mesh.region}:${own}:mesh/other`)).toBe('ImplicitlyDenied');
  });
});

describe.each([
  ['Yelb', appMesh],
  ['chain', synthConfig(appMeshDemoWith((c) => (c.catalog = 'chain')))],
])("App Mesh, %s: every Envoy streams every virtual node of its service, and no other account's", (_name, app) => {
  const docs = iamDocuments(app);
  const mesh = { region: app.config.region, meshName: app.config.mesh.name, meshOwnerId: accountId(app, app.config.mesh.owner) };

  test.each(app.config.services.map((s) => [s.name, s.account]))('%s (%s)', async (service, account) => {
    const own = accountId(app, account);
    const stack = app.stack(`workloads-${account}`);
    // The Deployment runs as the service's own service account; its role is the one bound to it.
    const association = stack.only('aws_eks_pod_identity_association', (a) => a.service_account === service);
    const roleArn = `arn:aws:iam::${own}:role/${stack.resources('aws_iam_role')[/aws_iam_role\.([^.]+)\./.exec(association.role_arn)![1]].name}`;
    const nodes = stack.resourceList('kubernetes_manifest').filter((m) => m.manifest.kind === 'VirtualNode' && m.manifest.spec.podSelector.matchLabels.app === service).map((m) => m.manifest.spec.awsName as string);
    expect(nodes.length).toBeGreaterThan(0);
    const envoy = asRole(docs, roleArn);
    for (const node of nodes) {
      expect([node, await envoy('appmesh:StreamAggregatedResources', meshResourceArn(mesh, own, 'virtualNode', node))]).toEqual([node, 'Allowed']);
      for (const other of app.config.accounts.filter((a) => a.id !== own)) {
        expect([node, other.name, await envoy('appmesh:StreamAggregatedResources', meshResourceArn(mesh, other.id, 'virtualNode', node))]).toEqual([node, other.name, 'ImplicitlyDenied']);
      }
    }
  });
});

describe('keys and sinks', () => {
  const docs = iamDocuments(lattice);

  test('a log group key lets CloudWatch Logs encrypt for log groups of its own account only', async () => {
    const key = docs.find((d) => d.kind === 'kms-key' && d.stack === 'cluster-backend')!;
    const ask = (logGroupAccount: string) =>
      decide(
        { principal: 'logs.us-west-2.amazonaws.com', action: 'kms:GenerateDataKey', resource: key.resourceArn!, resourceAccount: key.accountId, context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-west-2:${logGroupAccount}:log-group:/aws/eks/meshdemo-backend/cluster` } },
        { resource: key.policy },
        // An ARN-typed key the evaluator knows, for the encryption-context key it cannot match.
        { 'kms:EncryptionContext:aws:logs:arn': 'aws:SourceArn' },
      );
    expect(await ask(key.accountId)).toBe('Allowed');
    expect(await ask('999999999999')).toBe('ImplicitlyDenied');
  });

  test('the state bucket refuses every request without TLS, even one its account allows', async () => {
    const s3 = iamDocuments(synthConfig(demoWith((c) => (c.backend = { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend', roleArn: 'arn:aws:iam::111111111111:role/cdktf-state' }))));
    const bucket = s3.find((d) => d.kind === 'bucket')!;
    const deployer = [{ name: 'deployer', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 's3:*', Resource: '*' }] } }];
    const ask = (secure: string, resource = 'arn:aws:s3:::meshdemo-tfstate-111111111111/network.tfstate') =>
      decide({ principal: 'arn:aws:iam::111111111111:role/cdktf-state', action: 's3:GetObject', resource, resourceAccount: bucket.accountId, context: { 'aws:SecureTransport': secure } }, { identity: deployer, resource: bucket.policy });
    expect(await ask('true')).toBe('Allowed');
    expect(await ask('false')).toBe('ExplicitlyDenied');
    expect(await decide({ principal: 'arn:aws:iam::111111111111:role/cdktf-state', action: 's3:ListBucket', resource: 'arn:aws:s3:::meshdemo-tfstate-111111111111', resourceAccount: bucket.accountId, context: { 'aws:SecureTransport': 'false' } }, { identity: deployer, resource: bucket.policy })).toBe('ExplicitlyDenied');
  });

  test('the cross-account observability sink admits links from the mesh members only', async () => {
    const sink = docs.find((d) => d.kind === 'oam-sink')!;
    const ask = (account: string) =>
      decide(
        { principal: `arn:aws:iam::${account}:role/cdktf-mesh-deployer`, action: 'oam:CreateLink', resource: `arn:aws:oam:us-west-2:${sink.accountId}:sink/example`, resourceAccount: sink.accountId, context: { 'aws:PrincipalAccount': account, 'oam:ResourceTypes': ['AWS::XRay::Trace'] } },
        { identity: [{ name: 'deployer', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'oam:CreateLink', Resource: '*' }] } }], resource: sink.policy },
      );
    expect(await ask(accountId(lattice, 'backend'))).toBe('Allowed');
    expect(await ask('999999999999')).toBe('ImplicitlyDenied');
  });
});
