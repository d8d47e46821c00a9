import type { MeshEngine, MeshBuild } from '../engine';
import type { Problem } from '../../config/errors';
import type { ServiceSpec } from '../../config/catalog/schema';
import { accountByName } from '../../config/load';
import { SharedServiceNetwork } from './service-network';
import { LatticeControllerAddOn } from './controller';
import { latticeRouting } from './routing';
import { clientPorts, callersOf, callerAccounts, isLatticeService, latticeServices, serviceDomain, serviceZoneName } from './topology';
import { SharedPrivateZone } from '../../modules/private-zone';
import { podSecurityLabels } from '../../modules/addons/addon';
import { SIGNER_ADMIN_PORT, SIGNER_METRICS_PORT, SIGNER_RESERVED_PORTS } from './signing-proxy';
import { signerEdgeSignals } from '../../modules/observability/signals';

const SIGNER_PORT_ROLE: Record<number, string> = { [SIGNER_ADMIN_PORT]: 'admin interface', [SIGNER_METRICS_PORT]: 'metrics listener' };

/**
 * A caller's signing proxy listens for each Lattice backend on a loopback address of its own at the
 * backend's port, in the caller's pod. That cannot work on a port the pod already holds: the app's
 * own port (apps bind every address, and Linux then refuses 127.0.0.x on that port with
 * EADDRINUSE) or the proxy's admin and metrics ports. Working around it would mean intercepting
 * traffic (iptables, NET_ADMIN), which Pod Security "baseline" forbids.
 */
function signerPortClashes(services: ServiceSpec[], s: ServiceSpec, i: number): Problem[] {
  const backends = s.backends.map((name, k) => ({ k, b: services.find((o) => o.name === name) })).filter(({ b }) => b && isLatticeService(services, b));
  if (!backends.length) return [];
  const problems: Problem[] = SIGNER_RESERVED_PORTS.filter((p) => p === s.port).map((p) => ({
    path: ['catalog', i, 'port'],
    message: `${p} is the port of the Lattice signing proxy's ${SIGNER_PORT_ROLE[p]} in ${s.name}'s pod, which calls ${backends.map(({ b }) => b!.name).join(', ')}. Fix: serve ${s.name} on another port, e.g. 8080`,
  }));
  for (const { k, b } of backends) {
    const port = b!.port;
    if (port === s.port) {
      problems.push({ path: ['catalog', i, 'backends', k], message: `"${b!.name}" serves on ${port}, the port ${s.name} itself listens on, so the signing proxy in ${s.name}'s pod cannot listen for ${b!.name} there (only traffic interception with NET_ADMIN could, which Pod Security "baseline" forbids). Fix: serve ${b!.name} or ${s.name} on another port` });
    } else if ((SIGNER_RESERVED_PORTS as readonly number[]).includes(port)) {
      problems.push({ path: ['catalog', i, 'backends', k], message: `"${b!.name}" serves on ${port}, the port of the signing proxy's ${SIGNER_PORT_ROLE[port]} in ${s.name}'s pod. Fix: serve ${b!.name} on another port` });
    }
  }
  return problems;
}

/**
 * Amazon VPC Lattice: a service network shared through RAM carries calls between accounts (no
 * peering needed), IAM auth policies admit only declared callers, and no sidecar is injected.
 */
export const latticeEngine: MeshEngine = {
  name: 'lattice',
  callsNeedPeering: false,
  meshMocks: (config, ownerAccountId) => ({ arn: `arn:aws:vpc-lattice:${config.region}:${ownerAccountId}:servicenetwork/sn-0mock`, id: 'sn-0mock' }),

  endpointOutput(config, account) {
    const here = config.services.filter((s) => s.account === account && isLatticeService(config.services, s));
    return {
      key: 'lattice_service_domains',
      description: 'Custom domain of each VPC Lattice service of this account, as its DNS record names it',
      mock: Object.fromEntries(here.map((s) => [s.name, serviceDomain(config.project, s)])),
    };
  },

  unsupported(_config, services) {
    return services.flatMap((s, i): Problem[] => {
      const problems: Problem[] = [];
      if (s.discovery === 'cloudmap') {
        problems.push({ path: ['catalog', i, 'discovery'], message: `"cloudmap" has no meaning with VPC Lattice, which names services itself. Fix: remove discovery (DNS), or use mesh.engine "appmesh"` });
      }
      const remoteCallers = callersOf(services, s).filter((c) => c.account !== s.account).map((c) => c.name);
      if (s.protocol === 'tcp' && remoteCallers.length) {
        problems.push({ path: ['catalog', i, 'protocol'], message: `tcp service ${s.name} is called from another account (${remoteCallers.join(', ')}), and VPC Lattice services here carry HTTP only. Fix: move ${s.name} next to its callers, serve it over http, or use mesh.engine "appmesh"` });
      }
      if ((s.protocol === 'grpc' || s.protocol === 'http2') && callersOf(services, s).length) {
        problems.push({ path: ['catalog', i, 'protocol'], message: `"${s.protocol}" is not routed by this project's Lattice engine (it generates HTTPRoutes for http only). Fix: use protocol "http", or mesh.engine "appmesh"` });
      }
      // Lattice target groups health-check over HTTP or HTTPS only (TargetGroupPolicy CRD,
      // healthCheck.protocol enum); without a path the app serves, every target stays unhealthy.
      if (isLatticeService(services, s) && s.healthCheck.type !== 'http') {
        problems.push({ path: ['catalog', i, 'healthCheck', 'type'], message: `"${s.healthCheck.type}": ${s.name} is called through VPC Lattice, which health-checks its targets over HTTP only. Fix: give ${s.name} healthCheck { type: "http", path: "<a path it answers with 2xx>" }` });
      }
      problems.push(...signerPortClashes(services, s, i));
      return problems;
    });
  },

  buildSharedMesh(build: MeshBuild) {
    const { config, providers } = build;
    const member = (name: string) => {
      const a = accountByName(config, name);
      return {
        name,
        accountId: a.id,
        provider: providers.get(name)!,
        vpcId: build.network().entry('vpc_ids', name),
        // The network stack's mesh group, which every node carries: admitting it instead of the
        // cluster's node group keeps this stack off the clusters, so it deploys beside them.
        nodeSecurityGroupId: build.network().entry('mesh_peer_security_group_ids', name),
        clientPorts: clientPorts(config.services, name),
      };
    };
    const owner = member(config.mesh.owner);
    const sn = new SharedServiceNetwork(build.scope, 'lattice', {
      name: config.mesh.name,
      project: config.project,
      region: config.region,
      owner,
      members: config.accounts.filter((a) => a.name !== owner.name).map((a) => member(a.name)),
      sameOrganization: config.mesh.sameOrganization,
      logRetentionDays: config.observability.logRetentionDays,
    });
    // Each account that serves Lattice services names them in its own private zone, resolvable
    // from its VPC and the VPCs of the accounts that call them (the catalog says which).
    const servingAccounts = [...new Set(latticeServices(config.services).map((s) => s.account))];
    const zones = servingAccounts.map((account) => {
      const viewer = (name: string) => ({ name, provider: providers.get(name)!, vpcId: build.network().entry('vpc_ids', name) });
      const zone = new SharedPrivateZone(build.scope, `zone-${account}`, {
        domain: serviceZoneName(config.project, account),
        owner: viewer(account),
        viewers: callerAccounts(config.services, account).map(viewer),
        comment: `Names of the VPC Lattice services of ${account} (mesh ${config.mesh.name})`,
      });
      return [account, zone.zone.zoneId] as const;
    });
    return {
      mesh_name: sn.serviceNetwork.name,
      mesh_arn: sn.serviceNetwork.arn,
      mesh_id: sn.serviceNetwork.id,
      mesh_owner_account_id: owner.accountId,
      resource_share_arn: sn.share.share.arn,
      cloud_map_namespace_ids: {},
      cloud_map_namespace_names: {},
      dns_zone_ids: Object.fromEntries(zones),
      root_ca_pem: '',
    };
  },

  controllerAddOns: (_mesh, config) => [new LatticeControllerAddOn(config.services)],

  // A caller's signer has one listener per Lattice backend, whichever account serves it.
  clusterSignals: (c) => {
    const byName = new Map(c.services.map((s) => [s.name, s]));
    return c.services
      .filter((s) => s.account === c.account)
      .flatMap((caller) =>
        caller.backends
          .map((name) => byName.get(name)!)
          .filter((backend) => isLatticeService(c.services, backend))
          .map((backend) => signerEdgeSignals({ clusterName: c.clusterName, namespace: c.namespace, caller: caller.name, backend: backend.name }, c.thresholds)),
      );
  },

  // No sidecar injection and no NET_ADMIN: the workload namespace can enforce "baseline".
  namespaceLabels: () => podSecurityLabels({ enforce: 'baseline', warnAndAudit: 'restricted' }),

  workloadRouting: latticeRouting,
};
