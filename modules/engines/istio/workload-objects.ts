import type { ServiceSpec } from '../../../services/catalog';
import type { KubeObject } from '../../workloads/kube-objects';
import { EASTWEST_GATEWAY, INGRESS_GATEWAY, type MeshAccount } from './mesh-names';
import { allowNothing, callersOf, callersPolicy } from './authorization';
import { egressSidecar } from './egress';
import { remoteBackends, remoteServiceEntry } from './federation';
import { publicIngress, publicVirtualService } from './public-ingress';
import { destinationRule, meshVirtualService } from './traffic-policy';

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
 * Which namespaces must see a local service's DestinationRule besides its own: the east-west
 * gateway's when another account calls it (the gateway's SNI-DNAT clusters, one per subset,
 * come from the DestinationRules its own scope sees: istio/istio@1.30.3 pilot/pkg/networking/
 * core/cluster.go buildOutboundSniDnatClusters), and the ingress gateway's when it is public.
 */
function destinationRuleAudience(s: ServiceSpec, services: ServiceSpec[]): string[] {
  return [
    '.',
    ...(callersOf(services, s).some((c) => c.account !== s.account) ? [EASTWEST_GATEWAY.namespace] : []),
    ...(s.exposure === 'public' ? [INGRESS_GATEWAY.namespace] : []),
  ];
}

function checkInput(input: IstioWorkloadInput) {
  const missing = [...new Set([input.account, ...input.services.map((s) => s.account)])].filter((a) => !input.accounts[a]);
  // The input is built by the engine from a validated config, so this is a bug, not a user error.
  if (missing.length) throw new Error(`Istio workload input has no mesh account for ${missing.join(', ')}`);
}

export function istioWorkloadObjects(input: IstioWorkloadInput): KubeObject[] {
  checkInput(input);
  const { account, namespace, services, accounts } = input;
  const local = services.filter((s) => s.account === account).sort((a, b) => a.name.localeCompare(b.name));
  const objects: KubeObject[] = [allowNothing(namespace)];
  for (const s of local) {
    objects.push(
      destinationRule(s, namespace, destinationRuleAudience(s, services)),
      meshVirtualService(s, namespace),
      callersPolicy(s, services, namespace, accounts),
      egressSidecar(s, namespace),
    );
    if (s.exposure === 'public') objects.push(publicIngress(s), publicVirtualService(s, namespace));
  }
  // Retries, timeouts and weights to a backend in another account apply here, at the caller.
  for (const b of remoteBackends(services, account)) {
    objects.push(remoteServiceEntry(b, namespace, accounts[b.account]), destinationRule(b, namespace, ['.']), meshVirtualService(b, namespace));
  }
  return objects;
}
