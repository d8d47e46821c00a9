import { problemsOf, type Control, type Finding } from '../control';
import { blocks } from '../model';

/** Where each workload kind keeps its pod spec. */
const POD_SPEC: Record<string, (m: any) => any> = {
  Deployment: (m) => m.spec?.template?.spec,
  StatefulSet: (m) => m.spec?.template?.spec,
  DaemonSet: (m) => m.spec?.template?.spec,
  ReplicaSet: (m) => m.spec?.template?.spec,
  Job: (m) => m.spec?.template?.spec,
  CronJob: (m) => m.spec?.jobTemplate?.spec?.template?.spec,
  Pod: (m) => m.spec,
};

function containerProblems(pod: any, container: any): string[] {
  const own = container.securityContext ?? {};
  const shared = pod.securityContext ?? {};
  const problems: string[] = [];
  if ((own.runAsNonRoot ?? shared.runAsNonRoot) !== true) problems.push('runAsNonRoot is not true');
  if ((own.runAsUser ?? shared.runAsUser) === 0) problems.push('runAsUser is 0');
  if (own.privileged === true) problems.push('is privileged');
  const limits = container.resources?.limits ?? {};
  const missing = ['cpu', 'memory'].filter((k) => limits[k] === undefined);
  if (missing.length) problems.push(`has no ${missing.join(' or ')} limit`);
  return problems;
}

export const containerNonRootLimits: Control = {
  id: 'container-non-root-limits',
  reason: 'A root container is one kernel bug from the node, and one without limits can starve its neighbours.',
  fix: 'run the container as a non-root user (catalog runAs.nonRoot: true with a user id) and give it cpu and memory limits',
  check: (input) =>
    input.kubeObjects(...Object.keys(POD_SPEC)).flatMap(({ resource, manifest }): Finding[] => {
      const pod = POD_SPEC[manifest.kind](manifest) ?? {};
      return [...blocks(pod.initContainers), ...blocks(pod.containers)].flatMap((container) => {
        const problems = containerProblems(pod, container);
        return problems.length ? [{ resource: resource.path, problem: `container "${container.name}" ${problems.join(', ')}` }] : [];
      });
    }),
};

const LEVEL = (mode: string) => `pod-security.kubernetes.io/${mode}`;
/** App Mesh's injector adds an init container that needs NET_ADMIN to redirect traffic to Envoy. */
const APP_MESH_INJECTION = 'appmesh.k8s.aws/sidecarInjectorWebhook';

export const namespacePodSecurity: Control = {
  id: 'namespace-pod-security',
  reason: 'Pod Security admission only acts on labelled namespaces; without labels any pod spec is admitted silently.',
  fix: 'label the namespace pod-security.kubernetes.io/enforce baseline or restricted, and warn and audit restricted (addons/addon.ts podSecurityLabels)',
  check: (input) =>
    input.kubeObjects('Namespace').flatMap(({ resource, manifest }): Finding[] => {
      const labels: Record<string, string> = manifest.metadata?.labels ?? {};
      const enforce = labels[LEVEL('enforce')];
      const problem = problemsOf(
        !enforce && 'has no enforce level',
        // "privileged" only where App Mesh injects its NET_ADMIN init container; warn/audit still report at restricted.
        enforce === 'privileged' && labels[APP_MESH_INJECTION] !== 'enabled' && 'enforces "privileged" without App Mesh sidecar injection needing it',
        enforce && !['privileged', 'baseline', 'restricted'].includes(enforce) && `enforce level "${enforce}" is not a Pod Security level`,
        ...['warn', 'audit'].map((mode) => labels[LEVEL(mode)] !== 'restricted' && `${mode} level is not "restricted"`),
      );
      return problem ? [{ resource: resource.path, problem }] : [];
    }),
};

export const KUBERNETES_CONTROLS = [containerNonRootLimits, namespacePodSecurity];
