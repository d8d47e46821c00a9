// What the Kubernetes objects of one service are built from: the props of this module, written
// out here so the module stands on its own (a catalog service of the config has this shape, and
// the compiler checks that where the stacks pass one in).

export interface WorkloadSpec {
  name: string;
  port: number;
  protocol: 'http' | 'http2' | 'grpc' | 'tcp';
  image: string;
  replicas: number;
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  healthCheck: { type: 'http'; path: string } | { type: 'tcp' };
  env: Record<string, string>;
  exposure: 'internal' | 'public';
  /** Canary versions; none means one implicit version "v1". */
  versions: ReadonlyArray<{ name: string; weight: number; image?: string }>;
  runAs: { nonRoot: true; user: number; group?: number; readOnlyRootFilesystem: boolean } | { nonRoot: false; reason: string };
  command?: string[];
  files: ReadonlyArray<{ path: string; content: string }>;
  writablePaths: string[];
}
