import type { ClusterScope } from '../engine';
import type { Signals } from '../../modules/observability/signals';

/** The dashboard rows and alarms of one cluster's Istio proxies: replaced by ib (Istio observability). */
export function istioClusterSignals(_cluster: ClusterScope): Signals[] {
  return [];
}
