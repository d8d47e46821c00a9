import type { ServiceSpec } from '../../config/catalog/schema';
import type { EngineName } from '../../engines/engine';
import { isLatticeService } from '../../engines/lattice/topology';
import { CONTAINER_INSIGHTS } from './metrics';
import { appMeshServiceSignals, signerEdgeSignals, type Panel, type Signals, type Thresholds } from './signals';

// What the controllers stack of one cluster can watch, knowing only the config: per engine, the
// Envoy series its proxies publish. (Lattice's own per-service metrics need ids that exist only
// after deploy; the workloads stack watches those, see ./lattice-ids.ts.)

export interface ClusterScope {
  engine: EngineName;
  /** The whole catalog: a caller's backends may live in other accounts. */
  services: ServiceSpec[];
  account: string;
  clusterName: string;
  namespace: string;
  thresholds: Thresholds;
}

export function clusterServiceSignals(c: ClusterScope): Signals[] {
  const here = c.services.filter((s) => s.account === c.account);
  const common = { clusterName: c.clusterName, namespace: c.namespace };
  switch (c.engine) {
    case 'appmesh':
      // Every service has an Envoy sidecar, which serves its inbound requests.
      return here.map((s) => appMeshServiceSignals({ ...common, service: s.name }, c.thresholds));
    case 'lattice': {
      // A caller's signer has one listener per Lattice backend, whichever account serves it.
      const byName = new Map(c.services.map((s) => [s.name, s]));
      return here.flatMap((caller) =>
        caller.backends
          .map((name) => byName.get(name)!)
          .filter((backend) => isLatticeService(c.services, backend))
          .map((backend) => signerEdgeSignals({ ...common, caller: caller.name, backend: backend.name }, c.thresholds)),
      );
    }
  }
}

/** Node and pod CPU and memory, and running pods, from Container Insights. */
export function clusterHealthRow(clusterName: string): Panel[] {
  const m = (name: string) => ({ namespace: CONTAINER_INSIGHTS.namespace, name, dimensions: { ClusterName: clusterName }, stat: 'Average' });
  return [
    { title: 'Node CPU / memory %', metrics: [m(CONTAINER_INSIGHTS.nodeCpu), m(CONTAINER_INSIGHTS.nodeMemory)] },
    { title: 'Pod CPU / memory %', metrics: [m(CONTAINER_INSIGHTS.podCpu), m(CONTAINER_INSIGHTS.podMemory)] },
    { title: 'Running pods', metrics: [m(CONTAINER_INSIGHTS.runningPods)] },
  ];
}
