import { z } from 'zod';

// The service catalog: each service is described once; the network (who reaches whom, on which
// ports), the Kubernetes objects and the mesh routing are all derived from it.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const QUANTITY_CPU = /^\d+(\.\d+)?m?$/;
const QUANTITY_MEMORY = /^\d+(Ki|Mi|Gi)$/;

export const PROTOCOLS = ['http', 'http2', 'grpc', 'tcp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Retry events App Mesh understands, by kind. */
export const HTTP_RETRY_EVENTS = ['server-error', 'gateway-error', 'client-error', 'stream-error'] as const;
export const TCP_RETRY_EVENTS = ['connection-error'] as const;

// A bare number is a count of whole cores to Kubernetes ("Meaning of CPU", kubernetes.io/docs/
// concepts/configuration/manage-resources-containers), so `cpu: 500` would be 500 cores, never
// what was meant; the quantity is asked for as quoted text with its unit.
const quantityText = (example: string) =>
  z.string({ error: (i) => (i.input === undefined ? undefined : `is ${typeof i.input === 'number' ? 'a number' : 'not text'}; a quantity is quoted text with its unit. Fix: e.g. ${example}`) });

const resources = z.strictObject({
  cpu: quantityText('cpu: "500m" (half a core) or cpu: "2"')
    .regex(QUANTITY_CPU, { error: 'is not a CPU quantity. Fix: e.g. "100m" or "0.5"' })
    .describe('CPU as quoted text: "500m" is half a core, "2" two cores'),
  memory: quantityText('memory: "256Mi"').regex(QUANTITY_MEMORY, { error: 'is not a memory quantity. Fix: e.g. "128Mi"' }).describe('Memory as quoted text with Ki, Mi or Gi, e.g. "256Mi"'),
});

export const trafficSchema = z.strictObject({
  timeoutMs: z.number().int().min(1).optional().describe("Per-request timeout toward this service; unset, 15 s (App Mesh's default, kept for Lattice)"),
  retries: z
    .strictObject({
      attempts: z.number().int().min(1).max(10).describe('Retries after the first attempt'),
      perTryTimeoutMs: z.number().int().min(1).describe('Timeout of each attempt'),
      // What each event covers: HttpRetryPolicy in the App Mesh API reference.
      httpEvents: z
        .array(
          z.enum(HTTP_RETRY_EVENTS, {
            error: (i) => `${JSON.stringify(i.input)} is not a retry event. Fix: use server-error (500-511), gateway-error (502, 503, 504), client-error (409) or stream-error (refused stream)`,
          }),
        )
        .default([])
        .describe('HTTP outcomes retried: server-error (500-511), gateway-error (502, 503, 504), client-error (409), stream-error (refused stream)'),
      tcpEvents: z.array(z.enum(TCP_RETRY_EVENTS)).default([]).describe('Connection outcomes retried'),
    })
    .optional()
    .describe('Retries by the caller (HTTP services only)'),
  outlierDetection: z
    .strictObject({
      maxServerErrors: z.number().int().min(1).describe('5xx responses in a row that eject a host'),
      intervalMs: z.number().int().min(1).describe('How often hosts are evaluated'),
      baseEjectionMs: z.number().int().min(1).describe('How long an ejected host stays out (longer after each ejection)'),
      maxEjectionPercent: z.number().int().min(0).max(100).describe('Largest share of hosts ejected at once'),
    })
    .optional()
    .describe('Circuit breaking: eject a host after repeated 5xx'),
  connectionPool: z
    .strictObject({
      maxConnections: z.number().int().min(1).describe('Most connections open to the service'),
      maxPendingRequests: z.number().int().min(1).optional().describe('Most requests queued while waiting for a connection (http)'),
      maxRequests: z.number().int().min(1).optional().describe('Most requests in flight (http2, grpc; App Mesh uses maxConnections when unset)'),
    })
    .optional()
    .describe("Limits on the caller's connections to the service"),
});

/**
 * How often and how strictly a health check runs. The bounds are what both engines accept: VPC
 * Lattice target groups (TargetGroupPolicy CRD of aws-application-networking-k8s v2.1.3: interval
 * 5-300 s, timeout 1-120 s, thresholds 2-10) and App Mesh listeners (HealthCheckPolicy in the App
 * Mesh API reference: interval 5,000-300,000 ms, timeout 2,000-60,000 ms, thresholds 2-10). The
 * defaults are what this project always used for App Mesh.
 */
const healthTiming = {
  intervalSeconds: z.number().int().min(5).max(300).default(5).describe('Seconds between probes'),
  timeoutSeconds: z.number().int().min(2).max(60).default(2).describe('Seconds a probe may take; shorter than intervalSeconds'),
  healthyThreshold: z.number().int().min(2).max(10).default(2).describe('Successes in a row that mark a target healthy'),
  unhealthyThreshold: z.number().int().min(2).max(10).default(2).describe('Failures in a row that mark a target unhealthy'),
};

/** One cluster that runs a service: an account, and its region when not the account's home region. */
export const placementSchema = z.strictObject({
  account: z.string().min(1).describe('Name of the account, under accounts'),
  region: z.string().optional().describe("Region of the account's cluster; unset, the account's home region"),
  replicas: z.number().int().min(1).optional().describe("Pods per version here; unset, the service's replicas (a standby region may run fewer)"),
});

export const serviceSchema = z.strictObject({
  name: z
    .string()
    .regex(DNS_LABEL, {
      error: 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters). Fix: rename the service, e.g. "yelb-ui"',
    })
    .describe('Service name: the Kubernetes Service, Deployment and the name callers use (unique in the catalog)'),
  account: z.string().min(1).optional().describe("Name of the account, under accounts, whose cluster runs the service (the shorthand for one placement; or use placements)"),
  region: z.string().optional().describe("With account: the region of the account's cluster that runs the service; unset, the account's home region"),
  placements: z
    .array(placementSchema)
    .min(1)
    .optional()
    .describe('Instead of account: every cluster that runs the service, at most one per region. Callers prefer their own region and fail over to the next (Istio only: docs/multi-region.md)'),
  image: z
    .string()
    .min(1)
    .default('public.ecr.aws/docker/library/busybox:1.37')
    .describe("Image with a tag (not latest) or a digest. project/<repo>:<tag> is this project's ECR repository <project>/<repo>, which the account's cluster stack creates"),
  port: z.number().int().describe("Port the service listens on (1-65535; not Envoy's 15000, 15001 or 9901)"),
  protocol: z.enum(PROTOCOLS).describe('What the port speaks. App Mesh routes all four; Lattice routes http between services, and a tcp service may be called only from its own cluster'),
  replicas: z.number().int().min(1).default(2).describe('Pods per version'),
  requests: resources.default({ cpu: '100m', memory: '128Mi' }).describe('Resources each container is scheduled with'),
  limits: resources.default({ cpu: '500m', memory: '256Mi' }).describe('Most each container may use'),
  healthCheck: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('http').describe('An HTTP GET of path that must answer 2xx'),
        path: z.string().startsWith('/').describe('Path the app answers with 2xx, e.g. /healthz'),
        ...healthTiming,
      }),
      z.strictObject({ type: z.literal('tcp').describe('A TCP connect to the port'), ...healthTiming }),
    ])
    .prefault({ type: 'tcp' })
    .describe('What the mesh and the load balancers probe. VPC Lattice health-checks over HTTP only, so a service called through Lattice needs type http'),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .describe('Environment variables of the containers, as quoted text; they win over the OpenTelemetry variables the project sets'),
  backends: z.array(z.string()).default([]).describe('Services this one calls, by name, in any account; the network, mesh routes and auth policies follow from them'),
  exposure: z.enum(['internal', 'public']).default('internal').describe('public: an internet-facing ALB (Ingress) in front of the service, HTTP only'),
  traffic: trafficSchema.default({}).describe("Traffic policy of calls to this service (Lattice: applied by each caller's signing proxy)"),
  versions: z
    .array(
      z.strictObject({
        name: z.string().regex(DNS_LABEL).describe('Version name, e.g. v2: its Deployment and Service are <service>-<name>'),
        weight: z.number().int().min(0).max(100).describe("Share of the service's requests, in percent"),
        image: z.string().optional().describe("This version's image; unset, the service's image"),
      }),
    )
    .default([])
    .describe('Canary: versions with weights summing to 100, each its own Deployment. Empty: one version, v1, at 100'),
  discovery: z
    .enum(['dns', 'cloudmap'])
    .default('dns')
    .describe("dns resolves the Kubernetes Service name. cloudmap (App Mesh only) registers pods in a private Cloud Map namespace of the service's account, as the walkthrough did for the appserver"),
  runAs: z
    .union([
      z.strictObject({
        nonRoot: z.literal(true).describe('The containers run as a non-root user'),
        user: z.number().int().min(1).describe('User id of the containers'),
        group: z.number().int().min(1).optional().describe("Group id of the containers, which also owns the pod's volumes (fsGroup); unset, the user id"),
        readOnlyRootFilesystem: z.boolean().describe('Mount the root filesystem read-only; writablePaths (and /tmp) stay writable'),
      }),
      z.strictObject({
        nonRoot: z.literal(false).describe('The image insists on root (an entrypoint that drops privileges itself)'),
        reason: z.string().min(10).describe('Why; the container-non-root-limits control then fails the synth unless policy.waivers waives it for that Deployment'),
      }),
    ])
    .default({ nonRoot: true, user: 65532, readOnlyRootFilesystem: true })
    .describe('The user the containers run as'),
  command: z.array(z.string().min(1)).min(1).optional().describe("Replaces the image's entrypoint, e.g. to skip a start script that needs root"),
  files: z
    .array(
      z.strictObject({
        path: z.string().regex(/^\/.*[^/]$/, { error: 'must be an absolute file path. Fix: e.g. "/etc/app/app.conf"' }).describe('Absolute path of the file in the containers'),
        content: z.string().describe('Text of the file'),
      }),
    )
    .default([])
    .describe('Files mounted read-only from a ConfigMap, e.g. a server config the image would otherwise generate at start'),
  writablePaths: z.array(z.string().startsWith('/')).default([]).describe('Writable scratch folders (emptyDir) for images that need them under a read-only root'),
}).describe('One service of a catalog written as a list');

export type ServiceInput = z.input<typeof serviceSchema>;
export type ServiceEntry = z.output<typeof serviceSchema>;
export type PlacementEntry = z.output<typeof placementSchema>;

/** Where one copy of a service runs: a site (config/sites.ts) and its pods per version. */
export interface ServicePlacement {
  /** The site key: the account's name in its home region, <account>-<region> elsewhere. */
  site: string;
  account: string;
  /** Unset when the account's home region was meant but the accounts did not parse. */
  region?: string;
  replicas: number;
}

/**
 * A service as the stacks see it: `account` is the site of its first placement (the only one for
 * a single-region service, so code that reads `account` keeps its meaning), `placements` all of them.
 */
export type ServiceSpec = Omit<ServiceEntry, 'account' | 'placements'> & { account: string; placements: ServicePlacement[]; declared: Pick<ServiceEntry, 'account' | 'placements'> };

/** The service with its placements resolved to sites; `homeRegion` answers for accounts that parsed. */
export function placeService(entry: ServiceEntry, homeRegion: (account: string) => string | undefined): ServiceSpec {
  const { account, region, placements, ...rest } = entry;
  const declared: PlacementEntry[] = placements ?? (account ? [{ account, region }] : []);
  const resolved = declared.map((p): ServicePlacement => {
    const home = homeRegion(p.account);
    const where = p.region ?? home;
    return { site: where === undefined || where === home ? p.account : `${p.account}-${where}`, account: p.account, region: where, replicas: p.replicas ?? entry.replicas };
  });
  return { ...rest, region, account: resolved[0]?.site ?? '', placements: resolved, declared: { account, placements } };
}

/** A service from its input, each placement in its account's home region unless it names one (tests, scripts). */
export const parseService = (input: ServiceInput, homeRegion: (account: string) => string | undefined = () => undefined) => placeService(serviceSchema.parse(input), homeRegion);

/** Whether the service runs in a site. */
export const runsIn = (s: Pick<ServiceSpec, 'placements'>, site: string) => s.placements.some((p) => p.site === site);

/** Pods per version of the service in a site. */
export const replicasIn = (s: Pick<ServiceSpec, 'placements' | 'replicas'>, site: string) => s.placements.find((p) => p.site === site)?.replicas ?? s.replicas;

/** Versions to deploy: the declared ones, or a single implicit "v1" at 100%. */
export const versionsOf = (s: ServiceSpec) => (s.versions.length > 0 ? s.versions : [{ name: 'v1', weight: 100, image: undefined }]);

/** HTTP-family protocols, where App Mesh routes per request and the ALB can front the service. */
export const isHttp = (p: Protocol) => p !== 'tcp';
