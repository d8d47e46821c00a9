import type { Construct } from 'constructs';
import { ServiceDiscoveryPrivateDnsNamespace } from '@cdktf/provider-aws/lib/service-discovery-private-dns-namespace';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { NetworkStack } from './network-stack';
import { awsProviderFor } from '../modules/aws-provider';
import { SharedAppMesh } from '../modules/engines/appmesh/shared-mesh';
import { UpstreamOutputs, publishOutputs, type OutputSpec } from '../modules/stack-link';
import { accountByName, type MeshConfig } from '../config/load';

/** Accounts that host at least one service discovered through Cloud Map. */
export const cloudMapAccounts = (config: MeshConfig) => [...new Set(config.services.filter((s) => s.discovery === 'cloudmap').map((s) => s.account))];

export const cloudMapNamespaceName = (config: MeshConfig, account: string) => `${account}.${config.mesh.name}.local`;

function meshContract(config: MeshConfig) {
  const owner = accountByName(config, config.mesh.owner);
  const namespaces = cloudMapAccounts(config);
  return {
    mesh_name: { description: 'Name of the shared mesh', mock: config.mesh.name },
    mesh_arn: { description: 'ARN of the shared mesh', mock: `arn:aws:appmesh:${config.region}:${owner.id}:mesh/${config.mesh.name}` },
    mesh_owner_account_id: { description: 'Account that owns the mesh', mock: owner.id },
    resource_share_arn: { description: 'RAM share of the mesh', mock: `arn:aws:ram:${config.region}:${owner.id}:resource-share/mock` },
    cloud_map_namespace_ids: { description: 'Cloud Map namespace id per account that uses Cloud Map', mock: Object.fromEntries(namespaces.map((a) => [a, `ns-mock${a}`])) },
    cloud_map_namespace_names: { description: 'Cloud Map namespace name per account that uses Cloud Map', mock: Object.fromEntries(namespaces.map((a) => [a, cloudMapNamespaceName(config, a)])) },
  } satisfies Record<string, OutputSpec>;
}

export type MeshContract = ReturnType<typeof meshContract>;

/** The mesh in its owner account, shared to every member through RAM, with Cloud Map where asked. */
export class SharedMeshStack extends ProjectStack<MeshContract> {
  readonly outputContract: MeshContract;

  constructor(scope: Construct, ctx: StackContext, network: NetworkStack) {
    super(scope, 'mesh', ctx);
    const { config } = ctx;
    this.outputContract = meshContract(config);
    const providers = new Map(config.accounts.map((a) => [a.name, awsProviderFor(this, a, ctx, a.name)]));
    const owner = accountByName(config, config.mesh.owner);
    const shared = new SharedAppMesh(this, 'appmesh', {
      meshName: config.mesh.name,
      project: config.project,
      owner: { account: owner, provider: providers.get(owner.name)! },
      members: config.accounts.filter((a) => a.name !== owner.name).map((a) => ({ name: a.name, accountId: a.id, account: a, provider: providers.get(a.name)! })),
      sameOrganization: config.mesh.sameOrganization,
    });

    const namespaces = cloudMapAccounts(config);
    const net = namespaces.length > 0 ? new UpstreamOutputs(this, network, ctx) : undefined;
    const created = namespaces.map((account) => {
      const ns = new ServiceDiscoveryPrivateDnsNamespace(this, `cloud-map-${account}`, {
        provider: providers.get(account)!,
        name: cloudMapNamespaceName(config, account),
        description: `Cloud Map discovery for mesh services in ${account}`,
        vpc: net!.entry('vpc_ids', account),
      });
      return [account, ns] as const;
    });

    publishOutputs(this, {
      mesh_name: shared.mesh.name,
      mesh_arn: shared.mesh.arn,
      mesh_owner_account_id: owner.id,
      resource_share_arn: shared.share.share.arn,
      cloud_map_namespace_ids: Object.fromEntries(created.map(([a, ns]) => [a, ns.id])),
      cloud_map_namespace_names: Object.fromEntries(created.map(([a, ns]) => [a, ns.name])),
    });
  }
}
