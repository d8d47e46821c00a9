import { isHttp } from '../../config/catalog/schema';
import { istioServiceSignals, type Signals } from '../../modules/observability/signals';
import type { ClusterScope } from '../engine';

/**
 * What a cluster's dashboard shows with Istio: each of its own services as its sidecar serves it
 * (reporter "destination"), the rows and alarms App Mesh has. Only HTTP-family services: Istio
 * reports a tcp port's traffic as connections and bytes (istio_tcp_*), never as requests, so a
 * request row or a 5xx alarm for redis or postgres could never have data.
 */
export function istioClusterSignals(cluster: ClusterScope): Signals[] {
  return cluster.services
    .filter((s) => s.account === cluster.account && isHttp(s.protocol))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => istioServiceSignals({ clusterName: cluster.clusterName, namespace: cluster.namespace, service: s.name }, cluster.thresholds));
}
