// Every pinned version of what runs on the clusters, in one place. Bump here, review the plan.
// Each pin names where it was read and when.

import type { EksVersion } from './platform';

export type EksAddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'aws-ebs-csi-driver' | 'eks-pod-identity-agent' | 'amazon-cloudwatch-observability';

/**
 * EKS managed add-on versions per Kubernetes version (kube-proxy and coredns follow the control
 * plane's minor version). Source: the version maps of awslabs/cdk-eks-blueprints (lib/addons/*,
 * snapshot of 2026-07-01), which record `aws eks describe-addon-versions`; read 2026-11-24.
 */
export const EKS_ADDON_VERSIONS: Record<EksVersion, Record<EksAddonName, string>> = {
  '1.32': { 'vpc-cni': 'v1.20.4-eksbuild.2', coredns: 'v1.11.4-eksbuild.2', 'kube-proxy': 'v1.32.6-eksbuild.12', 'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.10.1-eksbuild.1' },
  '1.33': { 'vpc-cni': 'v1.20.4-eksbuild.2', coredns: 'v1.12.1-eksbuild.2', 'kube-proxy': 'v1.33.3-eksbuild.4', 'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.10.1-eksbuild.1' },
  '1.34': { 'vpc-cni': 'v1.20.4-eksbuild.2', coredns: 'v1.12.3-eksbuild.1', 'kube-proxy': 'v1.34.0-eksbuild.2', 'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2', 'amazon-cloudwatch-observability': 'v4.10.1-eksbuild.1' },
  '1.35': { 'vpc-cni': 'v1.21.1-eksbuild.1', coredns: 'v1.13.2-eksbuild.3', 'kube-proxy': 'v1.35.0-eksbuild.2', 'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1', 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2', 'amazon-cloudwatch-observability': 'v5.3.1-eksbuild.1' },
};

/**
 * CloudWatch agent image for the Envoy Prometheus scraper: a tag of public.ecr.aws/cloudwatch-agent
 * seen in published manifests (read 2026-11-24). The Container Insights agent itself comes with
 * the managed add-on above.
 */
export const CLOUDWATCH_AGENT_IMAGE = 'public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300062.0b1304';

/**
 * Gateway API CRDs, standard channel, at the version the pinned VPC Lattice controller builds
 * against (sigs.k8s.io/gateway-api v1.5.0 in aws/aws-application-networking-k8s v2.1.3 go.mod;
 * its install guide applies the same release). Read 2026-11-24.
 */
export const GATEWAY_API_VERSION = 'v1.5.0';
export const GATEWAY_API_CRDS_URL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;

/**
 * Envoy for the SigV4 signing proxy next to Lattice callers (Docker Hub envoyproxy/envoy, a tag
 * seen in published manifests, read 2026-11-24).
 */
export const ENVOY_IMAGE = 'envoyproxy/envoy:v1.36.2';
