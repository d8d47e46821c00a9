import type { TerraformStack } from 'cdktf';
import type { StackContext } from './context';
import { awsProviderFor } from './link/providers';
import { clusterProviders } from '../modules/cluster-access';
import type { ClusterInfo } from '../modules/addons/addon';
import type { OutputReader } from '../contracts/outputs';
import type { ClusterContract } from '../contracts/cluster';
import type { NetworkContract } from '../contracts/network';
import { clusterName } from '../config/naming';
import type { AccountConfig } from '../config/schema';

/**
 * What an add-on gets to deploy into one cluster from a stack after the cluster stack: the
 * cluster's names, network ids and the AWS, Kubernetes and Helm providers (the last two reach the
 * API server with a token minted at plan time, see modules/cluster-access.ts).
 */
export function clusterHandle(stack: TerraformStack, ctx: StackContext, account: AccountConfig, cluster: OutputReader<ClusterContract>, net: OutputReader<NetworkContract>): ClusterInfo {
  const { config } = ctx;
  const name = clusterName(config, account.name);
  const endpoint = { name, endpoint: cluster.string('cluster_endpoint'), caData: cluster.string('cluster_ca_data'), region: account.region };
  return {
    scope: stack,
    accountName: account.name,
    accountId: account.id,
    region: account.region,
    clusterName: name,
    clusterNameRef: cluster.string('cluster_name'),
    vpcId: net.entry('vpc_ids', account.name),
    nodeSecurityGroupId: cluster.string('node_security_group_id'),
    aws: awsProviderFor(stack, account, ctx),
    ...clusterProviders(stack, endpoint, account),
  };
}
