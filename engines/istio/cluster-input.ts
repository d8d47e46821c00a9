import type { ServiceSpec } from '../../config/catalog/schema';
import { accountByName, type MeshConfig } from '../../config/load';
import { clusterName } from '../../config/naming';
import { ISTIO_IMAGES } from '../../config/versions';
import type { OutputReader } from '../../contracts/outputs';
import type { MeshContract } from '../../contracts/mesh';
import { callersOf } from './authorization';
import { servedToOtherAccounts } from './federation';
import { meshTrustDomain, type IstioClusterInput } from './input';
import { meshAccount, type MeshAccount } from './mesh-names';

// What the per-cluster builders need, read from the config and the mesh stack's outputs: one
// place, so the controllers, the control plane and the workloads of an account agree.

/** The accounts whose services call a service of `account` (not `account` itself), sorted. */
export function callerAccountsOf(services: ServiceSpec[], account: string): string[] {
  const callers = servedToOtherAccounts(services, account).flatMap((s) => callersOf(services, s).map((c) => c.account));
  return [...new Set(callers)].filter((a) => a !== account).sort();
}

/** The private zone that names an account's east-west gateway (`eastwest.<zone>`); `.internal` is reserved for private use (ICANN, 2024). */
export const eastWestZoneName = (project: string, account: string) => `${account}.${project}.istio.internal`;

/** Every account of the mesh, as the workload builders see it. */
export function meshAccounts(config: MeshConfig): Record<string, MeshAccount> {
  return Object.fromEntries(config.accounts.map((a) => [a.name, meshAccount(config.project, a.name)]));
}

export function clusterInput(config: MeshConfig, account: string, mesh: OutputReader<MeshContract>): IstioClusterInput {
  const callers = callerAccountsOf(config.services, account);
  return {
    project: config.project,
    account,
    clusterName: clusterName(config, account),
    region: config.region,
    trustDomain: meshTrustDomain(config.project, account),
    trustDomains: config.accounts.map((a) => meshTrustDomain(config.project, a.name)),
    rootCaPem: mesh.string('root_ca_pem'),
    callerCidrs: callers.map((a) => accountByName(config, a).vpc.cidr),
    images: { hub: ISTIO_IMAGES.hub, tag: ISTIO_IMAGES.tag },
  };
}
