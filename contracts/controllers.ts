import type { OutputSpec } from './outputs';

/** One controllers stack's outputs. */
export const controllersContract = (ns: string) =>
  ({
    workload_namespace: { description: 'Namespace that joins the mesh', mock: ns },
    dashboard_name: { description: 'CloudWatch dashboard of this cluster', mock: 'mock-mesh' },
  }) satisfies Record<string, OutputSpec>;

export type ControllersContract = ReturnType<typeof controllersContract>;
