import type { Problem } from '../config/errors';
import type { ParsedConfig } from '../config/schema';
import { isLatticeService } from '../modules/engines/lattice/topology';
import type { ServiceSpec } from './catalog';

// With VPC Lattice, a caller reaches each backend at `<backend>:<backend port>` through the signing
// Envoy in its own pod, which listens on 127.0.0.1:<backend port> (modules/engines/lattice/
// signing-proxy.ts). Every such listener needs a port of its own in that pod: the caller's own
// server already holds its port on every address (services/chain.ts gives each hop its own port
// for this reason), and two listeners cannot share one. A layout that breaks this cannot start.

/** Lattice layouts whose signing proxy would need a loopback port that is already taken. */
export function latticeLoopbackProblems(cfg: ParsedConfig, services: ServiceSpec[]): Problem[] {
  if (cfg.mesh.engine !== 'lattice') return [];
  const byName = new Map(services.map((s) => [s.name, s]));
  return services.flatMap((s, i) => {
    // Loopback ports already held in the caller's pod: its own, then each Lattice backend's.
    const taken = new Map<number, number | 'self'>([[s.port, 'self']]);
    return s.backends.flatMap((name, k): Problem[] => {
      const backend = byName.get(name);
      if (!backend || !isLatticeService(services, backend)) return [];
      const holder = taken.get(backend.port);
      if (holder === undefined) {
        taken.set(backend.port, k);
        return [];
      }
      const path = ['catalog', i, 'backends', k];
      return holder === 'self'
        ? [{ path, message: `"${name}" serves on ${backend.port}, the port ${s.name} itself listens on, so ${s.name}'s Lattice signing proxy cannot listen on 127.0.0.1:${backend.port} for it. Fix: give ${name} or ${s.name} another port` }]
        : [{ path, message: `"${name}" serves on ${backend.port} like "${s.backends[holder]}" (backends[${holder}]), and ${s.name}'s Lattice signing proxy needs a 127.0.0.1 port of its own for each. Fix: give ${name} or ${s.backends[holder]} another port` }];
    });
  });
}
