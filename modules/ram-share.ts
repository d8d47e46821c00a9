import { Construct } from 'constructs';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { RamResourceShareAccepter } from '@cdktf/provider-aws/lib/ram-resource-share-accepter';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable } from 'cdktf';

export interface ShareMember {
  name: string;
  accountId: string;
  provider: AwsProvider;
}

export interface CrossAccountShareProps {
  name: string;
  ownerProvider: AwsProvider;
  resourceArn: string;
  members: ShareMember[];
  /** In one AWS Organization with RAM sharing enabled, shares need no invitation. */
  sameOrganization: boolean;
  /** RAM managed permissions to grant instead of the resource type's default one. */
  permissionArns?: string[];
}

/**
 * A RAM share of one resource with every member account, accepted in each member's own
 * account when they are outside one organization, so no one has to click an invitation.
 */
export class CrossAccountShare extends Construct {
  readonly share: RamResourceShare;
  /** Per member: what must exist before that member can use the shared resource. */
  readonly readyIn: Record<string, ITerraformDependable>;

  constructor(scope: Construct, id: string, props: CrossAccountShareProps) {
    super(scope, id);
    this.share = new RamResourceShare(this, 'share', {
      provider: props.ownerProvider,
      name: props.name,
      allowExternalPrincipals: !props.sameOrganization,
      ...(props.permissionArns ? { permissionArns: props.permissionArns } : {}),
    });
    new RamResourceAssociation(this, 'resource', { provider: props.ownerProvider, resourceShareArn: this.share.arn, resourceArn: props.resourceArn });
    this.readyIn = {};
    for (const member of props.members) {
      const principal = new RamPrincipalAssociation(this, `principal-${member.name}`, { provider: props.ownerProvider, resourceShareArn: this.share.arn, principal: member.accountId });
      this.readyIn[member.name] = props.sameOrganization
        ? principal
        : new RamResourceShareAccepter(this, `accept-${member.name}`, {
            provider: member.provider,
            // Read from the principal association so the invitation exists before accepting.
            shareArn: principal.resourceShareArn,
          });
    }
  }
}
