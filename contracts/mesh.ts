import type { OutputSpec } from './outputs';
import { accountByName, type MeshConfig } from '../config/load';

/** Accounts that host at least one service discovered through Cloud Map. */
export const cloudMapAccounts = (config: MeshConfig) => [...new Set(config.services.filter((s) => s.discovery === 'cloudmap').map((s) => s.account))];

export const cloudMapNamespaceName = (config: MeshConfig, account: string) => `${account}.${config.mesh.name}.local`;

/** Stands in for the root certificate before the mesh stack exists: the shape of a PEM certificate, no real one. */
export const MOCK_ROOT_PEM = '-----BEGIN CERTIFICATE-----\nTU9DSw==\n-----END CERTIFICATE-----\n';

/** What the engine says its shared mesh's ARN and id look like, for the mocks. */
export type MeshMocks = (config: MeshConfig, ownerAccountId: string) => { arn: string; id: string };

/** The mesh stack's outputs, the same for every engine (Cloud Map maps stay empty where unused). */
export function meshContract(config: MeshConfig, mocks: MeshMocks) {
  const owner = accountByName(config, config.mesh.owner);
  const namespaces = cloudMapAccounts(config);
  const { arn, id } = mocks(config, owner.id);
  return {
    mesh_name: { description: 'Name of the shared mesh (App Mesh) or service network (Lattice)', mock: config.mesh.name },
    mesh_arn: { description: 'ARN of the shared mesh or service network', mock: arn },
    mesh_id: { description: 'Id of the shared mesh or service network', mock: id },
    mesh_owner_account_id: { description: 'Account that owns the mesh', mock: owner.id },
    resource_share_arn: { description: 'RAM share of the mesh', mock: `arn:aws:ram:${config.region}:${owner.id}:resource-share/mock` },
    cloud_map_namespace_ids: { description: 'Cloud Map namespace id per account that uses Cloud Map', mock: Object.fromEntries(namespaces.map((a) => [a, `ns-mock${a}`])) },
    cloud_map_namespace_names: { description: 'Cloud Map namespace name per account that uses Cloud Map', mock: Object.fromEntries(namespaces.map((a) => [a, cloudMapNamespaceName(config, a)])) },
    dns_zone_ids: { description: 'Private hosted zone per account holding the names of its mesh services (Lattice) or of its east-west gateway (Istio)', mock: Object.fromEntries(config.accounts.map((a) => [a.name, `Z0MOCK${a.name.toUpperCase().replace(/-/g, '')}`])) },
    // Istio's clusters run their own CA under the mesh's root and must be told the root to trust
    // (istiod's meshConfig.caCertificates); a public certificate, never a key. Engines whose mesh
    // is an AWS service have no root of their own and publish "".
    root_ca_pem: { description: 'Root CA certificate (PEM, public) of the mesh\'s own PKI (Istio); empty for the other engines', mock: MOCK_ROOT_PEM },
  } satisfies Record<string, OutputSpec>;
}

export type MeshContract = ReturnType<typeof meshContract>;
