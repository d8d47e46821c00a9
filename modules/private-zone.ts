import { Construct } from 'constructs';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** A VPC that resolves the zone's names, in its own account. */
export interface ZoneViewer {
  name: string;
  provider: AwsProvider;
  vpcId: string;
  /** The VPC's region, where it differs from the zone owner's (a zone may be associated with VPCs of other regions). */
  region?: string;
}

export interface SharedPrivateZoneProps {
  /** The zone's domain, e.g. `backend.meshdemo.lattice.internal`. */
  domain: string;
  /** The account that owns the zone and its records, with its own VPC. */
  owner: ZoneViewer;
  /** VPCs of other accounts that must resolve the names (callers of the owner's services). */
  viewers: ZoneViewer[];
  comment: string;
}

/**
 * A Route 53 private hosted zone in one account, resolvable from chosen VPCs of other accounts.
 * A cross-account association takes two steps in two accounts (Route 53 developer guide,
 * "Associating an Amazon VPC and a private hosted zone that you created with different AWS
 * accounts"): the zone's owner authorizes the VPC, then the VPC's owner associates it.
 */
export class SharedPrivateZone extends Construct {
  readonly zone: Route53Zone;

  constructor(scope: Construct, id: string, props: SharedPrivateZoneProps) {
    super(scope, id);
    const { owner } = props;
    this.zone = new Route53Zone(this, 'zone', {
      provider: owner.provider,
      name: props.domain,
      comment: props.comment,
      // A private zone is created with one VPC; the others are separate associations below,
      // which the provider documents must be paired with ignore_changes on the inline block.
      vpc: [{ vpcId: owner.vpcId }],
      lifecycle: { ignoreChanges: ['vpc'] },
    });
    for (const viewer of props.viewers) {
      // A VPC in another region is named with its region on both sides: the owner's provider
      // would otherwise look for it in the owner's region (aws_route53_vpc_association_authorization
      // and aws_route53_zone_association `vpc_region`, hashicorp/aws 5.100.0).
      const otherRegion = viewer.region && viewer.region !== owner.region ? { vpcRegion: viewer.region } : {};
      const authorization = new Route53VpcAssociationAuthorization(this, `authorize-${viewer.name}`, { provider: owner.provider, zoneId: this.zone.zoneId, vpcId: viewer.vpcId, ...otherRegion });
      new Route53ZoneAssociation(this, `associate-${viewer.name}`, {
        provider: viewer.provider,
        // Read through the authorization so the association waits for it.
        zoneId: authorization.zoneId,
        vpcId: viewer.vpcId,
        ...otherRegion,
      });
    }
  }
}
