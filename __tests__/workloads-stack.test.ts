import { synthConfig, appMeshDemoWith, SynthStack } from './support/synth';
import { configFromEnv } from '../services/chain-service/src/config';
import { tracingEndpoint } from '../services/chain-service/src/tracing';

const objectsOf = (stack: SynthStack) => stack.resourceList('kubernetes_manifest').map((r) => r.manifest);
const find = (stack: SynthStack, kind: string, name: string) => {
  const found = objectsOf(stack).filter((o) => o.kind === kind && o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name} in ${stack.name}, found ${found.length}`);
  return found[0];
};
const container = (deployment: any) => deployment.spec.template.spec.containers[0];

describe('workloads stacks from the Yelb catalog', () => {
  const app = synthConfig(appMeshDemoWith());
  const frontend = app.stack('workloads-frontend');
  const backend = app.stack('workloads-backend');

  test('one per account, after its controllers; caller and callee deploy side by side (manifest)', () => {
    expect(app.manifest.stacks['workloads-frontend'].dependencies.sort()).toEqual(['cluster-frontend', 'controllers-frontend', 'mesh']);
    expect(app.manifest.stacks['workloads-backend'].dependencies.sort()).toEqual(['cluster-backend', 'controllers-backend', 'mesh']);
  });

  test('every Deployment names its service and version for OpenTelemetry (standard variables)', () => {
    const env = (stack: SynthStack, name: string) => Object.fromEntries(container(find(stack, 'Deployment', name)).env.map((e: any) => [e.name, e.value]));
    expect(env(frontend, 'yelb-ui')).toMatchObject({ OTEL_SERVICE_NAME: 'yelb-ui', OTEL_RESOURCE_ATTRIBUTES: 'service.version=v1,k8s.namespace.name=yelb,k8s.deployment.name=yelb-ui' });
    expect(env(backend, 'yelb-db')).toMatchObject({ OTEL_SERVICE_NAME: 'yelb-db', PGDATA: '/var/lib/postgresql/data/pgdata' });
  });

  test('services land in their accounts', () => {
    expect(objectsOf(frontend).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name)).toEqual(['yelb-ui']);
    expect(objectsOf(backend).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual(['redis-server', 'yelb-appserver', 'yelb-db']);
  });

  test('virtual node selectors match the Deployment labels, and listener ports equal container ports (yelb-ui on 80)', () => {
    for (const [stack, name] of [[frontend, 'yelb-ui'], [backend, 'yelb-appserver'], [backend, 'yelb-db'], [backend, 'redis-server']] as const) {
      const deployment = find(stack, 'Deployment', name);
      const node = find(stack, 'VirtualNode', name);
      expect(node.spec.podSelector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
      expect(node.spec.listeners[0].portMapping.port).toBe(container(deployment).ports[0].containerPort);
    }
    expect(find(frontend, 'VirtualNode', 'yelb-ui').spec.listeners[0].portMapping).toEqual({ port: 80, protocol: 'http' });
    expect(find(backend, 'VirtualNode', 'yelb-db').spec.listeners[0].portMapping).toEqual({ port: 5432, protocol: 'tcp' });
  });

  test("yelb-ui's backend is yelb-appserver's virtual service ARN, derived in the shared-mesh form of the account that creates it", () => {
    const node = find(frontend, 'VirtualNode', 'yelb-ui');
    // A member's resource: its own account, and the mesh named <mesh>@<owner> (engines/appmesh/arns.ts).
    expect(node.spec.backends).toEqual([{ virtualService: { virtualServiceARN: 'arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/virtualService/yelb-appserver.yelb.svc.cluster.local' } }]);
    expect(Object.keys(frontend.data('terraform_remote_state'))).not.toContain('upstream-workloads-backend');
    // What the backend publishes is the ARN the controller reports, under the same name.
    expect(backend.outputs().virtual_service_arns.value['yelb-appserver']).toBe('${kubernetes_manifest.virtualservice-yelb-appserver.object.status.virtualServiceARN}');
    expect(find(backend, 'VirtualService', 'yelb-appserver').spec.awsName).toBe('yelb-appserver.yelb.svc.cluster.local');
  });

  test("a check compares the derived ARN with the one workloads-backend publishes, read from its state without waiting for it", () => {
    const check = frontend.json.check['published-workloads-backend'];
    expect(check.data.terraform_remote_state['published-workloads-backend'].config.path).toMatch(/workloads-backend\.tfstate$/);
    expect(check.assert).toHaveLength(1);
    expect(check.assert[0].condition).toBe(
      '${(try(data.terraform_remote_state.published-workloads-backend.outputs.virtual_service_arns["yelb-appserver"], "") == "arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/virtualService/yelb-appserver.yelb.svc.cluster.local")}',
    );
    expect(check.assert[0].error_message).toMatch(/workloads-backend does not publish virtual_service_arns\["yelb-appserver"\]/);
    // The backend calls nothing in the frontend, so it assumes nothing and has no check.
    expect(backend.json.check).toBeUndefined();
  });

  test('the caller cluster gets a selector-less Service so the remote name resolves', () => {
    const remote = find(frontend, 'Service', 'yelb-appserver');
    expect(remote.spec.selector).toBeUndefined();
    expect(remote.spec.ports[0].port).toBe(4567);
  });

  test('backends in the same account are referenced by name', () => {
    expect(find(backend, 'VirtualNode', 'yelb-appserver').spec.backends).toEqual([
      { virtualService: { virtualServiceRef: { name: 'yelb-db' } } },
      { virtualService: { virtualServiceRef: { name: 'redis-server' } } },
    ]);
  });

  test('yelb-appserver retries on server and gateway errors through a router; single-version tcp services are served by their node', () => {
    const router = find(backend, 'VirtualRouter', 'yelb-appserver');
    expect(router.spec.routes[0].httpRoute.retryPolicy).toEqual({ maxRetries: 3, perRetryTimeout: { unit: 'ms', value: 2000 }, httpRetryEvents: ['server-error', 'gateway-error'] });
    expect(router.spec.routes[0].httpRoute.timeout).toEqual({ perRequest: { unit: 'ms', value: 15000 } });
    expect(find(backend, 'VirtualService', 'yelb-appserver').spec.provider).toEqual({ virtualRouter: { virtualRouterRef: { name: 'yelb-appserver' } } });
    expect(find(backend, 'VirtualService', 'yelb-db').spec.provider).toEqual({ virtualNode: { virtualNodeRef: { name: 'yelb-db' } } });
    expect(find(backend, 'VirtualNode', 'yelb-appserver').spec.listeners[0].outlierDetection).toMatchObject({ maxServerErrors: 5, maxEjectionPercent: 50 });
  });

  test('the Mesh CR references the shared mesh in owner and member clusters alike, selecting the labeled namespace', () => {
    expect(find(frontend, 'Mesh', 'yelb').spec).toEqual(find(backend, 'Mesh', 'yelb').spec);
    const mesh = find(backend, 'Mesh', 'yelb');
    expect(mesh.spec).toEqual({ awsName: 'yelb', meshOwner: '${data.terraform_remote_state.upstream-mesh.outputs.mesh_owner_account_id}', namespaceSelector: { matchLabels: { mesh: 'yelb' } }, egressFilter: { type: 'DROP_ALL' } });
  });

  test('Deployments carry probes from the health check and resources, and every Yelb container runs without root', () => {
    const ui = container(find(frontend, 'Deployment', 'yelb-ui'));
    expect(ui.readinessProbe.httpGet).toEqual({ path: '/', port: 80 });
    expect(ui.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(ui.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container(find(backend, 'Deployment', 'yelb-db')).readinessProbe.tcpSocket).toEqual({ port: 5432 });
    const users = Object.fromEntries(
      [[frontend, 'yelb-ui'], [backend, 'yelb-appserver'], [backend, 'yelb-db'], [backend, 'redis-server']].map(([stack, name]) => {
        const pod = find(stack as SynthStack, 'Deployment', name as string).spec.template.spec.securityContext;
        expect(pod).toMatchObject({ runAsNonRoot: true, fsGroup: pod.runAsUser, seccompProfile: { type: 'RuntimeDefault' } });
        return [name, pod.runAsUser];
      }),
    );
    expect(users).toEqual({ 'yelb-ui': 101, 'yelb-appserver': 1001, 'yelb-db': 999, 'redis-server': 999 });
  });

  test('yelb-ui: nginx started directly on port 80 by the unprivileged-port sysctl, its server block mounted from a ConfigMap', () => {
    const deployment = find(frontend, 'Deployment', 'yelb-ui');
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(pod.containers[0].command).toEqual(['nginx', '-g', 'daemon off;']);
    const files = find(frontend, 'ConfigMap', 'yelb-ui-files');
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.mountPath === '/etc/nginx/conf.d/default.conf');
    expect(mount).toMatchObject({ name: 'files', readOnly: true });
    expect(files.data[mount.subPath]).toContain('proxy_pass http://yelb-appserver:4567/api;');
    expect(pod.volumes).toContainEqual({ name: 'files', configMap: { name: 'yelb-ui-files' } });
    // nginx writes its cache and pid file; those folders are emptyDirs under the read-only root.
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/var/cache/nginx', '/var/run', '/tmp']));
    expect(deployment.spec.template.metadata.annotations['checksum/files']).toMatch(/^[0-9a-f]{64}$/);
    // Services on unprivileged ports get no sysctl.
    expect(find(backend, 'Deployment', 'yelb-appserver').spec.template.spec.securityContext.sysctls).toBeUndefined();
  });

  test('yelb-db keeps its data in a subfolder of a pod volume, so the non-root entrypoint can create it', () => {
    const db = container(find(backend, 'Deployment', 'yelb-db'));
    expect(db.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
    expect(db.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/lib/postgresql/data', '/var/run/postgresql']);
  });

  test('a PodDisruptionBudget only where there is more than one replica', () => {
    expect(find(frontend, 'PodDisruptionBudget', 'yelb-ui').spec.maxUnavailable).toBe(1);
    expect(objectsOf(backend).filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual(['yelb-appserver']);
  });

  test('the public service gets an internet-facing ALB Ingress targeting pod IPs, and its URL is an output', () => {
    const ingress = find(frontend, 'Ingress', 'yelb-ui');
    expect(ingress.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'ip', 'alb.ingress.kubernetes.io/healthcheck-path': '/' });
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(frontend.outputs().public_urls.value['yelb-ui']).toContain('status.loadBalancer.ingress[0].hostname');
  });

  test("each service account's role is bound to it and lets Envoy stream config of this mesh only", () => {
    const assoc = backend.only('aws_eks_pod_identity_association', (a) => a.service_account === 'yelb-appserver');
    expect(assoc.namespace).toBe('yelb');
    const policy = JSON.parse(backend.resourceList('aws_iam_role_policy').find((p) => p.role.includes('yelb-appserver')).policy);
    // Its own account's virtual nodes in the shared mesh, in the member form (arns.ts).
    expect(policy.Statement[0]).toEqual({ Sid: 'EnvoyConfiguration', Effect: 'Allow', Action: 'appmesh:StreamAggregatedResources', Resource: 'arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/virtualNode/*' });
    const owners = JSON.parse(frontend.resourceList('aws_iam_role_policy').find((p) => p.role.includes('yelb-ui')).policy);
    expect(owners.Statement[0].Resource).toBe('arn:aws:appmesh:us-west-2:111111111111:mesh/yelb/virtualNode/*');
    expect(policy.Statement[1].Action).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    const deployment = backend.resources('kubernetes_manifest')['deployment-yelb-appserver'];
    expect(deployment.depends_on).toEqual(expect.arrayContaining(['kubernetes_manifest.virtualnode-yelb-appserver', expect.stringMatching(/^aws_eks_pod_identity_association\./)]));
  });
});

describe('workloads stacks from the chain catalog', () => {
  const app = synthConfig(appMeshDemoWith((c) => (c.catalog = 'chain')));
  const frontend = app.stack('workloads-frontend');
  const backend = app.stack('workloads-backend');

  test('the ALB is in front of service-a', () => {
    expect(find(frontend, 'Ingress', 'service-a').spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'service-a', port: { number: 8080 } });
    expect(objectsOf(backend).filter((o) => o.kind === 'Ingress')).toEqual([]);
  });

  test('images come from the ECR repository of the service account, at the pinned tag', () => {
    expect(container(find(frontend, 'Deployment', 'service-a')).image).toBe('${data.terraform_remote_state.upstream-cluster-frontend.outputs.ecr_repository_urls["chain-service"]}:0.2.0');
  });

  test('the chain service runs as non-root with a read-only root filesystem and a scratch /tmp', () => {
    const d = find(backend, 'Deployment', 'service-c');
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container(d).securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container(d).volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }]);
  });

  test('each hop knows the next by env, and B reaches C by reference, A reaches B by ARN', () => {
    expect(container(find(frontend, 'Deployment', 'service-a')).env).toEqual(expect.arrayContaining([{ name: 'NEXT_SERVICE_URL', value: 'http://service-b:8081' }]));
    expect(find(backend, 'VirtualNode', 'service-b').spec.backends).toEqual([{ virtualService: { virtualServiceRef: { name: 'service-c' } } }]);
    expect(find(frontend, 'VirtualNode', 'service-a').spec.backends[0].virtualService.virtualServiceARN).toBe('arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/virtualService/service-b.yelb.svc.cluster.local');
  });

  test('each hop exports its spans to the CloudWatch agent, with an env the service itself accepts', () => {
    for (const [stack, name] of [[frontend, 'service-a'], [backend, 'service-b'], [backend, 'service-c']] as const) {
      const env = Object.fromEntries(container(find(stack, 'Deployment', name)).env.map((e: any) => [e.name, e.value]));
      expect(env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://cloudwatch-agent.amazon-cloudwatch.svc.cluster.local:4318', OTEL_SERVICE_NAME: name });
      expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe(`service.version=v1,k8s.namespace.name=yelb,k8s.deployment.name=${name}`);
      // The service's own checks (configuration and tracing endpoint) take this env as it is.
      expect(configFromEnv(env).serviceName).toBe(name);
      expect(tracingEndpoint(env)).toBe('http://cloudwatch-agent.amazon-cloudwatch.svc.cluster.local:4318/');
    }
  });

  test("App Mesh's DROP_ALL egress lets the spans out: the OTLP ports bypass Envoy's redirect", () => {
    const port = new URL(container(find(frontend, 'Deployment', 'service-a')).env.find((e: any) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT').value).port;
    for (const [stack, name] of [[frontend, 'service-a'], [backend, 'service-b'], [backend, 'service-c']] as const) {
      const ignored = find(stack, 'Deployment', name).spec.template.metadata.annotations['appmesh.k8s.aws/egressIgnoredPorts'].split(',');
      expect(ignored).toContain(port);
    }
  });
});

describe('canary versions', () => {
  const app = synthConfig(appMeshDemoWith((c) => (c.catalog = [
    { name: 'web', account: 'frontend', image: 'nginx:1.27', port: 8080, protocol: 'http', backends: ['api'], exposure: 'public' },
    { name: 'api', account: 'backend', image: 'api:1.0', port: 9000, protocol: 'http', versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10, image: 'api:2.0' }] },
  ])));
  const backend = app.stack('workloads-backend');

  test('a Deployment, Service and virtual node per version, and a route splitting 90/10', () => {
    expect(find(backend, 'Deployment', 'api-v2').spec.template.spec.containers[0].image).toBe('api:2.0');
    expect(find(backend, 'Service', 'api-v1').spec.selector).toEqual({ app: 'api', version: 'v1' });
    expect(find(backend, 'VirtualNode', 'api-v2').spec.podSelector.matchLabels).toEqual({ app: 'api', version: 'v2' });
    expect(find(backend, 'VirtualRouter', 'api').spec.routes[0].httpRoute.action.weightedTargets).toEqual([
      { virtualNodeRef: { name: 'api-v1' }, weight: 90 },
      { virtualNodeRef: { name: 'api-v2' }, weight: 10 },
    ]);
  });
});
