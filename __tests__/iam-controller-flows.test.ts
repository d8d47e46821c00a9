import { synthConfig, demoWith, appMeshDemoWith, type SynthResult } from './support/synth';
import { asRole, decide, iamDocuments, oidcIssuerHost, type IamDocument } from './support/iam';
import { clusterName } from '../config/naming';
import { accountByName } from '../config/load';
import { meshResourceArn } from '../engines/appmesh/arns';

// What each controller and agent role may do with its own resources, and not with others',
// asked of the IAM evaluator over the role's inline and AWS managed policies
// (support/iam.ts). The scopes come from the policies' authors: the tag conditions of the AWS
// Load Balancer Controller's recommended policy, the service-linked roles of the Gateway API
// Controller's, the `AmazonCloudWatch-*` parameters of CloudWatchAgentServerPolicy, the
// `ebs.csi.aws.com/cluster` tags of AmazonEBSCSIDriverPolicy, and the network interfaces of
// AmazonEKS_CNI_Policy.

const lattice = synthConfig(demoWith());
const appMesh = synthConfig(appMeshDemoWith());
const OUTSIDER = '999999999999';

const accountId = (app: SynthResult, name: string) => accountByName(app.config, name).id;

/** The role a service account gets through EKS Pod Identity in `account`. */
function podRole(app: SynthResult, docs: IamDocument[], account: string, namespace: string, serviceAccount: string): string {
  const id = accountId(app, account);
  for (const stack of app.stackNames) {
    for (const a of app.stack(stack).resourceList('aws_eks_pod_identity_association')) {
      if (a.namespace !== namespace || a.service_account !== serviceAccount) continue;
      const role = app.stack(stack).resources('aws_iam_role')[/aws_iam_role\.([^.]+)\./.exec(a.role_arn)![1]];
      const arn = `arn:aws:iam::${id}:role/${role.name}`;
      if (docs.some((d) => d.kind === 'trust' && d.roleArn === arn)) return arn;
    }
  }
  throw new Error(`no Pod Identity role for ${namespace}/${serviceAccount} in ${account}`);
}

/** The role the VPC CNI add-on runs with (IRSA, set on the add-on). */
function cniRole(app: SynthResult, account: string): string {
  const stack = app.stack(`cluster-${account}`);
  const addon = stack.only('aws_eks_addon', (a) => a.addon_name === 'vpc-cni');
  const role = stack.resources('aws_iam_role')[/aws_iam_role\.([^.]+)\./.exec(addon.service_account_role_arn)![1]];
  return `arn:aws:iam::${accountId(app, account)}:role/${role.name}`;
}

describe.each([
  ['Lattice', lattice],
  ['App Mesh', appMesh],
])('%s: controllers and agents on their own resources', (_engine, app) => {
  const docs = iamDocuments(app);
  const region = app.config.region;
  const accounts = app.config.accounts.map((a) => a.name);

  test('every managed policy the roles carry is known to the evaluator', () => {
    expect(docs.unresolvedManagedPolicies).toEqual([]);
    expect(new Set(docs.map((d) => d.managedPolicyArn).filter(Boolean))).toEqual(
      new Set([
        'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
        'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
        'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
        'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
        'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
        'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess',
      ]),
    );
  });

  test.each(accounts)('the Load Balancer Controller in %s: only load balancers and security groups it tagged', async (account) => {
    const own = accountId(app, account);
    const ask = asRole(docs, podRole(app, docs, account, 'kube-system', 'aws-load-balancer-controller'));
    const lb = (acct: string) => `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/app/k8s-yelb-yelbui-0123456789/0123456789abcdef`;
    const sg = `arn:aws:ec2:${region}:${own}:security-group/sg-0123456789abcdef0`;
    const tagged = { 'aws:ResourceTag/elbv2.k8s.aws/cluster': clusterName(app.config, account) };
    expect(await ask('elasticloadbalancing:CreateLoadBalancer', lb(own), { context: { 'aws:RequestTag/elbv2.k8s.aws/cluster': clusterName(app.config, account) } })).toBe('Allowed');
    expect(await ask('elasticloadbalancing:CreateLoadBalancer', lb(own))).toBe('ImplicitlyDenied');
    expect(await ask('elasticloadbalancing:DeleteLoadBalancer', lb(own), { context: tagged })).toBe('Allowed');
    expect(await ask('elasticloadbalancing:DeleteLoadBalancer', lb(own))).toBe('ImplicitlyDenied');
    expect(await ask('ec2:DeleteSecurityGroup', sg, { context: tagged })).toBe('Allowed');
    expect(await ask('ec2:DeleteSecurityGroup', sg)).toBe('ImplicitlyDenied');
    // Another account's load balancer, even tagged: the policy names no account, so it is IAM's
    // cross-account rule (and ELB's lack of resource policies) that keeps the role home.
    expect(await ask('elasticloadbalancing:DeleteLoadBalancer', lb(OUTSIDER), { resourceAccount: OUTSIDER, context: tagged })).toBe('ImplicitlyDenied');
  });

  test.each(accounts)('the CloudWatch agent and the proxy-metrics scraper in %s: metrics, logs, traces, and only the agent parameters', async (account) => {
    const own = accountId(app, account);
    for (const [ns, sa] of [
      ['amazon-cloudwatch', 'cloudwatch-agent'],
      ['amazon-cloudwatch', 'cwagent-prometheus'],
    ]) {
      const ask = asRole(docs, podRole(app, docs, account, ns, sa));
      expect(await ask('cloudwatch:PutMetricData', '*')).toBe('Allowed');
      expect(await ask('logs:PutLogEvents', `arn:aws:logs:${region}:${own}:log-group:/aws/containerinsights/x/performance:log-stream:node-1`)).toBe('Allowed');
      expect(await ask('xray:PutTraceSegments', '*')).toBe('Allowed');
      expect(await ask('ssm:GetParameter', `arn:aws:ssm:${region}:${own}:parameter/AmazonCloudWatch-linux`)).toBe('Allowed');
      expect(await ask('ssm:GetParameter', `arn:aws:ssm:${region}:${own}:parameter/db-password`)).toBe('ImplicitlyDenied');
      expect(await ask('logs:DeleteLogGroup', `arn:aws:logs:${region}:${own}:log-group:/aws/containerinsights/x/performance`)).toBe('ImplicitlyDenied');
    }
  });

  test.each(accounts)('the EBS CSI driver in %s: volumes it creates tagged for the cluster, and deletes only those', async (account) => {
    const own = accountId(app, account);
    const ask = asRole(docs, podRole(app, docs, account, 'kube-system', 'ebs-csi-controller-sa'));
    const volume = (acct: string) => `arn:aws:ec2:${region}:${acct}:volume/vol-0123456789abcdef0`;
    expect(await ask('ec2:CreateVolume', volume(own), { context: { 'aws:RequestTag/ebs.csi.aws.com/cluster': 'true' } })).toBe('Allowed');
    expect(await ask('ec2:CreateVolume', volume(own))).toBe('ImplicitlyDenied');
    expect(await ask('ec2:AttachVolume', volume(own))).toBe('Allowed');
    expect(await ask('ec2:DeleteVolume', volume(own), { context: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } })).toBe('Allowed');
    expect(await ask('ec2:DeleteVolume', volume(own))).toBe('ImplicitlyDenied');
    expect(await ask('ec2:DeleteVolume', volume(OUTSIDER), { resourceAccount: OUTSIDER, context: { 'ec2:ResourceTag/ebs.csi.aws.com/cluster': 'true' } })).toBe('ImplicitlyDenied');
  });

  test.each(accounts)('the VPC CNI in %s: network interfaces, and tags on nothing else', async (account) => {
    const own = accountId(app, account);
    const ask = asRole(docs, cniRole(app, account));
    const eni = `arn:aws:ec2:${region}:${own}:network-interface/eni-0123456789abcdef0`;
    expect(await ask('ec2:AssignPrivateIpAddresses', eni)).toBe('Allowed');
    expect(await ask('ec2:CreateTags', eni)).toBe('Allowed');
    expect(await ask('ec2:CreateTags', `arn:aws:ec2:${region}:${own}:instance/i-0123456789abcdef0`)).toBe('ImplicitlyDenied');
    expect(await ask('ec2:AssignPrivateIpAddresses', `arn:aws:ec2:${region}:${OUTSIDER}:network-interface/eni-0123456789abcdef0`, { resourceAccount: OUTSIDER })).toBe('ImplicitlyDenied');
  });

  test.each(accounts)("the VPC CNI's IRSA trust in %s: its own cluster's issuer only", async (account) => {
    const roleArn = cniRole(app, account);
    const trust = docs.find((d) => d.kind === 'trust' && d.roleArn === roleArn)!;
    const issuer = oidcIssuerHost(region);
    const renames = { [`${issuer}:sub`]: 'aws:RequestTag/oidc-sub', [`${issuer}:aud`]: 'aws:RequestTag/oidc-aud' };
    // The claims are the ones the trust asks for, so only the token's issuer (the federated
    // principal) differs: another cluster has another issuer, another account its own provider.
    const ask = (provider: string) =>
      decide(
        {
          principal: provider,
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: roleArn,
          resourceAccount: trust.accountId,
          context: { [`${issuer}:sub`]: 'system:serviceaccount:kube-system:aws-node', [`${issuer}:aud`]: 'sts.amazonaws.com' },
        },
        { resource: trust.policy },
        renames,
      );
    expect(await ask(`arn:aws:iam::${trust.accountId}:oidc-provider/${issuer}`)).toBe('Allowed');
    expect(await ask(`arn:aws:iam::${trust.accountId}:oidc-provider/${issuer.replace(/EXAMPLE$/, 'OTHER00')}`)).toBe('ImplicitlyDenied');
    expect(await ask(`arn:aws:iam::${OUTSIDER}:oidc-provider/${issuer}`)).toBe('ImplicitlyDenied');
  });
});

describe('Lattice: the Gateway API Controller', () => {
  const docs = iamDocuments(lattice);

  test.each(lattice.config.accounts.map((a) => a.name))('in %s: Lattice in its account, and only its own service-linked roles', async (account) => {
    const own = accountId(lattice, account);
    const ask = asRole(docs, podRole(lattice, docs, account, 'aws-application-networking-system', 'gateway-api-controller'));
    const service = (acct: string) => `arn:aws:vpc-lattice:${lattice.config.region}:${acct}:service/svc-0123456789abcdef0`;
    expect(await ask('vpc-lattice:CreateService', service(own))).toBe('Allowed');
    expect(await ask('vpc-lattice:DeleteService', service(own))).toBe('Allowed');
    expect(await ask('vpc-lattice:DeleteService', service(OUTSIDER), { resourceAccount: OUTSIDER })).toBe('ImplicitlyDenied');
    const slr = (path: string, service: string) =>
      ask('iam:CreateServiceLinkedRole', `arn:aws:iam::${own}:role/aws-service-role/${path}`, { context: { 'iam:AWSServiceName': service } });
    expect(await slr('vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice', 'vpc-lattice.amazonaws.com')).toBe('Allowed');
    expect(await slr('delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery', 'delivery.logs.amazonaws.com')).toBe('Allowed');
    expect(await slr('elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing', 'elasticloadbalancing.amazonaws.com')).toBe('ImplicitlyDenied');
    expect(await ask('iam:CreateRole', `arn:aws:iam::${own}:role/anything`)).toBe('ImplicitlyDenied');
  });
});

describe("App Mesh: a controller cannot touch another account's part of the shared mesh", () => {
  const docs = iamDocuments(appMesh);
  const mesh = { region: appMesh.config.region, meshName: appMesh.config.mesh.name, meshOwnerId: accountId(appMesh, appMesh.config.mesh.owner) };

  test.each([
    ['the owner', 'frontend', 'backend'],
    ['a member', 'backend', 'frontend'],
  ])("%s's controller: the other account's virtual nodes and an outsider's are denied", async (_n, account, other) => {
    const ask = asRole(docs, podRole(appMesh, docs, account, 'appmesh-system', 'appmesh-controller'));
    const own = accountId(appMesh, account);
    expect(await ask('appmesh:UpdateVirtualNode', meshResourceArn(mesh, own, 'virtualNode', 'yelb-ui_yelb'))).toBe('Allowed');
    expect(await ask('appmesh:UpdateVirtualNode', meshResourceArn(mesh, accountId(appMesh, other), 'virtualNode', 'yelb-ui_yelb'))).toBe('ImplicitlyDenied');
    expect(await ask('appmesh:DeleteVirtualService', meshResourceArn(mesh, OUTSIDER, 'virtualService', 'x.yelb.svc.cluster.local'))).toBe('ImplicitlyDenied');
  });
});

describe('service roles: only their service, only for their account', () => {
  const docs = iamDocuments(lattice);
  const trustOf = (suffix: string) => docs.filter((d) => d.kind === 'trust' && d.roleArn!.endsWith(suffix));
  const assume = (trust: IamDocument, principal: string, context: Record<string, string> = {}) =>
    decide({ principal, action: 'sts:AssumeRole', resource: trust.roleArn!, resourceAccount: trust.accountId, context }, { resource: trust.policy });

  test('VPC flow logs assume the flow-logs role for a flow log of its own account only', async () => {
    const trusts = trustOf('-flow-logs');
    expect(trusts).toHaveLength(2);
    for (const t of trusts) {
      const flowLog = (acct: string) => ({ 'aws:SourceAccount': acct, 'aws:SourceArn': `arn:aws:ec2:${lattice.config.region}:${acct}:vpc-flow-log/fl-0123456789abcdef0` });
      expect(await assume(t, 'vpc-flow-logs.amazonaws.com', flowLog(t.accountId))).toBe('Allowed');
      expect(await assume(t, 'vpc-flow-logs.amazonaws.com', flowLog(OUTSIDER))).toBe('ImplicitlyDenied');
      expect(await assume(t, 'delivery.logs.amazonaws.com', flowLog(t.accountId))).toBe('ImplicitlyDenied');
    }
  });

  test('the cluster role is for EKS, the node role for EC2', async () => {
    for (const t of trustOf('-cluster')) {
      expect(await assume(t, 'eks.amazonaws.com')).toBe('Allowed');
      expect(await assume(t, 'ec2.amazonaws.com')).toBe('ImplicitlyDenied');
    }
    for (const t of trustOf('-nodes')) {
      expect(await assume(t, 'ec2.amazonaws.com')).toBe('Allowed');
      expect(await assume(t, 'eks.amazonaws.com')).toBe('ImplicitlyDenied');
    }
    expect(trustOf('-cluster')).toHaveLength(2);
    expect(trustOf('-nodes')).toHaveLength(2);
  });
});
