import { createHash } from 'crypto';
import type { WorkloadSpec } from './workload-spec';

// The plain Kubernetes objects of one catalog service, derived so that labels, selectors,
// ports and probes cannot drift apart: each is written once here and referenced everywhere.

/** Versions to run: the declared ones, or a single implicit "v1" at 100%. */
const versionsOf = (s: WorkloadSpec) => (s.versions.length > 0 ? s.versions : [{ name: 'v1', weight: 100, image: undefined }]);

/** Only plain TCP services have no HTTP to put an ALB in front of. */
const servesHttp = (s: WorkloadSpec) => s.protocol !== 'tcp';

export type KubeObject = Record<string, any> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

export const podLabels = (s: WorkloadSpec, version: string) => ({ app: s.name, version });

/** Name of the Deployment (and per-version Service) of one version. */
export const versionName = (s: WorkloadSpec, version: string) => (s.versions.length > 0 ? `${s.name}-${version}` : s.name);

function probe(s: WorkloadSpec) {
  const check = s.healthCheck.type === 'http' ? { httpGet: { path: s.healthCheck.path, port: s.port } } : { tcpSocket: { port: s.port } };
  return {
    readinessProbe: { ...check, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { ...check, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 3 },
  };
}

/** Below this port Linux wants root (or CAP_NET_BIND_SERVICE) to bind. */
const FIRST_UNPRIVILEGED_PORT = 1024;

function securityContexts(s: WorkloadSpec) {
  if (!s.runAs.nonRoot) {
    // The image insists on root (catalog runAs.reason); the container-non-root policy control
    // fails the synth unless the config waives it. Still no escalation, default seccomp profile.
    return { pod: { seccompProfile: { type: 'RuntimeDefault' } }, container: { allowPrivilegeEscalation: false } };
  }
  const group = s.runAs.group ?? s.runAs.user;
  // A non-root server on a low port (nginx on 80) gets the namespaced sysctl that lets it bind,
  // instead of root or an added capability; Pod Security "baseline" and "restricted" allow it.
  const sysctls = s.port < FIRST_UNPRIVILEGED_PORT ? { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(s.port) }] } : {};
  return {
    pod: { runAsNonRoot: true, runAsUser: s.runAs.user, runAsGroup: group, fsGroup: group, seccompProfile: { type: 'RuntimeDefault' }, ...sysctls },
    container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: s.runAs.readOnlyRootFilesystem, capabilities: { drop: ['ALL'] } },
  };
}

/** Name of the ConfigMap holding a service's catalog `files`. */
export const filesConfigMapName = (s: WorkloadSpec) => `${s.name}-files`;

/** The catalog `files` as one ConfigMap; keys are the file names, numbered so two paths cannot collide. */
export function filesConfigMap(s: WorkloadSpec, namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: filesConfigMapName(s), namespace }, data: Object.fromEntries(s.files.map((f, i) => [fileKey(f.path, i), f.content])) };
}

const fileKey = (filePath: string, i: number) => `${i}-${filePath.split('/').pop()}`;

function volumesOf(s: WorkloadSpec) {
  const scratch = [...new Set([...s.writablePaths, ...(s.runAs.nonRoot && s.runAs.readOnlyRootFilesystem ? ['/tmp'] : [])])];
  const mounts = [
    ...scratch.map((mountPath, i) => ({ name: `scratch-${i}`, mountPath })),
    // subPath mounts one file without hiding the rest of its folder.
    ...s.files.map((f, i) => ({ name: 'files', mountPath: f.path, subPath: fileKey(f.path, i), readOnly: true })),
  ];
  const volumes = [...scratch.map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })), ...(s.files.length ? [{ name: 'files', configMap: { name: filesConfigMapName(s) } }] : [])];
  return { mounts, volumes };
}

/**
 * Who the pod is, for whatever OpenTelemetry SDK or agent runs in it (standard variables, read
 * by every OpenTelemetry SDK): the catalog name, and the version and place as resource
 * attributes. The catalog's own env wins.
 */
function telemetryEnv(s: WorkloadSpec, namespace: string, version: string): Record<string, string> {
  const attributes = { 'service.version': version, 'k8s.namespace.name': namespace, 'k8s.deployment.name': versionName(s, version) };
  return { OTEL_SERVICE_NAME: s.name, OTEL_RESOURCE_ATTRIBUTES: Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(',') };
}

export function deployment(s: WorkloadSpec, namespace: string, version: { name: string; image?: string }, image: string): KubeObject {
  const labels = podLabels(s, version.name);
  const sc = securityContexts(s);
  const { mounts, volumes } = volumesOf(s);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: versionName(s, version.name), namespace, labels },
    spec: {
      replicas: s.replicas,
      selector: { matchLabels: labels },
      template: {
        // A changed file changes this hash, so the pods restart to read it.
        metadata: { labels, ...(s.files.length ? { annotations: { 'checksum/files': createHash('sha256').update(JSON.stringify(s.files)).digest('hex') } } : {}) },
        spec: {
          serviceAccountName: s.name,
          securityContext: sc.pod,
          containers: [
            {
              name: s.name,
              image,
              ...(s.command ? { command: s.command } : {}),
              ports: [{ name: 'service', containerPort: s.port, protocol: 'TCP' }],
              env: Object.entries({ ...telemetryEnv(s, namespace, version.name), ...s.env }).map(([name, value]) => ({ name, value })),
              resources: { requests: s.requests, limits: s.limits },
              securityContext: sc.container,
              ...probe(s),
              ...(mounts.length ? { volumeMounts: mounts } : {}),
            },
          ],
          ...(volumes.length ? { volumes } : {}),
        },
      },
    },
  };
}

export function service(name: string, namespace: string, port: number, selector?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { ...(selector ? { selector } : {}), ports: [{ name: 'service', port, targetPort: port, protocol: 'TCP' }] },
  };
}

/** Everything that runs one catalog service in its own cluster. */
export function serviceObjects(s: WorkloadSpec, namespace: string, imageOf: (image: string) => string): KubeObject[] {
  const versions = versionsOf(s);
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: s.name, namespace } }];
  if (s.files.length) objects.push(filesConfigMap(s, namespace));
  for (const v of versions) objects.push(deployment(s, namespace, v, imageOf(v.image ?? s.image)));
  objects.push(service(s.name, namespace, s.port, { app: s.name }));
  // With versions, each gets a Service of its own so its virtual node's DNS name reaches only its pods.
  if (s.versions.length > 0) for (const v of versions) objects.push(service(versionName(s, v.name), namespace, s.port, podLabels(s, v.name)));
  if (s.replicas > 1) {
    for (const v of versions) {
      objects.push({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: versionName(s, v.name), namespace },
        spec: { maxUnavailable: 1, selector: { matchLabels: podLabels(s, v.name) } },
      });
    }
  }
  if (s.exposure === 'public' && servesHttp(s)) objects.push(ingress(s, namespace));
  return objects;
}

/** An internet-facing ALB through the AWS Load Balancer Controller, targeting pod IPs directly. */
export function ingress(s: WorkloadSpec, namespace: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: s.name,
      namespace,
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': s.healthCheck.type === 'http' ? s.healthCheck.path : '/',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: s.name, port: { number: s.port } } } }] } }],
    },
  };
}
