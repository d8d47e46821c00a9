import { Construct } from 'constructs';
import { VpclatticeServiceNetwork } from '@cdktf/provider-aws/lib/vpclattice-service-network';
import { VpclatticeAuthPolicy } from '@cdktf/provider-aws/lib/vpclattice-auth-policy';
import { VpclatticeServiceNetworkVpcAssociation } from '@cdktf/provider-aws/lib/vpclattice-service-network-vpc-association';
import { VpclatticeAccessLogSubscription } from '@cdktf/provider-aws/lib/vpclattice-access-log-subscription';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CrossAccountShare } from '../../modules/ram-share';
import { RotatingKey } from '../../modules/kms-key';
import { encryptedLogGroup } from '../../modules/log-group';

export interface LatticeMember {
  name: string;
  accountId: string;
  provider: AwsProvider;
  vpcId: string;
  nodeSecurityGroupId: string;
  /** Lattice listener ports the account's services call (the Gateway listeners they reach). */
  clientPorts: number[];
}

export interface SharedServiceNetworkProps {
  name: string;
  project: string;
  region: string;
  owner: LatticeMember;
  members: LatticeMember[];
  sameOrganization: boolean;
  logRetentionDays: number;
}

/**
 * A VPC Lattice service network in the owner account: IAM auth, an auth policy admitting only
 * the accounts of the mesh, shared to the members through RAM, associated with every account's
 * VPC behind a security group that admits only that cluster's nodes, access logs kept.
 */
export class SharedServiceNetwork extends Construct {
  readonly serviceNetwork: VpclatticeServiceNetwork;
  readonly share: CrossAccountShare;

  constructor(scope: Construct, id: string, props: SharedServiceNetworkProps) {
    super(scope, id);
    const { owner } = props;
    const everyone = [owner, ...props.members];
    this.serviceNetwork = new VpclatticeServiceNetwork(this, 'service-network', { provider: owner.provider, name: props.name, authType: 'AWS_IAM' });
    // The network-level gate: principals of the mesh's accounts only. Each service adds its
    // own policy naming exactly the callers the catalog declares.
    new VpclatticeAuthPolicy(this, 'auth-policy', {
      provider: owner.provider,
      resourceIdentifier: this.serviceNetwork.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: everyone.map((m) => `arn:aws:iam::${m.accountId}:root`) }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }],
      }),
    });
    this.share = new CrossAccountShare(this, 'share', {
      name: `${props.project}-${props.name}-service-network`,
      ownerProvider: owner.provider,
      resourceArn: this.serviceNetwork.arn,
      members: props.members,
      sameOrganization: props.sameOrganization,
    });
    const key = new RotatingKey(this, 'logs-key', { provider: owner.provider, accountId: owner.accountId, region: props.region, alias: `${props.project}-${props.name}-lattice-logs`, description: 'Encrypts the VPC Lattice access logs', allowCloudWatchLogs: true });
    const logs = encryptedLogGroup(this, 'access-logs', { provider: owner.provider, name: `/aws/vpclattice/${props.name}`, retentionDays: props.logRetentionDays, kmsKeyArn: key.key.arn });
    new VpclatticeAccessLogSubscription(this, 'access-log-subscription', { provider: owner.provider, resourceIdentifier: this.serviceNetwork.id, destinationArn: logs.arn });

    for (const m of everyone) {
      const sg = new SecurityGroup(this, `${m.name}-association-sg`, {
        provider: m.provider,
        name: `${props.project}-${m.name}-lattice`,
        description: `VPC Lattice association of ${m.name}: from its cluster nodes only`,
        vpcId: m.vpcId,
        tags: { Name: `${props.project}-${m.name}-lattice` },
      });
      for (const port of m.clientPorts) {
        new VpcSecurityGroupIngressRule(this, `${m.name}-nodes-${port}`, {
          provider: m.provider,
          securityGroupId: sg.id,
          description: `Lattice listener ${port} from the cluster nodes`,
          referencedSecurityGroupId: m.nodeSecurityGroupId,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
        });
      }
      new VpclatticeServiceNetworkVpcAssociation(this, `${m.name}-association`, {
        provider: m.provider,
        // Members must name the shared network by ARN; the id only resolves in the owner account.
        serviceNetworkIdentifier: this.serviceNetwork.arn,
        vpcIdentifier: m.vpcId,
        securityGroupIds: [sg.id],
        dependsOn: m === owner ? [] : [this.share.readyIn[m.name]],
      });
    }
  }
}
