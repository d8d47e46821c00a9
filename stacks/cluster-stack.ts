import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import { awsProviderFor } from '../modules/aws-provider';
import { RotatingKey } from '../modules/kms-key';
import { EksControlPlane } from '../modules/eks-control-plane';
import { ManagedNodes } from '../modules/eks-node-group';
import { CoreAddons } from '../modules/eks-addons';
import { ImageRepositories } from '../modules/ecr';
import { UpstreamOutputs, publishOutputs, type OutputSpec } from './link/stack-link';
import { clusterName, clusterStackName } from '../config/naming';
import { EKS_ADDON_VERSIONS } from '../config/versions';
import type { AccountConfig } from '../config/schema';
import { amiTypeFor } from '../config/instance-families';
import { projectRepositories } from '../config/catalog/images';
import { iamRoleArn } from '../modules/limits/fit';

function clusterContract(name: string, accountId: string, region: string, repositories: string[]) {
  return {
    cluster_name: { description: 'EKS cluster name', mock: name },
    cluster_endpoint: { description: 'Kubernetes API endpoint', mock: `https://MOCK${name.toUpperCase().replace(/-/g, '')}.gr7.${region}.eks.amazonaws.com` },
    cluster_ca_data: { description: 'Cluster CA certificate (base64); public, not a secret', mock: 'TU9DSy1DQQ==' },
    oidc_provider_arn: { description: 'IAM OIDC provider for IRSA', mock: `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/MOCK` },
    oidc_provider_url: { description: 'OIDC issuer URL', mock: `https://oidc.eks.${region}.amazonaws.com/id/MOCK` },
    node_security_group_id: { description: 'Security group of the nodes (rules added by later stacks)', mock: 'sg-0mocknodes' },
    cluster_security_group_id: { description: 'EKS-managed cluster security group', mock: 'sg-0mockcluster' },
    node_role_arn: { description: 'IAM role of the nodes', mock: iamRoleArn(accountId, `${name}-nodes`) },
    ecr_repository_urls: { description: 'ECR repository URL per project image (`project/<repo>`) the services of this account run', mock: Object.fromEntries(repositories.map((i) => [i, `${accountId}.dkr.ecr.${region}.amazonaws.com/mock/${i}`])) },
    kubeconfig_command: { description: 'Command that writes a kubeconfig entry for this cluster', mock: `aws eks update-kubeconfig --name ${name}` },
  } satisfies Record<string, OutputSpec>;
}

export type ClusterContract = ReturnType<typeof clusterContract>;

/** One account's EKS cluster, its nodes, add-ons and image repositories. */
export class ClusterStack extends ProjectStack<ClusterContract> {
  readonly outputContract: ClusterContract;
  readonly account: AccountConfig;

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, network: NetworkStack) {
    super(scope, clusterStackName(account.name), ctx);
    const { config } = ctx;
    this.account = account;
    const name = clusterName(config, account.name);
    // Only the repositories this account's services pull, from the catalog's `project/<repo>` images.
    const repositories = projectRepositories(config.services, account.name);
    this.outputContract = clusterContract(name, account.id, config.region, repositories);
    const provider = awsProviderFor(this, account, ctx);
    const net = new UpstreamOutputs(this, network, ctx);

    const key = new RotatingKey(this, 'cluster-key', {
      provider,
      accountId: account.id,
      region: config.region,
      alias: `${name}-cluster`,
      description: `Encrypts Kubernetes secrets, control-plane logs and images of ${name}`,
      allowCloudWatchLogs: true,
    });
    const privateSubnetIds = net.entryList('private_subnet_ids', account.name);
    const controlPlane = new EksControlPlane(this, 'control-plane', {
      provider,
      name,
      version: account.cluster.version,
      privateSubnetIds,
      privateAccess: account.cluster.privateAccess,
      publicAccessCidrs: account.cluster.publicAccessCidrs,
      kmsKeyArn: key.key.arn,
      logRetentionDays: account.vpc.flowLogRetentionDays,
      adminPrincipalArns: account.cluster.adminPrincipalArns ?? [account.roleArn!],
    });
    const { cluster } = controlPlane;
    const clusterSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    const nodes = new ManagedNodes(this, 'nodes', {
      provider,
      name,
      clusterName: cluster.name,
      vpcId: net.entry('vpc_ids', account.name),
      subnetIds: privateSubnetIds,
      clusterSecurityGroupId,
      extraSecurityGroupIds: [net.entry('mesh_peer_security_group_ids', account.name)],
      settings: account.cluster,
      amiType: amiTypeFor(account.cluster.instanceTypes),
    });
    new CoreAddons(this, 'addons', {
      provider,
      name,
      accountId: account.id,
      cluster,
      oidcProviderArn: controlPlane.oidcProvider.arn,
      oidcIssuerHost: controlPlane.oidcIssuerHost,
      versions: EKS_ADDON_VERSIONS[account.cluster.version],
      nodes: nodes.nodeGroup,
    });
    const images = new ImageRepositories(this, 'images', { provider, prefix: config.project, names: repositories, kmsKeyArn: key.key.arn, keepImages: 20 });

    const roleFlag = account.roleArn ? ` --role-arn ${account.roleArn}` : '';
    const profileFlag = account.profile ? ` --profile ${account.profile}` : '';
    publishOutputs(this, {
      cluster_name: cluster.name,
      cluster_endpoint: cluster.endpoint,
      cluster_ca_data: cluster.certificateAuthority.get(0).data,
      oidc_provider_arn: controlPlane.oidcProvider.arn,
      oidc_provider_url: controlPlane.oidcProvider.url,
      node_security_group_id: nodes.securityGroup.id,
      cluster_security_group_id: clusterSecurityGroupId,
      node_role_arn: nodes.role.arn,
      ecr_repository_urls: Object.fromEntries(Object.entries(images.repositories).map(([k, r]) => [k, r.repositoryUrl])),
      kubeconfig_command: `aws eks update-kubeconfig --region ${config.region} --name ${name}${roleFlag}${profileFlag}`,
    });
  }
}
