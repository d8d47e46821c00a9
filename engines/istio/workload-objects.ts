import { runsIn, type ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { INGRESS_GATEWAY, type MeshAccount } from './mesh-names';
import { allowNothing, callersPolicy } from './authorization';
import { egressSidecar } from './egress';
import { eastWestDestinationRule, remoteBackends, remoteServiceEntry, servedToOtherAccounts } from './federation';
import { publicIngress, publicVirtualService } from './public-ingress';
import { destinationRule, meshVirtualService } from './traffic-policy';
import { withLocalityFailover } from './locality';

// Every Istio object of one account's workloads stack, from the catalog. Pure: the same input
// always gives the same objects, in the same order, and nothing here touches Terraform.

export interface IstioWorkloadInput {
  /** The account whose workloads stack this is. */
  account: string;
  /** The workload namespace; the same in every account, so a service's plain name is the same everywhere. */
  namespace: string;
  /** The whole catalog, every account's services, each with its `account`. */
  services: ServiceSpec[];
  /** Every account of the mesh (build each with `meshAccount` from ./mesh-names). */
  accounts: Record<string, MeshAccount>;
}

/**
 * A public service's DestinationRule is also the ingress gateway's: the gateway is one more
 * caller, and its VirtualService routes to the rule's subsets.
 */
const destinationRuleAudience = (s: ServiceSpec) => ['.', ...(s.exposure === 'public' ? [INGRESS_GATEWAY.namespace] : [])];

function checkInput(input: IstioWorkloadInput) {
  const missing = [...new Set([input.account, ...input.services.flatMap((s) => s.placements.map((p) => p.site))])].filter((a) => !input.accounts[a]);
  // The input is built by the engine from a validated config, so this is a bug, not a user error.
  if (missing.length) throw new Error(`Istio workload input has no mesh account for ${missing.join(', ')}`);
}

export function istioWorkloadObjects(input: IstioWorkloadInput): KubeObject[] {
  checkInput(input);
  const { account, namespace, services, accounts } = input;
  const local = services.filter((s) => runsIn(s, account)).sort((a, b) => a.name.localeCompare(b.name));
  const here = accounts[account].locality;
  const objects: KubeObject[] = [allowNothing(namespace)];
  for (const s of local) {
    objects.push(
      destinationRule(s, namespace, destinationRuleAudience(s)),
      meshVirtualService(s, namespace),
      callersPolicy(s, services, namespace, accounts),
      egressSidecar(s, namespace),
    );
    if (s.exposure === 'public') objects.push(publicIngress(s), publicVirtualService(s, namespace));
  }
  for (const s of servedToOtherAccounts(services, account)) objects.push(eastWestDestinationRule(s, namespace));
  // Retries, timeouts and weights to a backend in another account apply here, at the caller.
  for (const b of remoteBackends(services, account)) {
    // A backend placed in several regions: callers prefer their own region and fail over in the
    // order its placements give (./locality.ts).
    const rule = here ? withLocalityFailover(destinationRule(b, namespace, ['.']), b, [here]) : destinationRule(b, namespace, ['.']);
    objects.push(remoteServiceEntry(b, namespace, b.placements.map((p) => accounts[p.site])), rule, meshVirtualService(b, namespace));
  }
  return objects;
}
