import type { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import { awsProviderFor } from './link/providers';
import { AccountVpc } from '../modules/vpc';
import { RotatingKey } from '../modules/kms-key';
import { CrossAccountPeering } from '../modules/vpc-peering';
import { publishOutputs } from './link/stack-link';
import { networkContract, perAccount, type NetworkContract } from '../contracts/network';
import { REGION_AZS } from '../config/platform';
import { planSubnets } from '../config/cidr';
import { clusterName } from '../config/naming';
import { engineFor } from '../engines/registry';
import { peeringLinks, type PeeringLink } from '../config/topology';
import type { AccountConfig } from '../config/schema';

/**
 * Every account's VPC and the peerings between them, in one stack with one aliased provider
 * per account: a peering needs both sides in the same plan to be created and accepted.
 */
export class NetworkStack extends ProjectStack<NetworkContract> {
  readonly outputContract: NetworkContract;

  constructor(scope: Construct, ctx: StackContext) {
    super(scope, 'network', ctx);
    const { config } = ctx;
    this.outputContract = networkContract(config);
    const providers = new Map<string, AwsProvider>();
    const vpcs = new Map<string, AccountVpc>();
    const peerGroups = new Map<string, SecurityGroup>();

    for (const account of config.accounts) {
      const provider = awsProviderFor(this, account, ctx, account.name);
      const zones = REGION_AZS[account.region];
      providers.set(account.name, provider);
      const key = new RotatingKey(this, `${account.name}-logs-key`, {
        provider,
        accountId: account.id,
        region: account.region,
        alias: `${config.project}-${account.name}-network-logs`,
        description: `Encrypts the VPC flow logs of ${account.name}`,
        allowCloudWatchLogs: true,
      });
      const vpc = new AccountVpc(this, `${account.name}-vpc`, {
        provider,
        name: `${config.project}-${account.name}`,
        region: account.region,
        accountId: account.id,
        cidr: account.vpc.cidr,
        availabilityZones: zones.slice(0, account.vpc.azCount),
        subnets: planSubnets(account.vpc.cidr, account.vpc.azCount),
        natGateways: account.vpc.natGateways,
        clusterName: clusterName(config, account.name),
        flowLogRetentionDays: account.vpc.flowLogRetentionDays,
        logsKmsKeyArn: key.key.arn,
        interfaceEndpoints: account.vpc.interfaceEndpoints,
      });
      vpcs.set(account.name, vpc);
      // Attached to the cluster's nodes by the cluster stack; the peering adds its only rules.
      peerGroups.set(
        account.name,
        new SecurityGroup(this, `${account.name}-mesh-peer-sg`, {
          provider,
          name: `${config.project}-${account.name}-mesh-peer`,
          description: 'Mesh traffic from peered VPCs, on the called service ports only',
          vpcId: vpc.vpc.id,
          tags: { Name: `${config.project}-${account.name}-mesh-peer` },
        }),
      );
    }

    const side = (account: AccountConfig, openPorts: PeeringLink['openPorts']) => {
      const vpc = vpcs.get(account.name)!;
      return {
        name: account.name,
        accountId: account.id,
        region: account.region,
        provider: providers.get(account.name)!,
        vpcId: vpc.vpc.id,
        cidr: account.vpc.cidr,
        privateRouteTableIds: vpc.privateRouteTables.map((rt) => rt.id),
        peerSecurityGroupId: peerGroups.get(account.name)!.id,
        openPorts: openPorts[account.name],
      };
    };
    const peerings = peeringLinks(config, engineFor(config)).map((link) => {
      const id = `${link.requester.name}--${link.accepter.name}`;
      const peering = new CrossAccountPeering(this, `peering-${id}`, {
        requester: side(link.requester, link.openPorts),
        accepter: side(link.accepter, link.openPorts),
      });
      return [id, peering.connection.id] as const;
    });

    publishOutputs(this, {
      vpc_ids: perAccount(config, (a) => vpcs.get(a)!.vpc.id),
      vpc_cidrs: perAccount(config, (a) => vpcs.get(a)!.vpc.cidrBlock),
      private_subnet_ids: perAccount(config, (a) => vpcs.get(a)!.privateSubnets.map((s) => s.id)),
      public_subnet_ids: perAccount(config, (a) => vpcs.get(a)!.publicSubnets.map((s) => s.id)),
      mesh_peer_security_group_ids: perAccount(config, (a) => peerGroups.get(a)!.id),
      peering_connection_ids: Object.fromEntries(peerings),
    });
  }
}
