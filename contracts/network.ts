import type { MeshConfig } from '../config/load';
import type { OutputSpec } from './outputs';

/** A map with one value per account of the config. */
export const perAccount = <T>(config: MeshConfig, value: (account: string, i: number) => T) =>
  Object.fromEntries(config.accounts.map((a, i) => [a.name, value(a.name, i)]));

/** The network stack's outputs: every account's VPC, subnets and peer security group. */
export function networkContract(config: MeshConfig) {
  return {
    vpc_ids: { description: 'VPC id per account', mock: perAccount(config, (a) => `vpc-0mock${a}`) },
    vpc_cidrs: { description: 'VPC CIDR per account', mock: perAccount(config, (_a, i) => config.accounts[i].vpc.cidr) },
    private_subnet_ids: { description: 'Private subnet ids per account', mock: perAccount(config, (a, i) => Array.from({ length: config.accounts[i].vpc.azCount }, (_, z) => `subnet-0mock${a}${z}`)) },
    public_subnet_ids: { description: 'Public subnet ids per account', mock: perAccount(config, (a, i) => Array.from({ length: config.accounts[i].vpc.azCount }, (_, z) => `subnet-0mockpub${a}${z}`)) },
    mesh_peer_security_group_ids: { description: 'Security group admitting peer-VPC callers on service ports, per account', mock: perAccount(config, (a) => `sg-0mockpeer${a}`) },
    peering_connection_ids: { description: 'VPC peering connection id per linked pair (requester--accepter)', mock: {} as Record<string, string> },
  } satisfies Record<string, OutputSpec>;
}

export type NetworkContract = ReturnType<typeof networkContract>;
