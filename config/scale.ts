import type { ConfigInput } from './schema';
import { demoConfig } from './demo';

/**
 * A large config for the scale benchmark: `accounts` accounts, `services` services placed in
 * contiguous blocks, each calling the next service and the one `accounts` further on. Calls only
 * go forward, so they cross accounts often and never form a cycle.
 */
export function scaleConfig(accounts: number, services: number): ConfigInput {
  const name = (i: number) => `acct-${String(i).padStart(2, '0')}`;
  const id = (i: number) => String(100000000000 + i);
  const accountOf = (n: number) => Math.floor((n * accounts) / services);
  // Not "svc-…": VPC Lattice reserves that prefix for service names (limits/table.ts).
  const svc = (n: number) => `app-${String(n).padStart(3, '0')}`;
  const cluster = demoConfig.accounts[0].cluster;
  return {
    ...demoConfig,
    accounts: Array.from({ length: accounts }, (_, i) => ({
      name: name(i),
      id: id(i),
      roleArn: `arn:aws:iam::${id(i)}:role/cdktf-mesh-deployer`,
      vpc: { cidr: `10.${100 + i}.0.0/16`, azCount: 2 },
      cluster,
    })),
    mesh: { ...demoConfig.mesh, owner: name(0) },
    catalog: Array.from({ length: services }, (_, n) => ({
      name: svc(n),
      account: name(accountOf(n)),
      image: 'public.ecr.aws/docker/library/busybox:1.37',
      // A port per service: with Lattice each caller's signing proxy listens on its backends' ports.
      port: 8080 + n,
      protocol: 'http' as const,
      // Lattice health-checks its targets over HTTP only, so a called service needs an http check.
      healthCheck: { type: 'http' as const, path: '/healthz' },
      backends: [n + 1, n + accounts].filter((m) => m < services).map(svc),
      ...(n === 0 ? { exposure: 'public' as const } : {}),
    })),
  };
}
