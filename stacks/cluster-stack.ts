import type { Construct } from 'constructs';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import { awsProviderFor } from './link/providers';
import { RotatingKey } from '../modules/kms-key';
import { EksControlPlane } from '../modules/eks-control-plane';
import { ManagedNodes } from '../modules/eks-node-group';
import { CoreAddons } from '../modules/eks-addons';
import { ImageRepositories } from '../modules/ecr';
import { UpstreamOutputs, publishOutputs } from './link/stack-link';
import { clusterContract, type ClusterContract } from '../contracts/cluster';
import { clusterName, clusterStackName } from '../config/naming';
import { EKS_ADDON_VERSIONS } from '../config/versions';
import type { AccountConfig } from '../config/schema';
import { amiTypeFor } from '../config/instance-families';
import { projectRepositories } from '../config/catalog/images';
import { iamRoleArn } from '../modules/limits/fit';

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
    this.outputContract = clusterContract(name, account.id, account.region, repositories, iamRoleArn(account.id, `${name}-nodes`));
    const provider = awsProviderFor(this, account, ctx);
    const net = new UpstreamOutputs(this, network, ctx);

    const key = new RotatingKey(this, 'cluster-key', {
      provider,
      accountId: account.id,
      region: account.region,
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
      kubeconfig_command: `aws eks update-kubeconfig --region ${account.region} --name ${name}${roleFlag}${profileFlag}`,
    });
  }
}
