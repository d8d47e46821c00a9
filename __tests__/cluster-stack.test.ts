import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { synthConfig, demoWith } from './support/synth';
import { NODE_MANAGED_POLICIES } from '../modules/eks-node-group';

describe('cluster stack per account', () => {
  const app = synthConfig(demoWith());
  const cluster = app.stack('cluster-frontend');

  test('one cluster stack per account, each depending on the network stack (manifest)', () => {
    expect(app.stackNames).toEqual(expect.arrayContaining(['cluster-backend', 'cluster-frontend', 'network']));
    expect(app.manifest.stacks['cluster-frontend'].dependencies).toEqual(['network']);
    expect(app.manifest.stacks['cluster-backend'].dependencies).toEqual(['network']);
  });

  test('reads the network only through its remote state, with no mocks in a real synth', () => {
    const remote = cluster.data('terraform_remote_state')['upstream-network'];
    expect(remote.backend).toBe('local');
    expect(remote.config.path).toMatch(/state\/network\.tfstate$/);
    expect(remote.defaults).toBeUndefined();
    const eks = cluster.only('aws_eks_cluster');
    expect(eks.vpc_config.subnet_ids).toContain('data.terraform_remote_state.upstream-network.outputs.private_subnet_ids');
  });

  test('the provider is locked to the account and assumes its deploy role', () => {
    const [provider] = cluster.providers();
    expect(provider.allowed_account_ids).toEqual(['111111111111']);
    expect(provider.assume_role[0].role_arn).toBe('arn:aws:iam::111111111111:role/cdktf-mesh-deployer');
  });

  test('the design in cdktf matchers: encrypted, private-first EKS on IMDSv2 nodes', () => {
    expect(cluster.synthString).toHaveResourceWithProperties(EksCluster, { version: '1.35', enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] });
    expect(cluster.synthString).toHaveResourceWithProperties(LaunchTemplate, { metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 } });
    expect(cluster.synthString).not.toHaveResourceWithProperties(LaunchTemplate, { metadata_options: { http_endpoint: 'enabled', http_tokens: 'optional', http_put_response_hop_limit: 2 } });
  });

  test('secrets are envelope-encrypted with a rotating customer key', () => {
    const eks = cluster.only('aws_eks_cluster');
    expect(eks.encryption_config.resources).toEqual(['secrets']);
    expect(eks.encryption_config.provider.key_arn).toMatch(/aws_kms_key\..*\.arn/);
    expect(cluster.only('aws_kms_key').enable_key_rotation).toBe(true);
  });

  test('the API is private, and public only for the allow-listed CIDRs', () => {
    const eks = cluster.only('aws_eks_cluster');
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    const privateOnly = synthConfig(demoWith((c) => (c.accounts[0].cluster.publicAccessCidrs = []))).stack('cluster-frontend').only('aws_eks_cluster');
    expect(privateOnly.vpc_config.endpoint_public_access).toBe(false);
    expect(privateOnly.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('all control-plane logs go to a retained, encrypted log group created first', () => {
    const eks = cluster.only('aws_eks_cluster');
    expect(eks.enabled_cluster_log_types).toEqual(expect.arrayContaining(['api', 'audit', 'authenticator']));
    const group = cluster.only('aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/eks/meshdemo-frontend/cluster', retention_in_days: 90 });
    expect(group.kms_key_id).toBeDefined();
    expect(eks.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
  });

  test('access entries (not aws-auth) make the deploy role admin, and no hidden creator admin', () => {
    expect(cluster.only('aws_eks_cluster').access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.only('aws_eks_access_entry').principal_arn).toBe('arn:aws:iam::111111111111:role/cdktf-mesh-deployer');
    expect(cluster.only('aws_eks_access_policy_association')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('an OIDC provider for IRSA and the Pod Identity agent add-on', () => {
    expect(cluster.only('aws_iam_openid_connect_provider').client_id_list).toEqual(['sts.amazonaws.com']);
    expect(cluster.only('aws_eks_addon', (a) => a.addon_name === 'eks-pod-identity-agent')).toBeDefined();
  });

  test('managed add-ons are pinned, and coredns waits for the node group', () => {
    const addons = cluster.resourceList('aws_eks_addon');
    expect(addons.map((a) => a.addon_name).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    addons.forEach((a) => expect(a.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/));
    const coredns = addons.find((a) => a.addon_name === 'coredns');
    expect(coredns.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_node_group\./)]));
  });

  test('the EBS CSI driver and the CNI get their IAM bound to their exact service accounts', () => {
    const ebs = cluster.only('aws_eks_pod_identity_association');
    expect(ebs).toMatchObject({ namespace: 'kube-system', service_account: 'ebs-csi-controller-sa' });
    const roles = cluster.resourceList('aws_iam_role');
    const ebsTrust = JSON.parse(roles.find((r) => r.name === 'meshdemo-frontend-ebs-csi').assume_role_policy);
    expect(ebsTrust.Statement[0].Condition.StringEquals).toMatchObject({
      'aws:RequestTag/kubernetes-namespace': 'kube-system',
      'aws:RequestTag/kubernetes-service-account': 'ebs-csi-controller-sa',
    });
    const cniTrust = roles.find((r) => r.name === 'meshdemo-frontend-vpc-cni').assume_role_policy as string;
    expect(cniTrust).toContain(':sub":"system:serviceaccount:kube-system:aws-node"');
    expect(cluster.only('aws_eks_addon', (a) => a.addon_name === 'vpc-cni').service_account_role_arn).toMatch(/aws_iam_role\..*\.arn/);
  });

  test('nodes come from a launch template that requires IMDSv2 and encrypts volumes', () => {
    const template = cluster.only('aws_launch_template');
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3' });
    expect(template.vpc_security_group_ids).toHaveLength(3);
    const group = cluster.only('aws_eks_node_group');
    expect(group.launch_template.id).toMatch(/aws_launch_template\..*\.id/);
    expect(group.scaling_config).toEqual({ min_size: 2, desired_size: 2, max_size: 4 });
  });

  test('the node role has only the managed policies nodes need', () => {
    const nodePolicies = cluster
      .resourceList('aws_iam_role_policy_attachment')
      .filter((a) => a.role.includes('nodes'))
      .map((a) => a.policy_arn.replace('arn:aws:iam::aws:policy/', ''));
    expect(nodePolicies.sort()).toEqual([...NODE_MANAGED_POLICIES].sort());
    expect(nodePolicies).not.toContain('AmazonEKS_CNI_Policy');
  });

  test('Yelb runs only public images, so no account gets an ECR repository (__tests__/images.test.ts covers project images)', () => {
    expect(cluster.resourceList('aws_ecr_repository')).toEqual([]);
    expect(app.stack('cluster-backend').resourceList('aws_ecr_repository')).toEqual([]);
  });

  test('outputs everything the later stacks and the user need, with the kubeconfig command', () => {
    expect(Object.keys(cluster.outputs()).sort()).toEqual(
      ['cluster_ca_data', 'cluster_endpoint', 'cluster_name', 'cluster_security_group_id', 'ecr_repository_urls', 'kubeconfig_command', 'node_role_arn', 'node_security_group_id', 'oidc_provider_arn', 'oidc_provider_url'].sort(),
    );
    expect(cluster.outputs().kubeconfig_command.value).toBe(
      'aws eks update-kubeconfig --region us-west-2 --name meshdemo-frontend --role-arn arn:aws:iam::111111111111:role/cdktf-mesh-deployer',
    );
  });
});

describe('bootstrap stack (S3 backend)', () => {
  const app = synthConfig(
    demoWith((c) => (c.backend = { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend', roleArn: 'arn:aws:iam::111111111111:role/cdktf-state' })),
  );

  test('exists only with the S3 backend and comes before the network', () => {
    expect(app.stackNames).toContain('bootstrap');
    expect(app.manifest.stacks.network.dependencies).toContain('bootstrap');
    expect(synthConfig(demoWith()).stackNames).not.toContain('bootstrap');
  });

  test('the state bucket is versioned, KMS-encrypted, private and TLS-only', () => {
    const boot = app.stack('bootstrap');
    expect(boot.only('aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    expect(boot.only('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(boot.only('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(boot.only('aws_s3_bucket_policy').policy).toContain('aws:SecureTransport');
    expect(boot.json.terraform.backend.local).toBeDefined();
  });

  test('every other stack keeps its state under its own key with encryption, a lock file and the role', () => {
    for (const name of ['network', 'cluster-frontend']) {
      const s3 = app.stack(name).json.terraform.backend.s3;
      expect(s3).toMatchObject({ bucket: 'meshdemo-tfstate-111111111111', key: `mesh/${name}.tfstate`, encrypt: true, use_lockfile: true, assume_role: { role_arn: 'arn:aws:iam::111111111111:role/cdktf-state' } });
    }
    const remote = app.stack('cluster-frontend').data('terraform_remote_state')['upstream-network'];
    expect(remote).toMatchObject({ backend: 's3', config: { bucket: 'meshdemo-tfstate-111111111111', key: 'mesh/network.tfstate' } });
  });
});
