import type { MeshConfig } from '../config/load';
import type { OutputSpec } from './outputs';

/** The output the engine publishes from each workloads stack for callers elsewhere (its key is the engine's). */
export interface EndpointOutput {
  key: string;
  description: string;
  mock: Record<string, string>;
}

/** One workloads stack's outputs: the engine's endpoints of its services, and the public URLs. */
export function workloadsContract(config: MeshConfig, account: string, endpoint: EndpointOutput): Record<string, OutputSpec<Record<string, string>>> {
  const publicHere = config.services.filter((s) => s.account === account && s.exposure === 'public');
  return {
    [endpoint.key]: { description: endpoint.description, mock: endpoint.mock },
    public_urls: { description: 'URL of the ALB in front of each public service', mock: Object.fromEntries(publicHere.map((s) => [s.name, `http://mock-${s.name}.${config.region}.elb.amazonaws.com`])) },
  };
}
