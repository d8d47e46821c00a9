import { runsIn, type ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';

// Locality failover across regions, derived from a service's placements (docs/multi-region.md).
// Istio already gives each proxy a locality (istiod reads the node's topology.kubernetes.io/
// region and zone labels: istio/istio@1.30.3 pilot/pkg/serviceregistry/kube/controller/
// controller.go getPodLocality) and load-balances by Envoy priority: same zone, same region,
// then the `failover` region, then the rest. All the project adds is the failover order and
// outlier detection, without which "this will not take effect" (istio/api@1.30.3
// networking/v1alpha3/destination_rule.proto, LocalityLoadBalancerSetting.failover).

/** The regions a service runs in, in placement order, once each. */
export const regionsOfService = (s: Pick<ServiceSpec, 'placements'>): string[] => [...new Set(s.placements.flatMap((p) => (p.region ? [p.region] : [])))];

/** Whether callers of the service can fail over to another region. */
export const spansRegions = (s: Pick<ServiceSpec, 'placements'>) => regionsOfService(s).length > 1;

/**
 * The failover order seen from callers in `callerRegions`: a region that runs the service fails
 * over to the next placement's region (cyclic), any other region to the first placement's. Only
 * one `to` per `from` exists in Istio's API; regions not named still get traffic at the lowest
 * priority, so this is a preference, never an exclusion (Istio task "Locality failover").
 */
export function failoverOrder(s: Pick<ServiceSpec, 'placements'>, callerRegions: readonly string[]): Array<{ from: string; to: string }> {
  const regions = regionsOfService(s);
  if (regions.length < 2) return [];
  const from = [...new Set([...regions, ...callerRegions])];
  return from.map((r) => {
    const i = regions.indexOf(r);
    return { from: r, to: i < 0 ? regions[0] : regions[(i + 1) % regions.length] };
  });
}

/**
 * The `loadBalancer` of a caller-side DestinationRule for `s`, or undefined for a single-region
 * service. `enabled: true` states the intent even though the mesh-wide default is on
 * (mesh/v1alpha1/config.proto locality_lb_setting), so the object alone says what it does.
 */
export function localityLoadBalancer(s: Pick<ServiceSpec, 'placements'>, callerRegions: readonly string[]) {
  const failover = failoverOrder(s, callerRegions);
  return failover.length ? { localityLbSetting: { enabled: true, failover } } : undefined;
}

/**
 * The DestinationRule with locality failover at its top-level trafficPolicy, which its subsets
 * inherit; no subset sets a loadBalancer of its own, so none overrides it.
 */
export function withLocalityFailover(rule: KubeObject, s: Pick<ServiceSpec, 'placements'>, callerRegions: readonly string[]): KubeObject {
  const loadBalancer = localityLoadBalancer(s, callerRegions);
  if (!loadBalancer) return rule;
  const spec = rule.spec as { trafficPolicy?: Record<string, unknown> };
  return { ...rule, spec: { ...spec, trafficPolicy: { ...spec.trafficPolicy, loadBalancer } } };
}

/**
 * The locality of an endpoint in another site: its region only, since a remote site is reached
 * through its east-west gateway, whose load balancer spans the site's zones (WorkloadEntry.locality,
 * istio/api@1.30.3 networking/v1alpha3/workload_entry.proto: "region/zone/subzone").
 */
export const remoteLocality = (region: string) => region;

const at = (i: number, ...rest: Array<string | number>) => ['catalog', i, ...rest];

/**
 * A called service that runs in several regions needs outlier detection that can eject a whole
 * region: failover needs ejections (above), and a remote region is the few addresses behind its
 * east-west gateway, whose share of the host set is unknown at synth, so only 100 % is sure to
 * empty a failed region (maxEjectionPercent defaults to 10 %: destination_rule.proto
 * OutlierDetection). For the Istio engine's unsupported().
 */
export function failoverProblems(services: ServiceSpec[]): Array<{ path: Array<string | number>; message: string }> {
  const called = new Set(services.flatMap((s) => s.backends));
  return services.flatMap((s, i) => {
    if (!called.has(s.name) || !spansRegions(s)) return [];
    const regions = regionsOfService(s).join(' and ');
    const od = s.traffic.outlierDetection;
    if (!od) {
      return [{ path: at(i, 'traffic', 'outlierDetection'), message: `${s.name} runs in ${regions}, and Istio's locality failover "will not take effect" without outlier detection. Fix: add traffic.outlierDetection { maxServerErrors: 3, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 100 }` }];
    }
    if (od.maxEjectionPercent < 100) {
      return [{ path: at(i, 'traffic', 'outlierDetection', 'maxEjectionPercent'), message: `${od.maxEjectionPercent}: ${s.name} runs in ${regions}, and failover needs every host of a failed region ejected, which may be all of its hosts in the caller's view. Fix: set maxEjectionPercent: 100` }];
    }
    return [];
  });
}

/**
 * A caller whose site also runs a multi-region backend calls the local copy through the local
 * Kubernetes Service, whose endpoints are the local pods only: federation from the catalog (no
 * cluster reads another's API) has no way to add the other region's copies to that Service's
 * endpoints, so such a caller could not fail over. Stopped rather than built half-way. Adding
 * them would take WorkloadEntries on a remote network with meshNetworks gateways (istio/api@1.30.3
 * mesh/v1alpha1/network.proto), which could not be verified here.
 */
export function colocatedFailoverProblems(services: ServiceSpec[]): Array<{ path: Array<string | number>; message: string }> {
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((c, i) =>
    c.backends.flatMap((name, k) => {
      const b = byName.get(name);
      if (!b || !spansRegions(b)) return [];
      const shared = c.placements.map((p) => p.site).filter((site) => runsIn(b, site));
      if (!shared.length) return [];
      return [{ path: at(i, 'backends', k), message: `"${name}" runs in ${regionsOfService(b).join(' and ')} and also in ${c.name}'s site ${shared[0]}: with Istio a caller fails over to another region only from a site that runs no copy of its backend. Fix: place ${name} apart from ${c.name}, or in one region` }];
    }),
  );
}
