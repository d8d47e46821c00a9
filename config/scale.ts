import type { ConfigInput } from './schema';
import { demoConfig } from './demo';

/** Regions of the multi-region benchmark, in the order accounts are spread over them. */
export const SCALE_REGIONS = ['us-west-2', 'us-east-1', 'eu-west-1'] as const;

/**
 * A large config for the scale benchmark: `accounts` accounts, `services` services placed in
 * contiguous blocks, each calling the next service and the one `accounts` further on. Calls only
 * go forward, so they cross accounts often and never form a cycle. With `regions` > 1 the
 * accounts are spread round-robin over that many regions and the first service of each
 * account also runs in the next account (another region), with the outlier detection failover needs.
 */
export function scaleConfig(accounts: number, services: number, regions = 1): ConfigInput {
  const name = (i: number) => `acct-${String(i).padStart(2, '0')}`;
  const id = (i: number) => String(100000000000 + i);
  const accountOf = (n: number) => Math.floor((n * accounts) / services);
  // Not "svc-…": VPC Lattice reserves that prefix for service names (modules/limits/table.ts).
  const svc = (n: number) => `app-${String(n).padStart(3, '0')}`;
  const cluster = demoConfig.accounts[0].cluster;
  // The first service of each account's block (but the public entry) also runs in the next
  // account, in another region, where none of its callers runs (n-1 and n-accounts, see backends
  // below, wherever they are placed): with Istio a caller fails over only from a site without a
  // copy of its backend (engines/istio/locality.ts). Decided in service order, so every caller's
  // sites are known when its backend's are chosen.
  const sites: number[][] = [];
  for (let n = 0; n < services; n++) {
    const own = accountOf(n);
    const next = (own + 1) % accounts;
    const callerSites = [n - 1, n - accounts].filter((m) => m >= 0).flatMap((m) => sites[m]);
    const isFirst = n > 0 && accountOf(n - 1) !== own;
    const otherRegion = regions > 1 && next % regions !== own % regions;
    sites.push(isFirst && otherRegion && !callerSites.includes(own) && !callerSites.includes(next) ? [own, next] : [own]);
  }
  const secondSite = (n: number) => sites[n][1];
  return {
    ...demoConfig,
    accounts: Array.from({ length: accounts }, (_, i) => ({
      name: name(i),
      id: id(i),
      ...(regions > 1 && i % regions !== 0 ? { region: SCALE_REGIONS[i % regions] } : {}),
      roleArn: `arn:aws:iam::${id(i)}:role/cdktf-mesh-deployer`,
      vpc: { cidr: `10.${100 + i}.0.0/16`, azCount: 2 },
      cluster,
    })),
    // Across regions only an engine that spans them fits (engines/region-rules.ts).
    mesh: { ...demoConfig.mesh, owner: name(0), ...(regions > 1 ? { engine: 'istio' } : {}) },
    ...(regions > 1 ? { network: { peering: 'auto' as const } } : {}),
    catalog: Array.from({ length: services }, (_, n) => ({
      name: svc(n),
      ...(regions > 1 && secondSite(n) !== undefined
        ? {
            placements: [{ account: name(accountOf(n)) }, { account: name(secondSite(n)!) }],
            traffic: { outlierDetection: { maxServerErrors: 3, intervalMs: 10000, baseEjectionMs: 30000, maxEjectionPercent: 100 } },
          }
        : { account: name(accountOf(n)) }),
      image: 'public.ecr.aws/docker/library/busybox:1.37',
      // A port per service: with Lattice each caller's signing proxy listens on its backends' ports.
      port: 8080 + n,
      protocol: 'http' as const,
      // busybox's httpd serves index.html for "/": a path the app answers, as Lattice's HTTP
      // health check needs; it writes nothing, so the read-only root filesystem holds.
      command: ['httpd', '-f', '-p', String(8080 + n), '-h', '/www'],
      files: [{ path: '/www/index.html', content: 'ok\n' }],
      healthCheck: { type: 'http' as const, path: '/' },
      backends: [n + 1, n + accounts].filter((m) => m < services).map(svc),
      ...(n === 0 ? { exposure: 'public' as const } : {}),
    })),
  };
}
