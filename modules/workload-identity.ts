import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { fullNameTags, iamRoleName } from './limits/fit';

/** What a Kubernetes service account may do in AWS: an inline policy and/or managed policies. */
export interface Permissions {
  /** Inline policy document (an object; serialized here). */
  policy?: { Version: string; Statement: object[] };
  managedPolicyArns?: string[];
}

interface RoleBase extends Permissions {
  provider: AwsProvider;
  roleName: string;
  accountId: string;
  clusterName: string;
  namespace: string;
  serviceAccount: string;
}

/** The role, trusted by one principal under exact-match conditions, with its permissions attached. */
function boundRole(scope: Construct, props: RoleBase, trust: { principal: object; action: string | string[]; conditions: Record<string, string> }): IamRole {
  const role = new IamRole(scope, 'role', {
    provider: props.provider,
    name: iamRoleName(props.roleName),
    tags: fullNameTags('iam-role', props.roleName),
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: trust.principal, Action: trust.action, Condition: { StringEquals: trust.conditions } }],
    }),
  });
  if (props.policy) new IamRolePolicy(scope, 'policy', { provider: props.provider, role: role.id, policy: JSON.stringify(props.policy) });
  (props.managedPolicyArns ?? []).forEach((arn, i) => new IamRolePolicyAttachment(scope, `managed-${i}`, { provider: props.provider, role: role.name, policyArn: arn }));
  return role;
}

/**
 * An IAM role for one service account through EKS Pod Identity. The association binds it to
 * that namespace and service account; the trust policy repeats the binding through the session
 * tags EKS sets, so the role stays bound even if someone adds a second association by hand.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: RoleBase & { clusterNameRef?: string }) {
    super(scope, id);
    this.role = boundRole(this, props, {
      principal: { Service: 'pods.eks.amazonaws.com' },
      action: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: {
        'aws:SourceAccount': props.accountId,
        'aws:RequestTag/eks-cluster-name': props.clusterName,
        'aws:RequestTag/kubernetes-namespace': props.namespace,
        'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
      },
    });
    this.association = new EksPodIdentityAssociation(this, 'association', {
      provider: props.provider,
      clusterName: props.clusterNameRef ?? props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}

/**
 * An IAM role for one service account through IRSA, for the few add-ons that must have their
 * credentials before the Pod Identity agent runs (the VPC CNI). `sub` and `aud` are both pinned.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RoleBase & { oidcProviderArn: string; oidcIssuerHost: string }) {
    super(scope, id);
    this.role = boundRole(this, props, {
      principal: { Federated: props.oidcProviderArn },
      action: 'sts:AssumeRoleWithWebIdentity',
      conditions: {
        [`${props.oidcIssuerHost}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
        [`${props.oidcIssuerHost}:aud`]: 'sts.amazonaws.com',
      },
    });
  }
}
