import { isHttp, type ServiceSpec } from '../../config/catalog/schema';

// Which services ride VPC Lattice and which stay plain Kubernetes Services, from the catalog.

export const callersOf = (services: ServiceSpec[], target: ServiceSpec) => services.filter((s) => s.backends.includes(target.name));

/** An HTTP service that someone calls: it becomes a Lattice service (HTTPRoute) with an auth policy. */
export const isLatticeService = (services: ServiceSpec[], s: ServiceSpec) => isHttp(s.protocol) && callersOf(services, s).length > 0;

export const latticeServices = (services: ServiceSpec[]) => services.filter((s) => isLatticeService(services, s));

/** Listener ports of the Lattice services an account's services call (its association must admit them). */
export function clientPorts(services: ServiceSpec[], account: string): number[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const called = services.filter((s) => s.account === account).flatMap((s) => s.backends.map((b) => byName.get(b)!));
  return [...new Set(called.filter((b) => isLatticeService(services, b)).map((b) => b.port))].sort((a, b) => a - b);
}

/** Ports of the Lattice services an account serves (Gateway listeners, node ingress from Lattice). */
export const servedPorts = (services: ServiceSpec[], account: string) =>
  [...new Set(latticeServices(services).filter((s) => s.account === account).map((s) => s.port))].sort((a, b) => a - b);

/** Accounts, other than `account`, whose services call a Lattice service in `account`. */
export function callerAccounts(services: ServiceSpec[], account: string): string[] {
  const callers = latticeServices(services)
    .filter((s) => s.account === account)
    .flatMap((s) => callersOf(services, s).map((c) => c.account));
  return [...new Set(callers)].filter((a) => a !== account).sort();
}

/**
 * The private zone holding an account's Lattice service names. `.internal` is reserved for
 * private use (ICANN, 2024-07-29), so it never collides with a public name.
 */
export const serviceZoneName = (project: string, account: string) => `${account}.${project}.lattice.internal`;

/**
 * The custom domain of a Lattice service: known at synth, so a caller's signer is configured
 * without waiting for the callee's stack; the callee's stack points it at the domain Lattice
 * assigns (a CNAME in its account's zone).
 */
export const serviceDomain = (project: string, s: Pick<ServiceSpec, 'name' | 'account'>) => `${s.name}.${serviceZoneName(project, s.account)}`;
