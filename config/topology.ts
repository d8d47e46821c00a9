import { peeringMode, type AccountConfig } from './schema';
import { accountByName, type MeshConfig } from './load';
import type { ServiceSpec } from './catalog/schema';

// Who must reach whom, derived from the config and the catalog. The network stack peers
// exactly these pairs and opens exactly these ports; nothing is declared twice.

/** A service in `to` that a service in `from` calls across accounts. */
export interface CrossAccountCall {
  from: string;
  to: string;
  caller: string;
  service: ServiceSpec;
}

export interface PeeringLink {
  /** The side that creates `aws_vpc_peering_connection`. */
  requester: AccountConfig;
  /** The side that accepts it with `aws_vpc_peering_connection_accepter`. */
  accepter: AccountConfig;
  /** Service ports each side must open to the other's CIDR, keyed by the serving account. */
  openPorts: Record<string, PortUse[]>;
}

export interface PortUse {
  port: number;
  service: string;
}

/**
 * Every call that leaves a site: from each site running the caller to each other site running
 * the backend. With placements in several regions a caller may fail over to any of them, so
 * every path is opened up front.
 */
export function crossAccountCalls(config: MeshConfig): CrossAccountCall[] {
  const byName = new Map(config.services.map((s) => [s.name, s]));
  return config.services.flatMap((caller) =>
    caller.placements.flatMap(({ site: from }) =>
      caller.backends
        .map((b) => byName.get(b))
        .filter((b): b is ServiceSpec => b !== undefined)
        .flatMap((service) => service.placements.filter((p) => p.site !== from).map((p) => ({ from, to: p.site, caller: caller.name, service }))),
    ),
  );
}

/**
 * Every member peers with the mesh owner (the walkthrough's hub) and with every account it
 * calls; "owner-only" keeps just the hub links, and "none" (Lattice's default) makes none. The owner requests its links; otherwise the caller requests, so the requester is the
 * side that needs the link.
 */
export function peeringLinks(config: MeshConfig, engine: { callsNeedPeering: boolean; peerPort?(service: ServiceSpec): number }): PeeringLink[] {
  const links = new Map<string, PeeringLink>();
  const key = (a: string, b: string) => [a, b].sort().join('|');
  const link = (requester: string, accepter: string) => {
    const k = key(requester, accepter);
    if (!links.has(k)) {
      links.set(k, { requester: accountByName(config, requester), accepter: accountByName(config, accepter), openPorts: { [requester]: [], [accepter]: [] } });
    }
    return links.get(k)!;
  };
  const mode = peeringMode(config, engine.callsNeedPeering);
  if (mode === 'none') return [];
  for (const member of config.accounts) {
    if (member.name !== config.mesh.owner) link(config.mesh.owner, member.name);
  }
  for (const call of crossAccountCalls(config)) {
    const hubLink = call.from === config.mesh.owner || call.to === config.mesh.owner;
    if (!hubLink && mode === 'owner-only') continue;
    const l = link(call.from, call.to);
    const ports = l.openPorts[call.to];
    const port = engine.peerPort?.(call.service) ?? call.service.port;
    if (!ports.some((p) => p.port === port)) ports.push({ port, service: call.service.name });
  }
  return [...links.values()];
}
