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

/**
 * Istio's images for the `istio` engine: the control plane (`pilot`), the sidecar and gateway
 * proxy (`proxyv2`, also what the injector puts into gateway pods, whose chart says
 * `image: auto`) and the CNI node agent (`install-cni`). Tag = the istio/istio release tag 1.30.3
 * (2026-07-13, the newest non-prerelease tag; read 2026-11-25). Image names from the charts'
 * values.yaml at that tag (istio-discovery `image: pilot`, `global.proxy.image: proxyv2`,
 * istio-cni `image: install-cni`); hub docker.io/istio, one of the release hubs listed in
 * tools/docker-builder/main.go (`privilegedHubs`) at the same tag. The charts in git carry
 * `registry.istio.io/testing`/`latest`, replaced at publish time, so the hub and tag are always
 * set explicitly.
 */
export const ISTIO_IMAGES = {
  hub: 'docker.io/istio',
  tag: '1.30.3',
  pilot: 'docker.io/istio/pilot:1.30.3',
  proxyv2: 'docker.io/istio/proxyv2:1.30.3',
  installCni: 'docker.io/istio/install-cni:1.30.3',
} as const;

/**
 * cert-manager's images at v1.21.1 (tag 2026-07-29, read 2026-11-25). The chart builds each as
 * `<imageRegistry>/<imageNamespace>/<image.name>:<appVersion>` (deploy/charts/cert-manager,
 * templates/_helpers.tpl `cert-manager.image`, values.yaml `imageRegistry: quay.io`,
 * `imageNamespace: jetstack`), so pinning the chart at v1.21.1 pins these; listed for review and
 * checked against the chart in the tests.
 */
export const CERT_MANAGER_IMAGES = {
  controller: 'quay.io/jetstack/cert-manager-controller:v1.21.1',
  webhook: 'quay.io/jetstack/cert-manager-webhook:v1.21.1',
  cainjector: 'quay.io/jetstack/cert-manager-cainjector:v1.21.1',
  startupapicheck: 'quay.io/jetstack/cert-manager-startupapicheck:v1.21.1',
} as const;

/**
 * aws-privateca-issuer v1.9.0 (tag 2026-06-12, read 2026-11-25): repository from
 * charts/aws-pca-issuer/values.yaml (`image.repository`), tag = the chart's appVersion, set
 * explicitly in the values.
 */
export const PCA_ISSUER_IMAGE = { repository: 'public.ecr.aws/k1n1h4h4/cert-manager-aws-privateca-issuer', tag: 'v1.9.0' } as const;
