import { ISTIO_NETWORKING_API, ISTIO_SECURITY_API, ISTIO_TELEMETRY_API, type IstioGateway, type PeerAuthentication, type Telemetry } from './api';
import { GATEWAYS, GATEWAY_PORTS, MESH_WIDE, NAMESPACES, TRACING_PROVIDER } from './names';
import { assertNoProblems, type InputProblem } from './input';

// The Istio objects every cluster gets once, whatever the catalog says: mutual TLS everywhere,
// traces for every proxy, and the two Gateways (east-west for other accounts, public behind the
// ALB). Objects in the root namespace (istio-system) apply mesh-wide (PeerAuthentication and
// Telemetry reference docs, istio/api security/v1beta1/peer_authentication.proto and
// telemetry/v1alpha1/telemetry.proto, 1.30.3).

/** Kubernetes names (DNS-1123 labels): what a Service and a namespace may be called. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Mesh-wide STRICT: every sidecar accepts only mutual TLS; plaintext from anywhere is refused. */
export function strictMtls(): PeerAuthentication {
  return {
    apiVersion: ISTIO_SECURITY_API,
    kind: 'PeerAuthentication',
    metadata: { name: MESH_WIDE.peerAuthentication, namespace: NAMESPACES.istio },
    spec: { mtls: { mode: 'STRICT' } },
  };
}

/**
 * Every proxy reports spans to the `otel` provider (meshConfig.extensionProviders). The default
 * of 100 % is a demo choice: the demo makes few requests and each should show in X-Ray as one
 * trace. Under production traffic, pass a small percentage.
 */
export function meshTracing(options: { samplingPercentage?: number } = {}): Telemetry {
  const percentage = options.samplingPercentage ?? 100;
  // The CRD bounds it to 0..100 (telemetry.istio.io Telemetry, randomSamplingPercentage).
  if (!(typeof percentage === 'number' && percentage >= 0 && percentage <= 100)) {
    throw new Error(`tracing samplingPercentage ${percentage} is not between 0 and 100. Fix: use 100 for the demo, or e.g. 1 under production traffic`);
  }
  return {
    apiVersion: ISTIO_TELEMETRY_API,
    kind: 'Telemetry',
    metadata: { name: MESH_WIDE.telemetry, namespace: NAMESPACES.istio },
    spec: { tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: percentage }] },
  };
}

/** A service of this cluster that other accounts call: its Kubernetes Service name and namespace. */
export interface ExportedService {
  name: string;
  namespace: string;
}

export function exportedServiceProblems(services: readonly ExportedService[]): InputProblem[] {
  if (services.length === 0) return [{ path: ['exported'], message: '[] is empty: an east-west gateway with no host would serve nothing. Fix: deploy no east-west gateway in a cluster that no other account calls' }];
  return services.flatMap((s, i) =>
    (['name', 'namespace'] as const)
      .filter((k) => !DNS_LABEL.test(s[k]))
      .map((k) => ({ path: ['exported', String(i), k], message: `${JSON.stringify(s[k])} is not a Kubernetes name. Fix: use the Service's ${k} as in the catalog (lowercase letters, digits, "-")` })),
  );
}

/** `<namespace>/<service>.<namespace>.svc.cluster.local`, the form Gateway server hosts take. */
export const exportedHost = (s: ExportedService) => `${s.namespace}/${s.name}.${s.namespace}.svc.cluster.local`;

/**
 * The east-west Gateway: port 15443 in AUTO_PASSTHROUGH mode. The gateway routes a caller's
 * mutual-TLS connection by its SNI to the service it names, without terminating TLS, so the
 * caller's sidecar and the callee's sidecar authenticate each other end to end. Only the services
 * this cluster serves to other accounts are listed: istiod builds one SNI filter chain per service
 * whose hostname matches a server host, and a connection for any other name matches no chain
 * (pilot/pkg/networking/core/gateway.go `builtAutoPassthroughFilterChains`, 1.30.3). For this
 * matching Istio drops the `<namespace>/` part (pilot/pkg/model/gateway.go
 * `GetSNIHostsForServer`): the FQDN is what restricts.
 */
export function eastWestGateway(exported: readonly ExportedService[]): IstioGateway {
  assertNoProblems('east-west gateway hosts', exportedServiceProblems(exported));
  const hosts = [...new Set(exported.map(exportedHost))].sort();
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'Gateway',
    metadata: { name: MESH_WIDE.eastWestGateway, namespace: GATEWAYS.eastWest.namespace },
    spec: {
      selector: { ...GATEWAYS.eastWest.selector },
      servers: [{ port: { number: GATEWAY_PORTS.crossAccountTls, name: 'tls', protocol: 'TLS' }, tls: { mode: 'AUTO_PASSTHROUGH' }, hosts }],
    },
  };
}

/**
 * The public Gateway on the ingress gateway pods: plain HTTP on port 80, since TLS (if any) ends
 * at the ALB in front. Any host name (the ALB's own DNS name is what browsers send), but only
 * VirtualServices of the namespaces named here may bind to it (`<namespace>/*`).
 */
export function publicIngressGateway(routeNamespaces: readonly string[]): IstioGateway {
  const problems: InputProblem[] = routeNamespaces.length === 0 ? [{ path: ['routeNamespaces'], message: '[] is empty: nothing could be routed. Fix: name the namespaces of the public services, or deploy no public gateway' }] : [];
  routeNamespaces.forEach((ns, i) => {
    if (!DNS_LABEL.test(ns)) problems.push({ path: ['routeNamespaces', String(i)], message: `${JSON.stringify(ns)} is not a namespace name. Fix: use the namespace of a public service` });
  });
  assertNoProblems('public gateway input', problems);
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'Gateway',
    metadata: { name: MESH_WIDE.ingressGateway, namespace: GATEWAYS.ingress.namespace },
    spec: {
      selector: { ...GATEWAYS.ingress.selector },
      servers: [{ port: { number: GATEWAY_PORTS.publicHttp, name: 'http', protocol: 'HTTP' }, hosts: [...new Set(routeNamespaces)].sort().map((ns) => `${ns}/*`) }],
    },
  };
}
