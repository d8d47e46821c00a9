import type { MeshConfig } from './load';

// Names derived in one place, so every stack agrees on them without passing strings around.

export const clusterName = (config: MeshConfig, account: string) => `${config.project}-${account}`;
export const clusterStackName = (account: string) => `cluster-${account}`;
export const controllersStackName = (account: string) => `controllers-${account}`;
export const controlPlaneStackName = (account: string) => `control-plane-${account}`;
export const workloadsStackName = (account: string) => `workloads-${account}`;
