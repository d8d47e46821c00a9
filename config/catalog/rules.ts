import type { Problem } from '../errors';
import type { ParsedConfig } from '../schema';
import type { RuleSpec } from '../rule-spec';
import { nearest, oneOf } from '../wording';
import { isHttp, type ServiceSpec } from './schema';
import { imageProblems } from './images';

// Rules of the service catalog, checked with the config before anything is built. Each message
// names the field (catalog[i]...), the bad value and the fix.

export type CatalogRule = (cfg: ParsedConfig, services: ServiceSpec[]) => Problem[];

/** Ports the Envoy sidecar owns inside every meshed pod. */
export const ENVOY_PORTS = [15000, 15001, 9901];

/** The path of a field of catalog entry i. */
export const catalogPath = (i: number, ...rest: (string | number)[]) => ['catalog', i, ...rest];

const names: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) => {
    const j = services.findIndex((o) => o.name === s.name);
    return j < i ? [{ path: catalogPath(i, 'name'), message: `"${s.name}" is defined twice (also catalog[${j}]). Fix: give every service a unique name` }] : [];
  });

const backends: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) =>
    s.backends.flatMap((b, k) => {
      if (b === s.name) return [{ path: catalogPath(i, 'backends', k), message: `"${b}" is the service itself. Fix: remove it from its own backends` }];
      if (!services.some((o) => o.name === b)) {
        const names = services.map((o) => o.name).filter((n) => n !== s.name);
        const near = nearest(b, names);
        return [{ path: catalogPath(i, 'backends', k), message: `"${b}" is not a service in the catalog. Fix: ${names.length ? `use one of ${oneOf(names)}${near ? ` ("${near}" is closest)` : ''}` : 'add that service to the catalog'}, or remove it` }];
      }
      return [];
    }),
  );

const ports: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) => {
    if (s.port < 1 || s.port > 65535) return [{ path: catalogPath(i, 'port'), message: `${s.port} is out of range. Fix: use a port from 1 to 65535` }];
    if (ENVOY_PORTS.includes(s.port)) return [{ path: catalogPath(i, 'port'), message: `${s.port} clashes with the Envoy sidecar's ports (${ENVOY_PORTS.join(', ')}). Fix: listen on another port, e.g. 8080` }];
    return [];
  });

/** Image references: parsed by the OCI grammar and pinned (config/catalog/images.ts). */
const images: CatalogRule = (_cfg, services) => imageProblems(services);

const versions: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) => {
    if (s.versions.length === 0) return [];
    const problems: Problem[] = [];
    const sum = s.versions.reduce((n, v) => n + v.weight, 0);
    if (sum !== 100) problems.push({ path: catalogPath(i, 'versions'), message: `weights ${s.versions.map((v) => `${v.name}: ${v.weight}`).join(', ')} sum to ${sum}, not 100. Fix: make the weights add up to 100` });
    s.versions.forEach((v, k) => {
      if (s.versions.findIndex((o) => o.name === v.name) < k) problems.push({ path: catalogPath(i, 'versions', k, 'name'), message: `"${v.name}" is declared twice. Fix: give every version its own name` });
    });
    return problems;
  });

/** A probe that outlives its interval overlaps the next one; both engines' APIs reject it. */
const healthTiming: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) =>
    s.healthCheck.timeoutSeconds < s.healthCheck.intervalSeconds
      ? []
      : [{ path: catalogPath(i, 'healthCheck', 'timeoutSeconds'), message: `${s.healthCheck.timeoutSeconds} is not shorter than intervalSeconds ${s.healthCheck.intervalSeconds}. Fix: make timeoutSeconds smaller than intervalSeconds` }],
  );

const protocolFit: CatalogRule = (_cfg, services) =>
  services.flatMap((s, i) => {
    const problems: Problem[] = [];
    if (s.protocol === 'tcp' && (s.traffic.retries?.httpEvents.length ?? 0) > 0) {
      problems.push({ path: catalogPath(i, 'traffic', 'retries', 'httpEvents'), message: `${JSON.stringify(s.traffic.retries!.httpEvents)} only apply to HTTP, and ${s.name} is tcp. Fix: remove httpEvents (tcp retries use tcpEvents: ["connection-error"]), or change the protocol` });
    }
    if (s.protocol === 'tcp' && s.traffic.retries) {
      problems.push({ path: catalogPath(i, 'traffic', 'retries'), message: `App Mesh retries requests, and a tcp service has none. Fix: remove retries from ${s.name}` });
    }
    if (s.exposure === 'public' && !isHttp(s.protocol)) {
      problems.push({ path: catalogPath(i, 'exposure'), message: `"public" puts ${s.name} behind an ALB, which speaks HTTP, but the service is ${s.protocol}. Fix: use exposure "internal", or an http protocol` });
    }
    if (s.healthCheck.type === 'http' && !isHttp(s.protocol)) {
      problems.push({ path: catalogPath(i, 'healthCheck', 'type'), message: `an http health check on a ${s.protocol} service. Fix: use { type: "tcp" }` });
    }
    return problems;
  });

export const CATALOG_RULES: RuleSpec[] = [
  { about: 'unique service names', needs: ['catalog'], check: names },
  { about: 'backends exist', needs: ['catalog'], check: backends },
  { about: 'port range', needs: ['catalog'], each: 'service', check: ports },
  { about: 'image pins', needs: ['catalog'], each: 'service', check: images },
  { about: 'version weights', needs: ['catalog'], each: 'service', check: versions },
  { about: 'health-check timing', needs: ['catalog'], each: 'service', check: healthTiming },
  { about: 'protocol fit', needs: ['catalog'], each: 'service', check: protocolFit },
];
