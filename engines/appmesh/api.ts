// The App Mesh controller's custom resources (appmesh.k8s.aws/v1beta2), typed after the CRDs
// of the pinned controller (1.13.3) for the fields this project sets. A misspelt or misplaced
// field is a compile error, not a CR the controller rejects at apply time.

export const APPMESH_API = 'appmesh.k8s.aws/v1beta2';

/** Where the pinned controller's CRDs live upstream (checked against in the tests, never copied). */
export const CRD_SOURCE = { repo: 'aws/aws-app-mesh-controller-for-k8s', ref: 'v1.13.3', dir: 'config/crd/bases' } as const;

export interface Duration {
  unit: 'ms' | 's';
  value: number;
}

export type PortProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

export interface Mesh {
  apiVersion: typeof APPMESH_API;
  kind: 'Mesh';
  metadata: Omit<ObjectMeta, 'namespace'>;
  spec: {
    awsName?: string;
    /** Account that owns a mesh shared through RAM. */
    meshOwner?: string;
    namespaceSelector: { matchLabels: Record<string, string> };
    egressFilter?: { type: 'ALLOW_ALL' | 'DROP_ALL' };
  };
}

export interface HealthCheckPolicy {
  protocol: PortProtocol;
  path?: string;
  healthyThreshold: number;
  unhealthyThreshold: number;
  timeoutMillis: number;
  intervalMillis: number;
}

export interface Listener {
  portMapping: { port: number; protocol: PortProtocol };
  healthCheck?: HealthCheckPolicy;
  outlierDetection?: { maxServerErrors: number; interval: Duration; baseEjectionDuration: Duration; maxEjectionPercent: number };
  connectionPool?: {
    http?: { maxConnections: number; maxPendingRequests?: number };
    http2?: { maxRequests: number };
    grpc?: { maxRequests: number };
    tcp?: { maxConnections: number };
  };
  timeout?: {
    http?: { perRequest?: Duration; idle?: Duration };
    http2?: { perRequest?: Duration; idle?: Duration };
    grpc?: { perRequest?: Duration; idle?: Duration };
    tcp?: { idle?: Duration };
  };
}

export interface VirtualServiceBackend {
  virtualService: { virtualServiceRef: { name: string; namespace?: string } } | { virtualServiceARN: string };
}

export interface VirtualNode {
  apiVersion: typeof APPMESH_API;
  kind: 'VirtualNode';
  metadata: ObjectMeta;
  spec: {
    awsName?: string;
    podSelector: { matchLabels: Record<string, string> };
    listeners: Listener[];
    serviceDiscovery: { dns: { hostname: string } } | { awsCloudMap: { namespaceName: string; serviceName: string } };
    backends?: VirtualServiceBackend[];
    logging?: { accessLog: { file: { path: string } } };
  };
}

export interface RetryPolicy {
  maxRetries: number;
  perRetryTimeout: Duration;
  httpRetryEvents?: string[];
  tcpRetryEvents?: string[];
}

export interface WeightedTarget {
  virtualNodeRef: { name: string };
  weight: number;
}

export interface HttpRoute {
  match: { prefix: string };
  action: { weightedTargets: WeightedTarget[] };
  retryPolicy?: RetryPolicy;
  timeout?: { perRequest?: Duration };
}

export interface Route {
  name: string;
  httpRoute?: HttpRoute;
  http2Route?: HttpRoute;
  grpcRoute?: { match: { serviceName?: string }; action: { weightedTargets: WeightedTarget[] }; retryPolicy?: RetryPolicy; timeout?: { perRequest?: Duration } };
  tcpRoute?: { action: { weightedTargets: WeightedTarget[] } };
}

export interface VirtualRouter {
  apiVersion: typeof APPMESH_API;
  kind: 'VirtualRouter';
  metadata: ObjectMeta;
  spec: {
    awsName?: string;
    listeners: Array<{ portMapping: { port: number; protocol: PortProtocol } }>;
    routes: Route[];
  };
}

export interface VirtualService {
  apiVersion: typeof APPMESH_API;
  kind: 'VirtualService';
  metadata: ObjectMeta;
  spec: {
    awsName?: string;
    provider: { virtualRouter: { virtualRouterRef: { name: string } } } | { virtualNode: { virtualNodeRef: { name: string } } };
  };
}

export type AppMeshResource = Mesh | VirtualNode | VirtualRouter | VirtualService;
