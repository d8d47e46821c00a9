import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ServiceDashboard } from '../service-dashboard';
import { LatticeServiceIds } from './lattice-ids';
import { latticeServiceSignals, type Thresholds } from './signals';

// Lattice's own per-service panels and alarms (AWS/VpcLattice) belong to the workloads stack:
// they need the ids the controller gives each route's Lattice service and target groups, which
// only this stack can read, from the HTTPRoute it creates. Same construct as the cluster
// dashboard of the controllers stack, a second dashboard per cluster.

export interface RoutedService {
  service: string;
  /** Kubernetes Services the route sends to, one per version. */
  backendServices: string[];
  /** What the engine created for the service; the HTTPRoute among them, if it rides Lattice. */
  routed: ITerraformDependable[];
}

export interface LatticeDashboardProps {
  provider: AwsProvider;
  region: string;
  clusterName: string;
  thresholds: Thresholds;
  alarmTopicArn?: string;
  services: RoutedService[];
}

const httpRouteOf = (deps: ITerraformDependable[]) => deps.find((d): d is Manifest => d instanceof Manifest && (d.manifestInput as { kind?: string } | undefined)?.kind === 'HTTPRoute');

export const latticeDashboardName = (clusterName: string) => `${clusterName}-lattice-services`;

/** The dashboard and alarms of the Lattice services this cluster serves; none when it serves none. */
export function latticeServiceDashboard(scope: Construct, p: LatticeDashboardProps): ServiceDashboard | undefined {
  const signals = p.services.flatMap((s) => {
    const route = httpRouteOf(s.routed);
    if (!route) return [];
    const { name, namespace } = (route.manifestInput as { metadata: { name: string; namespace: string } }).metadata;
    const ids = new LatticeServiceIds(scope, `lattice-ids-${s.service}`, { provider: p.provider, route, clusterName: p.clusterName, namespace, routeName: name, backendServices: s.backendServices });
    return [latticeServiceSignals({ clusterName: p.clusterName, service: s.service, serviceId: ids.serviceId, targetGroups: ids.targetGroups }, p.thresholds)];
  });
  if (signals.length === 0) return undefined;
  return new ServiceDashboard(scope, 'lattice-dashboard', {
    provider: p.provider,
    dashboardName: latticeDashboardName(p.clusterName),
    region: p.region,
    rows: signals.map((s) => s.panels),
    alarms: signals.flatMap((s) => s.alarms),
    alarmTopicArn: p.alarmTopicArn,
  });
}
