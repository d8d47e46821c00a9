import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { encryptedLogGroup } from './log-group';
import { fullNameTags, iamRoleName } from './limits/fit';

export interface EksControlPlaneProps {
  provider: AwsProvider;
  name: string;
  version: string;
  privateSubnetIds: string[];
  privateAccess: boolean;
  publicAccessCidrs: string[];
  kmsKeyArn: string;
  logRetentionDays: number;
  adminPrincipalArns: string[];
}

/** Control-plane log types sent to CloudWatch; audit and authenticator are the forensic ones. */
export const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/**
 * The EKS control plane: secrets envelope-encrypted with a customer key, every log type kept,
 * the API private with an optional allow-listed public endpoint, access through access entries
 * (no aws-auth ConfigMap), and an OIDC provider for the add-ons that use IRSA.
 */
export class EksControlPlane extends Construct {
  readonly cluster: EksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** The issuer without its scheme: the prefix of IRSA trust-policy condition keys. */
  readonly oidcIssuerHost: string;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const { provider } = props;
    const role = new IamRole(this, 'role', {
      provider,
      name: iamRoleName(`${props.name}-cluster`),
      tags: fullNameTags('iam-role', `${props.name}-cluster`),
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    const policy = new IamRolePolicyAttachment(this, 'cluster-policy', { provider, role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy' });
    // The managed policy has no KMS rights; envelope encryption of secrets needs these on our key only.
    const keyUse = new IamRolePolicy(this, 'secrets-key', {
      provider,
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: props.kmsKeyArn }],
      }),
    });
    // Created before the cluster so EKS writes into a group with our retention and key,
    // instead of creating an unencrypted one that never expires.
    const logs = encryptedLogGroup(this, 'logs', { provider, name: `/aws/eks/${props.name}/cluster`, retentionDays: props.logRetentionDays, kmsKeyArn: props.kmsKeyArn });
    const publicEndpoint = props.publicAccessCidrs.length > 0;
    this.cluster = new EksCluster(this, 'cluster', {
      provider,
      name: props.name,
      version: props.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.privateSubnetIds,
        endpointPrivateAccess: props.privateAccess,
        endpointPublicAccess: publicEndpoint,
        // Without this list EKS opens the public endpoint to 0.0.0.0/0.
        publicAccessCidrs: publicEndpoint ? props.publicAccessCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.kmsKeyArn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOGS,
      accessConfig: {
        authenticationMode: 'API',
        // Admins are named below; the creator gets no hidden, unrevocable admin binding.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      dependsOn: [policy, keyUse, logs],
    });
    this.oidcProvider = new IamOpenidConnectProvider(this, 'oidc', {
      provider,
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ['sts.amazonaws.com'],
      // No thumbprint: since 2023 IAM validates EKS OIDC issuers against its own trusted CAs.
    });
    this.oidcIssuerHost = Fn.replace(this.cluster.identity.get(0).oidc.get(0).issuer, 'https://', '');

    props.adminPrincipalArns.forEach((arn, i) => {
      const entry = new EksAccessEntry(this, `admin-${i}`, { provider, clusterName: this.cluster.name, principalArn: arn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        provider,
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'cluster' },
      });
    });
  }
}
