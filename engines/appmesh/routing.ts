import { isHttp, versionsOf, type ServiceSpec } from '../../config/catalog/schema';
import { podLabels, versionName } from '../../modules/workloads/kube-objects';
import { meshResourceArn, type MeshCoordinates } from './arns';
import { APPMESH_API, type Duration, type Listener, type Mesh, type Route, type VirtualNode, type VirtualRouter, type VirtualService, type VirtualServiceBackend } from './api';

// App Mesh routing derived from the catalog: listener ports equal container ports, selectors
// equal pod labels, and a backend in another account is referenced by its virtual service's
// ARN, derived from the mesh, the account that creates it and its name (./arns.ts), never
// by a hand-copied value.

const ms = (value: number): Duration => ({ unit: 'ms', value });

export interface RoutingContext {
  namespace: string;
  meshName: string;
  meshOwnerId: string;
  /** Cloud Map namespace of the service's account, when it uses Cloud Map. */
  cloudMapNamespace?: string;
  /** ARN of a backend's virtual service when it runs in another account. */
  remoteBackendArn: (backend: string) => string | undefined;
}

/** The name callers use and Envoy matches on. */
export const virtualServiceAwsName = (s: ServiceSpec, namespace: string) => `${s.name}.${namespace}.svc.cluster.local`;

/**
 * A virtual service's ARN follows from the mesh, the account that creates it and its name
 * (./arns.ts), which makes it known before it exists.
 */
export const virtualServiceArn = (mesh: MeshCoordinates, ownerAccountId: string, s: ServiceSpec, namespace: string) =>
  meshResourceArn(mesh, ownerAccountId, 'virtualService', virtualServiceAwsName(s, namespace));

/** The catalog name of the service a virtual-service ARN (or its unresolved template) names. */
export function serviceOfVirtualServiceArn(arn: string): string | undefined {
  return /\/virtualService\/([a-z0-9-]+)\./.exec(arn)?.[1];
}

export function meshMembership(ctx: RoutingContext): Mesh {
  return {
    apiVersion: APPMESH_API,
    kind: 'Mesh',
    metadata: { name: ctx.meshName },
    spec: {
      awsName: ctx.meshName,
      // Set in every cluster, the owner's too: the mesh is Terraform's (mesh stack), so no
      // controller may create, update or delete it, only reference it.
      meshOwner: ctx.meshOwnerId,
      namespaceSelector: { matchLabels: { mesh: ctx.meshName } },
      egressFilter: { type: 'DROP_ALL' },
    },
  };
}

function listener(s: ServiceSpec): Listener {
  const t = s.traffic;
  const perRequest = t.timeoutMs ? { perRequest: ms(t.timeoutMs) } : undefined;
  const pool = t.connectionPool;
  return {
    portMapping: { port: s.port, protocol: s.protocol },
    healthCheck: {
      protocol: s.healthCheck.type === 'http' ? s.protocol : 'tcp',
      ...(s.healthCheck.type === 'http' ? { path: s.healthCheck.path } : {}),
      healthyThreshold: s.healthCheck.healthyThreshold,
      unhealthyThreshold: s.healthCheck.unhealthyThreshold,
      timeoutMillis: s.healthCheck.timeoutSeconds * 1000,
      intervalMillis: s.healthCheck.intervalSeconds * 1000,
    },
    ...(t.outlierDetection
      ? { outlierDetection: { maxServerErrors: t.outlierDetection.maxServerErrors, interval: ms(t.outlierDetection.intervalMs), baseEjectionDuration: ms(t.outlierDetection.baseEjectionMs), maxEjectionPercent: t.outlierDetection.maxEjectionPercent } }
      : {}),
    ...(pool
      ? {
          connectionPool:
            s.protocol === 'http'
              ? { http: { maxConnections: pool.maxConnections, ...(pool.maxPendingRequests ? { maxPendingRequests: pool.maxPendingRequests } : {}) } }
              : s.protocol === 'tcp'
                ? { tcp: { maxConnections: pool.maxConnections } }
                : { [s.protocol]: { maxRequests: pool.maxRequests ?? pool.maxConnections } },
        }
      : {}),
    ...(perRequest && isHttp(s.protocol) ? { timeout: { [s.protocol]: perRequest } } : {}),
  };
}

export function virtualNodes(s: ServiceSpec, ctx: RoutingContext): VirtualNode[] {
  const backends: VirtualServiceBackend[] = s.backends.map((b) => {
    const arn = ctx.remoteBackendArn(b);
    return { virtualService: arn ? { virtualServiceARN: arn } : { virtualServiceRef: { name: b } } };
  });
  return versionsOf(s).map((v) => {
    const name = versionName(s, v.name);
    return {
      apiVersion: APPMESH_API,
      kind: 'VirtualNode',
      metadata: { name, namespace: ctx.namespace },
      spec: {
        awsName: `${name}_${ctx.namespace}`,
        podSelector: { matchLabels: podLabels(s, v.name) },
        listeners: [listener(s)],
        serviceDiscovery:
          s.discovery === 'cloudmap' && ctx.cloudMapNamespace
            ? { awsCloudMap: { namespaceName: ctx.cloudMapNamespace, serviceName: name } }
            : { dns: { hostname: `${name}.${ctx.namespace}.svc.cluster.local` } },
        ...(backends.length ? { backends } : {}),
        logging: { accessLog: { file: { path: '/dev/stdout' } } },
      },
    };
  });
}

/** A router is needed for weighted versions and for retries/timeouts, which App Mesh puts on routes. */
export const needsRouter = (s: ServiceSpec) => s.versions.length > 1 || (isHttp(s.protocol) && (s.traffic.retries !== undefined || s.traffic.timeoutMs !== undefined));

function route(s: ServiceSpec): Route {
  const weightedTargets = versionsOf(s).map((v) => ({ virtualNodeRef: { name: versionName(s, v.name) }, weight: v.weight }));
  if (s.protocol === 'tcp') return { name: s.name, tcpRoute: { action: { weightedTargets } } };
  const r = s.traffic.retries;
  const policy = {
    ...(r ? { retryPolicy: { maxRetries: r.attempts, perRetryTimeout: ms(r.perTryTimeoutMs), ...(r.httpEvents.length ? { httpRetryEvents: r.httpEvents } : {}), ...(r.tcpEvents.length ? { tcpRetryEvents: r.tcpEvents } : {}) } } : {}),
    ...(s.traffic.timeoutMs ? { timeout: { perRequest: ms(s.traffic.timeoutMs) } } : {}),
  };
  if (s.protocol === 'grpc') return { name: s.name, grpcRoute: { match: {}, action: { weightedTargets }, ...policy } };
  const httpRoute = { match: { prefix: '/' }, action: { weightedTargets }, ...policy };
  return s.protocol === 'http2' ? { name: s.name, http2Route: httpRoute } : { name: s.name, httpRoute };
}

export function virtualRouter(s: ServiceSpec, ctx: RoutingContext): VirtualRouter {
  return {
    apiVersion: APPMESH_API,
    kind: 'VirtualRouter',
    metadata: { name: s.name, namespace: ctx.namespace },
    spec: { awsName: `${s.name}_${ctx.namespace}`, listeners: [{ portMapping: { port: s.port, protocol: s.protocol } }], routes: [route(s)] },
  };
}

export function virtualService(s: ServiceSpec, ctx: RoutingContext): VirtualService {
  return {
    apiVersion: APPMESH_API,
    kind: 'VirtualService',
    metadata: { name: s.name, namespace: ctx.namespace },
    spec: {
      awsName: virtualServiceAwsName(s, ctx.namespace),
      provider: needsRouter(s) ? { virtualRouter: { virtualRouterRef: { name: s.name } } } : { virtualNode: { virtualNodeRef: { name: versionName(s, versionsOf(s)[0].name) } } },
    },
  };
}
