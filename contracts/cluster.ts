import type { OutputSpec } from './outputs';

/** One cluster stack's outputs: the cluster, its OIDC provider, nodes and image repositories. */
export function clusterContract(name: string, accountId: string, region: string, repositories: string[], nodeRoleArn: string) {
  return {
    cluster_name: { description: 'EKS cluster name', mock: name },
    cluster_endpoint: { description: 'Kubernetes API endpoint', mock: `https://MOCK${name.toUpperCase().replace(/-/g, '')}.gr7.${region}.eks.amazonaws.com` },
    cluster_ca_data: { description: 'Cluster CA certificate (base64); public, not a secret', mock: 'TU9DSy1DQQ==' },
    oidc_provider_arn: { description: 'IAM OIDC provider for IRSA', mock: `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.${region}.amazonaws.com/id/MOCK` },
    oidc_provider_url: { description: 'OIDC issuer URL', mock: `https://oidc.eks.${region}.amazonaws.com/id/MOCK` },
    node_security_group_id: { description: 'Security group of the nodes (rules added by later stacks)', mock: 'sg-0mocknodes' },
    cluster_security_group_id: { description: 'EKS-managed cluster security group', mock: 'sg-0mockcluster' },
    node_role_arn: { description: 'IAM role of the nodes', mock: nodeRoleArn },
    ecr_repository_urls: { description: 'ECR repository URL per project image (`project/<repo>`) the services of this account run', mock: Object.fromEntries(repositories.map((i) => [i, `${accountId}.dkr.ecr.${region}.amazonaws.com/mock/${i}`])) },
    kubeconfig_command: { description: 'Command that writes a kubeconfig entry for this cluster', mock: `aws eks update-kubeconfig --name ${name}` },
  } satisfies Record<string, OutputSpec>;
}

export type ClusterContract = ReturnType<typeof clusterContract>;
