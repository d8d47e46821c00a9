import { Construct } from 'constructs';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VpcFlowLogs } from './flow-logs';

export interface AccountVpcProps {
  provider: AwsProvider;
  name: string;
  region: string;
  accountId: string;
  cidr: string;
  availabilityZones: readonly string[];
  /** One private and one public subnet block per AZ, in the AZs' order. */
  subnets: { private: readonly string[]; public: readonly string[] };
  natGateways: 'one-per-az' | 'single';
  /** The cluster that will run here; its name goes on the subnet tags the LB controller reads. */
  clusterName: string;
  flowLogRetentionDays: number;
  logsKmsKeyArn: string;
  interfaceEndpoints: readonly string[];
}

/** One account's VPC: public and private subnets per AZ, NAT egress, flow logs, endpoints. */
export class AccountVpc extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: Subnet[];
  readonly publicSubnets: Subnet[];
  readonly privateRouteTables: RouteTable[];

  constructor(scope: Construct, id: string, props: AccountVpcProps) {
    super(scope, id);
    const { provider } = props;
    const plan = props.subnets;
    this.vpc = new Vpc(this, 'vpc', {
      provider,
      cidrBlock: props.cidr,
      // Both are needed for private EKS endpoints and for DNS resolution across the peering.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    // Takes over the default group and strips its rules, so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'default-sg-closed', { provider, vpcId: this.vpc.id, ingress: [], egress: [], tags: { Name: `${props.name}-default-closed` } });

    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    const subnet = (kind: 'public' | 'private', cidr: string, az: string, i: number) =>
      new Subnet(this, `${kind}-${i}`, {
        provider,
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: az,
        mapPublicIpOnLaunch: false,
        tags: {
          Name: `${props.name}-${kind}-${az}`,
          ...clusterTag,
          // The AWS Load Balancer Controller picks subnets by these tags.
          [kind === 'public' ? 'kubernetes.io/role/elb' : 'kubernetes.io/role/internal-elb']: '1',
        },
      });
    this.publicSubnets = plan.public.map((c, i) => subnet('public', c, props.availabilityZones[i], i));
    this.privateSubnets = plan.private.map((c, i) => subnet('private', c, props.availabilityZones[i], i));

    const igw = new InternetGateway(this, 'igw', { provider, vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRt = new RouteTable(this, 'public-rt', { provider, vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, 'public-default', { provider, routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    this.publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-assoc-${i}`, { provider, subnetId: s.id, routeTableId: publicRt.id }));

    const natCount = props.natGateways === 'single' ? 1 : this.publicSubnets.length;
    const nats = this.publicSubnets.slice(0, natCount).map((s, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { provider, domain: 'vpc', tags: { Name: `${props.name}-nat-${i}` } });
      return new NatGateway(this, `nat-${i}`, { provider, allocationId: eip.id, subnetId: s.id, tags: { Name: `${props.name}-nat-${i}` }, dependsOn: [igw] });
    });
    // One private route table per AZ so that each AZ egresses through its own NAT gateway,
    // and so peering routes can be added to every one of them.
    this.privateRouteTables = this.privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-rt-${i}`, { provider, vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${i}` } });
      new Route(this, `private-default-${i}`, { provider, routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[i % natCount].id });
      new RouteTableAssociation(this, `private-assoc-${i}`, { provider, subnetId: s.id, routeTableId: rt.id });
      return rt;
    });

    new VpcFlowLogs(this, 'flow-logs', { provider, vpcId: this.vpc.id, name: props.name, accountId: props.accountId, region: props.region, retentionDays: props.flowLogRetentionDays, kmsKeyArn: props.logsKmsKeyArn });
    this.addEndpoints(props);
  }

  private addEndpoints(props: AccountVpcProps): void {
    const { provider } = props;
    // S3 is a gateway endpoint (free): ECR image layers come from S3.
    new VpcEndpoint(this, 'endpoint-s3', {
      provider,
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: this.privateRouteTables.map((rt) => rt.id),
      tags: { Name: `${props.name}-s3` },
    });
    if (props.interfaceEndpoints.length === 0) return;
    const sg = new SecurityGroup(this, 'endpoints-sg', {
      provider,
      name: `${props.name}-endpoints`,
      description: 'HTTPS from inside the VPC to the interface endpoints',
      vpcId: this.vpc.id,
      ingress: [{ description: 'HTTPS from the VPC', fromPort: 443, toPort: 443, protocol: 'tcp', cidrBlocks: [props.cidr] }],
      egress: [],
      tags: { Name: `${props.name}-endpoints` },
    });
    for (const service of props.interfaceEndpoints) {
      new VpcEndpoint(this, `endpoint-${service.replace(/\./g, '-')}`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Interface',
        privateDnsEnabled: true,
        subnetIds: this.privateSubnets.map((s) => s.id),
        securityGroupIds: [sg.id],
        tags: { Name: `${props.name}-${service}` },
      });
    }
  }
}
