import { Construct } from 'constructs';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable } from 'cdktf';
import { IrsaRole, PodIdentityRole } from './workload-identity';

/** The managed add-ons this construct installs, each at the version the caller pins. */
export type CoreAddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'aws-ebs-csi-driver' | 'eks-pod-identity-agent';

export interface CoreAddonsProps {
  provider: AwsProvider;
  name: string;
  accountId: string;
  cluster: EksCluster;
  oidcProviderArn: string;
  oidcIssuerHost: string;
  versions: Record<CoreAddonName, string>;
  /** The node group: add-ons whose pods need nodes wait for it. */
  nodes: ITerraformDependable;
}

/**
 * The cluster's managed add-ons at pinned versions. The CNI, kube-proxy and the Pod Identity
 * agent are DaemonSets that nodes need to become Ready, so they go first; coredns and the EBS
 * CSI driver are Deployments that would sit Pending (and time out the apply) without nodes.
 */
export class CoreAddons extends Construct {
  readonly addons: Record<string, EksAddon> = {};

  constructor(scope: Construct, id: string, props: CoreAddonsProps) {
    super(scope, id);
    const { provider, cluster } = props;
    const addon = (name: CoreAddonName, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}) => {
      this.addons[name] = new EksAddon(this, name, {
        provider,
        clusterName: cluster.name,
        addonName: name,
        addonVersion: props.versions[name],
        // Our pinned version wins over hand edits on create and update.
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        ...extra,
      });
      return this.addons[name];
    };
    const cni = new IrsaRole(this, 'vpc-cni-irsa', {
      provider,
      roleName: `${props.name}-vpc-cni`,
      accountId: props.accountId,
      clusterName: props.name,
      namespace: 'kube-system',
      serviceAccount: 'aws-node',
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerHost: props.oidcIssuerHost,
      managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'],
    });
    // Network policy enforcement on, so the NetworkPolicies the workloads stacks generate hold.
    addon('vpc-cni', { serviceAccountRoleArn: cni.role.arn, configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) });
    addon('kube-proxy');
    addon('eks-pod-identity-agent');
    addon('coredns', { dependsOn: [props.nodes] });
    const ebs = new PodIdentityRole(this, 'ebs-csi-identity', {
      provider,
      roleName: `${props.name}-ebs-csi`,
      accountId: props.accountId,
      clusterName: props.name,
      clusterNameRef: cluster.name,
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
    });
    addon('aws-ebs-csi-driver', { dependsOn: [props.nodes, ebs.association, this.addons['eks-pod-identity-agent']] });
  }
}
