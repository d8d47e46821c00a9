import { CONTAINER_INSIGHTS } from './metrics';
import type { Panel } from './signals';

/** Node and pod CPU and memory, and running pods, from Container Insights. */
export function clusterHealthRow(clusterName: string): Panel[] {
  const m = (name: string) => ({ namespace: CONTAINER_INSIGHTS.namespace, name, dimensions: { ClusterName: clusterName }, stat: 'Average' });
  return [
    { title: 'Node CPU / memory %', metrics: [m(CONTAINER_INSIGHTS.nodeCpu), m(CONTAINER_INSIGHTS.nodeMemory)] },
    { title: 'Pod CPU / memory %', metrics: [m(CONTAINER_INSIGHTS.podCpu), m(CONTAINER_INSIGHTS.podMemory)] },
    { title: 'Running pods', metrics: [m(CONTAINER_INSIGHTS.runningPods)] },
  ];
}
