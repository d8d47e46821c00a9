import { runsIn, versionsOf, type Protocol, type ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { EASTWEST_GATEWAY, ISTIO_NETWORKING_API, namespacedHost, serviceHost, spiffeId, type MeshAccount } from './mesh-names';
import { callersOf } from './authorization';
import { subsets, trafficPolicy } from './traffic-policy';

// Calls between accounts without any cluster reading another's API: from the catalog, a caller's
// cluster gets a ServiceEntry per backend in another account, under the backend's plain
// Kubernetes name, whose endpoints are the callee account's east-west gateway. The caller's
// sidecar opens mutual TLS to the callee's sidecar with SNI `outbound_.<port>_.<subset>_.<host>`;
// the callee's gateway (AUTO_PASSTHROUGH on 15443) forwards the connection by that SNI without
// terminating it, so the callee sees the caller's own certificate.

/** ServiceEntry port protocols (istio/api@1.30.3 networking/v1alpha3/service_entry.proto, ServicePort.protocol). */
const SE_PROTOCOL: Record<Protocol, string> = { http: 'HTTP', http2: 'HTTP2', grpc: 'GRPC', tcp: 'TCP' };

// "Account" below is a site: one cluster of an account in one region (config/sites.ts). A
// service runs in every site of its placements; a single-region config has one site per account.

/** The backends of the services running in `account` that do not run there themselves, each once, by name. */
export function remoteBackends(services: ServiceSpec[], account: string): ServiceSpec[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const called = services.filter((s) => runsIn(s, account)).flatMap((s) => s.backends.map((b) => byName.get(b)));
  const remote = called.filter((b): b is ServiceSpec => b !== undefined && !runsIn(b, account));
  return [...new Map(remote.map((b) => [b.name, b])).values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The sites of `s`'s callers that reach it remotely: those where `s` itself does not run. */
export const remoteCallerSites = (services: ServiceSpec[], s: ServiceSpec) =>
  [...new Set(callersOf(services, s).flatMap((c) => c.placements.map((p) => p.site)))].filter((site) => !runsIn(s, site));

/** The services running in `account` that a service in another site calls. */
export const servedToOtherAccounts = (services: ServiceSpec[], account: string) =>
  services.filter((s) => runsIn(s, account) && remoteCallerSites(services, s).length > 0).sort((a, b) => a.name.localeCompare(b.name));

/**
 * The hosts this account's east-west Gateway serves, in the `<namespace>/<host>` form of Gateway
 * server hosts: exactly the services another account calls, so nothing else is reachable through it.
 */
export const eastWestGatewayHosts = (services: ServiceSpec[], account: string, namespace: string) =>
  servedToOtherAccounts(services, account).map((s) => namespacedHost(namespace, serviceHost(s, namespace)));

/**
 * A backend in another account, as this account's sidecars see it (istio/api@1.30.3
 * service_entry.proto, and istio/istio@1.30.3 for the behaviour):
 * - MESH_INTERNAL and endpoints labelled `security.istio.io/tlsMode: istio`: an in-mesh workload
 *   spoken to with Istio mutual TLS;
 * - resolution DNS: each endpoint is the gateway's DNS name, resolved by the sidecar's cluster;
 * - `subjectAltNames`: the callee's SPIFFE id, which Istio verifies on the callee's certificate
 *   for ISTIO_MUTUAL when the DestinationRule names none (pilot/pkg/serviceregistry/
 *   serviceentry/conversion.go: ServiceAccounts = subjectAltNames; pilot/pkg/networking/core/
 *   cluster_tls.go buildUpstreamTLSSettings);
 * - one endpoint per version, labelled `version`, so the DestinationRule's subsets and the
 *   VirtualService's weights split traffic before it leaves (the gateway passes TLS through
 *   and applies no route); each endpoint is the same gateway, told apart by the subset in the SNI;
 * - no `network` on the endpoints: one without a network is reached directly, which is what the
 *   peering provides; a foreign network would make istiod look for a meshNetworks gateway.
 */
export function remoteServiceEntry(b: ServiceSpec, namespace: string, callee: MeshAccount | MeshAccount[]): KubeObject {
  // A service placed in several sites has an endpoint per site (and version), each with the
  // site's region as its locality, so the caller's locality load balancing can prefer its own
  // region and fail over (./locality.ts).
  const callees = Array.isArray(callee) ? callee : [callee];
  const portName = b.protocol;
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'ServiceEntry',
    metadata: { name: b.name, namespace },
    spec: {
      hosts: [serviceHost(b, namespace)],
      location: 'MESH_INTERNAL',
      resolution: 'DNS',
      exportTo: ['.'],
      ports: [{ number: b.port, name: portName, protocol: SE_PROTOCOL[b.protocol] }],
      subjectAltNames: callees.map((c) => spiffeId(c.trustDomain, namespace, b.name)),
      endpoints: callees.flatMap((c) =>
        versionsOf(b).map((v) => ({
          address: c.eastWestHost,
          ports: { [portName]: EASTWEST_GATEWAY.tlsPort },
          labels: { app: b.name, version: v.name, 'security.istio.io/tlsMode': 'istio' },
          ...(c.locality ? { locality: c.locality } : {}),
        })),
      ),
    },
  };
}

/**
 * The east-west gateway's own view of a service it serves: the gateway builds one SNI-DNAT
 * cluster per subset of the DestinationRule its scope sees (istio/istio@1.30.3 pilot/pkg/
 * networking/core/cluster.go buildOutboundSniDnatClusters), and a rule in the proxy's own
 * namespace is the one it sees first (pilot/pkg/model/push_context.go destinationRule). So the
 * subsets a caller's SNI names exist there, and outlier detection ejects a callee pod that fails
 * connections; no connection pool, since the gateway pod carries every remote caller's
 * connections at once and the catalog's limits are per caller, which the callers apply. SNI-DNAT
 * clusters pass TLS through, so no `tls` either (cluster_traffic_policy.go).
 */
export function eastWestDestinationRule(s: ServiceSpec, namespace: string): KubeObject {
  const { outlierDetection } = trafficPolicy(s);
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'DestinationRule',
    // <service>.<namespace>: unique in the gateway's namespace whatever namespace the service is in.
    metadata: { name: `${s.name}.${namespace}`, namespace: EASTWEST_GATEWAY.namespace },
    spec: {
      host: serviceHost(s, namespace),
      exportTo: ['.'],
      ...(outlierDetection ? { trafficPolicy: { outlierDetection } } : {}),
      subsets: subsets(s),
    },
  };
}
