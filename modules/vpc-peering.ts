import { Construct } from 'constructs';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** A port the peer may reach, and the service it serves (for the rule's description). */
export interface PortUse {
  port: number;
  service: string;
}

/** One side of a peering: its account, VPC, routes and the security group peers may reach. */
export interface PeerSide {
  name: string;
  accountId: string;
  /** The region of the side's VPC; a peering across regions is requested in the requester's and accepted in the accepter's. */
  region: string;
  provider: AwsProvider;
  vpcId: string;
  cidr: string;
  privateRouteTableIds: string[];
  peerSecurityGroupId: string;
  /** Service ports on this side that the other side calls. */
  openPorts: PortUse[];
}

/**
 * Cross-account VPC peering with nothing left to do by hand: the requester asks, the accepter
 * accepts in its own account, both allow DNS resolution of the other's private names, every
 * private route table on both sides routes the peer CIDR, and only the called ports are open.
 */
export class CrossAccountPeering extends Construct {
  readonly connection: VpcPeeringConnection;

  constructor(scope: Construct, id: string, props: { requester: PeerSide; accepter: PeerSide }) {
    super(scope, id);
    const { requester, accepter } = props;
    const tags = { Name: `${requester.name}-to-${accepter.name}` };
    this.connection = new VpcPeeringConnection(this, 'request', {
      provider: requester.provider,
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerOwnerId: accepter.accountId,
      // The accepter's region: an inter-region request is made in the requester's region and
      // accepted in the accepter's (AWS, "Create a VPC peering connection"); the provider refuses
      // peer_region with auto_accept true, so the accepter below accepts with its own provider.
      peerRegion: accepter.region,
      // Cross-account peering cannot be auto-accepted by the requester; the accepter below does it.
      autoAccept: false,
      tags,
    });
    const accepted = new VpcPeeringConnectionAccepterA(this, 'accept', { provider: accepter.provider, vpcPeeringConnectionId: this.connection.id, autoAccept: true, tags });
    // Each side may only set its own options, and only once the connection is active.
    new VpcPeeringConnectionOptions(this, 'requester-dns', {
      provider: requester.provider,
      vpcPeeringConnectionId: accepted.vpcPeeringConnectionId,
      requester: { allowRemoteVpcDnsResolution: true },
    });
    new VpcPeeringConnectionOptions(this, 'accepter-dns', {
      provider: accepter.provider,
      vpcPeeringConnectionId: accepted.vpcPeeringConnectionId,
      accepter: { allowRemoteVpcDnsResolution: true },
    });
    for (const [side, peer] of [[requester, accepter], [accepter, requester]] as const) {
      side.privateRouteTableIds.forEach((rt, i) =>
        new Route(this, `${side.name}-route-${i}`, { provider: side.provider, routeTableId: rt, destinationCidrBlock: peer.cidr, vpcPeeringConnectionId: accepted.vpcPeeringConnectionId }),
      );
      // Only the ports of services the peer calls, and only from the peer's CIDR. The
      // walkthrough opened all traffic; Envoy's own ports (15000/15001/9901) stay closed
      // because sidecars talk to the remote application port, which Envoy intercepts.
      for (const use of side.openPorts) {
        new VpcSecurityGroupIngressRule(this, `${side.name}-from-${peer.name}-${use.port}`, {
          provider: side.provider,
          securityGroupId: side.peerSecurityGroupId,
          description: `${use.service} from ${peer.name}`,
          cidrIpv4: peer.cidr,
          ipProtocol: 'tcp',
          fromPort: use.port,
          toPort: use.port,
        });
      }
      // Path MTU discovery across regions: inter-region peering carries at most 8500-byte
      // packets while each VPC allows 9001 (EC2 User Guide, "Network maximum transmission unit"),
      // so a sender must receive ICMP "fragmentation needed" (type 3, code 4) or large packets
      // with DF set vanish. The peer CIDR, never a security group: SG references do not cross
      // regions ("Update your security groups to reference peer security groups", VPC Peering Guide).
      // For ICMP, from_port is the type and to_port the code (EC2 API IpPermission FromPort/ToPort).
      if (side.region !== peer.region) {
        new VpcSecurityGroupIngressRule(this, `${side.name}-from-${peer.name}-pmtud`, {
          provider: side.provider,
          securityGroupId: side.peerSecurityGroupId,
          description: `PMTUD from ${peer.name}`,
          cidrIpv4: peer.cidr,
          ipProtocol: 'icmp',
          fromPort: 3,
          toPort: 4,
        });
      }
    }
  }
}
