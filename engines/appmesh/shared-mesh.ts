import { Construct } from 'constructs';
import { AppmeshMesh } from '@cdktf/provider-aws/lib/appmesh-mesh';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CrossAccountShare, type ShareMember } from '../../modules/ram-share';
import type { AccountConfig } from '../../config/schema';

export interface SharedAppMeshProps {
  meshName: string;
  project: string;
  owner: { account: AccountConfig; provider: AwsProvider };
  members: Array<ShareMember & { account: AccountConfig }>;
  sameOrganization: boolean;
}

/**
 * An App Mesh in the owner account, shared to every member through RAM. Egress is DROP_ALL:
 * a service reaches only the backends its virtual node declares, the mesh's allow-list.
 */
export class SharedAppMesh extends Construct {
  readonly mesh: AppmeshMesh;
  readonly share: CrossAccountShare;

  constructor(scope: Construct, id: string, props: SharedAppMeshProps) {
    super(scope, id);
    this.mesh = new AppmeshMesh(this, 'mesh', {
      provider: props.owner.provider,
      name: props.meshName,
      spec: { egressFilter: { type: 'DROP_ALL' } },
    });
    this.share = new CrossAccountShare(this, 'share', {
      name: `${props.project}-${props.meshName}-mesh`,
      ownerProvider: props.owner.provider,
      resourceArn: this.mesh.arn,
      members: props.members,
      sameOrganization: props.sameOrganization,
    });
    // Members need App Mesh's service-linked role before their controller can create virtual
    // nodes in the shared mesh. The owner gets it implicitly when the mesh is created.
    for (const member of props.members.filter((m) => m.account.appMeshServiceLinkedRole === 'create')) {
      new IamServiceLinkedRole(this, `slr-${member.name}`, { provider: member.provider, awsServiceName: 'appmesh.amazonaws.com' });
    }
  }
}
