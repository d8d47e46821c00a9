import type { ServiceSpec } from '../../config/catalog/schema';

// Catalog entries the Istio engine cannot carry as written, as problems in the shape of the
// config's own (path into the config, message with the bad value and the fix), for the engine's
// `unsupported()`. Every other catalog field maps to Istio (README, engines table).

export interface CatalogProblem {
  path: ReadonlyArray<string | number>;
  message: string;
}

/**
 * Ports the Istio sidecar holds in every pod (https://istio.io/latest/docs/ops/deployment/
 * application-requirements/, "Ports used by Istio"): an app serving on one of them would clash
 * with its own proxy.
 */
export const ISTIO_SIDECAR_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

/** The sidecar's user: the capture rules let its traffic bypass the proxy (same page, "Application UIDs"). */
export const ISTIO_PROXY_UID = 1337;

const at = (i: number, ...rest: Array<string | number>) => ['catalog', i, ...rest];

export function istioCatalogProblems(services: ServiceSpec[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const publicIn = new Map<string, string>();
  services.forEach((s, i) => {
    if (ISTIO_SIDECAR_PORTS.includes(s.port)) {
      problems.push({ path: at(i, 'port'), message: `${s.port} is a port the Istio sidecar holds in every pod (${ISTIO_SIDECAR_PORTS.join(', ')}). Fix: serve ${s.name} on another port, e.g. 8080` });
    }
    if (s.runAs.nonRoot && s.runAs.user === ISTIO_PROXY_UID) {
      problems.push({ path: at(i, 'runAs', 'user'), message: `${ISTIO_PROXY_UID} is the Istio sidecar's user, whose traffic bypasses the proxy (no mutual TLS, no policy). Fix: run ${s.name} as another user, e.g. 65532` });
    }
    if (s.discovery === 'cloudmap') {
      problems.push({ path: at(i, 'discovery'), message: `"cloudmap" has no meaning with Istio, which federates services from the catalog by their Kubernetes names. Fix: remove discovery (DNS), or use mesh.engine "appmesh"` });
    }
    const r = s.traffic.retries;
    if (r && r.httpEvents.length === 0 && r.tcpEvents.length === 0) {
      // An empty retryOn makes Istio retry on its own default conditions (istio/istio@1.30.3
      // pilot/pkg/networking/core/route/retry/retry.go), which the catalog never asked for.
      problems.push({ path: at(i, 'traffic', 'retries'), message: `retries of ${s.name} name no event to retry on, and Istio would then retry on its own defaults. Fix: add httpEvents, e.g. ["gateway-error"], or tcpEvents ["connection-error"]` });
    }
    if (s.traffic.outlierDetection?.maxEjectionPercent === 0) {
      // Istio passes maxEjectionPercent to Envoy only when above 0 (pilot/pkg/networking/core/
      // cluster_traffic_policy.go applyOutlierDetection), so 0 becomes Envoy's default of 10 %.
      problems.push({ path: at(i, 'traffic', 'outlierDetection', 'maxEjectionPercent'), message: `0 cannot be expressed in Istio, which then ejects up to Envoy's default of 10%. Fix: use 1 or more (Envoy ejects at least one host whatever the value)` });
    }
    if (s.exposure === 'public') {
      const first = publicIn.get(s.account);
      if (first) {
        problems.push({ path: at(i, 'exposure'), message: `"public": ${first} is already public in ${s.account}, and with Istio an account's public services share its ingress gateway's one listener. Fix: make ${s.name} "internal", or place it in another account` });
      } else publicIn.set(s.account, s.name);
    }
  });
  return problems;
}
