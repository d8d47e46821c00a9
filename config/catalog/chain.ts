import type { ServiceInput } from './schema';
import { otlpHttpEndpoint } from '../telemetry';

/** Images named `project/<repo>:<tag>` come from this project's ECR repository in the service's account. */
export const PROJECT_IMAGE_PREFIX = 'project/';

/**
 * Each hop serves on its own port. With VPC Lattice a caller reaches its backend at
 * `<backend>:<backend port>` through a signing proxy in its own pod, which cannot bind a port the
 * caller's server already holds on every address; distinct ports keep every hop deployable on
 * every engine (the catalog rules stop a layout where they clash).
 */
const PORTS = { 'service-a': 8080, 'service-b': 8081, 'service-c': 8082 } as const;
type Hop = keyof typeof PORTS;

const chainService = (name: Hop, account: string, next?: Hop): ServiceInput => ({
  name,
  account,
  // 0.2.0: traced with OpenTelemetry (ECR tags are immutable, so a changed image gets a new tag).
  image: `${PROJECT_IMAGE_PREFIX}chain-service:0.2.0`,
  port: PORTS[name],
  protocol: 'http',
  healthCheck: { type: 'http', path: '/healthz' },
  // The hop gives up (1.5 s) before the mesh's per-try timeout (2 s), so a slow hop answers with
  // its own 504 naming the stuck service instead of being cut off by the retry.
  // Spans go to the CloudWatch agent on the pod's node, which sends them to X-Ray.
  env: {
    SERVICE_NAME: name,
    PORT: String(PORTS[name]),
    UPSTREAM_TIMEOUT_MS: '1500',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttpEndpoint(),
    ...(next ? { NEXT_SERVICE_NAME: next, NEXT_SERVICE_URL: `http://${next}:${PORTS[next]}` } : {}),
  },
  backends: next ? [next] : [],
  traffic: { timeoutMs: 5000, retries: { attempts: 2, perTryTimeoutMs: 2000, httpEvents: ['gateway-error'] } },
  // The image runs as the unprivileged "node" user and writes nothing at run time.
  runAs: { nonRoot: true, user: 1000, readOnlyRootFilesystem: true },
});

/** The recipe's chain: service-a (public, frontend) → service-b → service-c (backend). */
export const chainCatalog: ServiceInput[] = [
  { ...chainService('service-a', 'frontend', 'service-b'), exposure: 'public' },
  chainService('service-b', 'backend', 'service-c'),
  chainService('service-c', 'backend'),
];
