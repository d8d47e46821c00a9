// Every pinned version of what runs on the clusters, in one place. Bump here, review the plan.
// Each pin names where it was read and when.

import type { EksVersion } from './platform';

export type EksAddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'aws-ebs-csi-driver' | 'eks-pod-identity-agent' | 'amazon-cloudwatch-observability';

/**
 * EKS managed add-on versions per Kubernetes version (kube-proxy and coredns follow the
 * control plane's minor version). Source: `aws eks describe-addon-versions` as documented in the
 * EKS user guide's add-on pages, read 2026-11-24.
 */
export const EKS_ADDON_VERSIONS: Record<EksVersion, Record<EksAddonName, string>> = {
  '1.30': { 'vpc-cni': 'v1.19.5-eksbuild.1', coredns: 'v1.11.4-eksbuild.2', 'kube-proxy': 'v1.30.9-eksbuild.3', 'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.7-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1' },
  '1.31': { 'vpc-cni': 'v1.19.5-eksbuild.1', coredns: 'v1.11.4-eksbuild.2', 'kube-proxy': 'v1.31.7-eksbuild.2', 'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.7-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1' },
  '1.32': { 'vpc-cni': 'v1.19.5-eksbuild.1', coredns: 'v1.11.4-eksbuild.10', 'kube-proxy': 'v1.32.3-eksbuild.7', 'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.7-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1' },
  '1.33': { 'vpc-cni': 'v1.19.5-eksbuild.1', coredns: 'v1.12.1-eksbuild.2', 'kube-proxy': 'v1.33.0-eksbuild.2', 'aws-ebs-csi-driver': 'v1.44.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.7-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.1.0-eksbuild.1' },
  '1.34': { 'vpc-cni': 'v1.20.4-eksbuild.1', coredns: 'v1.12.4-eksbuild.1', 'kube-proxy': 'v1.34.0-eksbuild.2', 'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2', 'eks-pod-identity-agent': 'v1.3.8-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.4.0-eksbuild.1' },
};

/**
 * CloudWatch agent image for the Envoy Prometheus scraper (public.ecr.aws/cloudwatch-agent,
 * read 2026-11-24). The Container Insights agent itself comes with the managed add-on above.
 */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300057.0b1161';
