import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { fitName, fullNameTags, iamRoleName } from './limits/fit';

/** The node group's shape: instance types, scaling, root volume and the IMDS hop limit. */
export interface NodeGroupSettings {
  instanceTypes: string[];
  minSize: number;
  desiredSize: number;
  maxSize: number;
  diskSizeGiB: number;
  /** 1 keeps pods (one hop further) away from the node's instance metadata; 2 lets them reach it. */
  imdsHopLimit: number;
}

export interface ManagedNodesProps {
  provider: AwsProvider;
  name: string;
  clusterName: string;
  vpcId: string;
  subnetIds: string[];
  /** EKS's own cluster security group; listed explicitly because a launch template replaces the default. */
  clusterSecurityGroupId: string;
  /** Extra groups the network stack owns (the peer-VPC rules). */
  extraSecurityGroupIds: string[];
  settings: NodeGroupSettings;
  /** The EKS AMI type matching the instance types' CPU architecture. */
  amiType: string;
}

/**
 * Only what a node itself needs: join the cluster and pull images. The CNI's permissions go to
 * its own service account (IRSA), not to every pod on the node through the instance profile.
 */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'];

/** A managed node group from a launch template that requires IMDSv2 and encrypts its disks. */
export class ManagedNodes extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ManagedNodesProps) {
    super(scope, id);
    const { provider, settings } = props;
    this.role = new IamRole(this, 'role', {
      provider,
      name: iamRoleName(`${props.name}-nodes`),
      tags: fullNameTags('iam-role', `${props.name}-nodes`),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    const attachments = NODE_MANAGED_POLICIES.map((p) => new IamRolePolicyAttachment(this, p, { provider, role: this.role.name, policyArn: `arn:aws:iam::aws:policy/${p}` }));
    // No rules of its own: it is the handle other stacks use to admit traffic to the nodes
    // (e.g. from VPC Lattice), so that nothing edits EKS's managed cluster security group.
    this.securityGroup = new SecurityGroup(this, 'sg', {
      provider,
      name: `${props.name}-nodes`,
      description: `Nodes of ${props.clusterName}; rules are added by the stacks that need them`,
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-nodes`, [`kubernetes.io/cluster/${props.clusterName}`]: 'owned' },
    });
    const template = new LaunchTemplate(this, 'template', {
      provider,
      name: `${props.name}-nodes`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: settings.imdsHopLimit,
      },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: settings.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
      vpcSecurityGroupIds: [props.clusterSecurityGroupId, this.securityGroup.id, ...props.extraSecurityGroupIds],
      tagSpecifications: [{ resourceType: 'instance', tags: { Name: `${props.name}-node` } }],
    });
    this.nodeGroup = new EksNodeGroup(this, 'group', {
      provider,
      clusterName: props.clusterName,
      nodeGroupName: fitName('eks-node-group', `${props.name}-default`),
      tags: fullNameTags('eks-node-group', `${props.name}-default`),
      nodeRoleArn: this.role.arn,
      subnetIds: props.subnetIds,
      amiType: props.amiType,
      instanceTypes: settings.instanceTypes,
      scalingConfig: { minSize: settings.minSize, desiredSize: settings.desiredSize, maxSize: settings.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      // A cluster autoscaler owns the desired size after creation; re-applying must not undo it.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      dependsOn: attachments,
    });
  }
}
