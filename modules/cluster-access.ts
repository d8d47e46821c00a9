import type { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';

export interface ClusterEndpoint {
  name: string;
  endpoint: string;
  caData: string;
  region: string;
}

/** How the deploy credentials reach the account: a named profile, then the deploy role. */
export interface DeployCredentials {
  profile?: string;
  roleArn?: string;
}

/**
 * `aws eks get-token` under the account's deploy role: a short-lived token minted on every
 * plan and apply, so there is no kubeconfig on disk and no long-lived credential in state.
 */
function execAuth(cluster: ClusterEndpoint, account: DeployCredentials) {
  const args = ['eks', 'get-token', '--cluster-name', cluster.name, '--region', cluster.region, '--output', 'json'];
  if (account.roleArn) args.push('--role-arn', account.roleArn);
  if (account.profile) args.push('--profile', account.profile);
  return { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args };
}

/** Kubernetes and Helm providers for one cluster, configured from the cluster stack's outputs. */
export function clusterProviders(scope: Construct, cluster: ClusterEndpoint, account: DeployCredentials) {
  const exec = execAuth(cluster, account);
  const clusterCaCertificate = Fn.base64decode(cluster.caData);
  const kubernetes = new KubernetesProvider(scope, 'kubernetes', { host: cluster.endpoint, clusterCaCertificate, exec: [exec] });
  const helm = new HelmProvider(scope, 'helm', { kubernetes: { host: cluster.endpoint, clusterCaCertificate, exec } });
  return { kubernetes, helm };
}
