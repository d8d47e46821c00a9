import * as YAML from 'yaml';
import { synthConfig, appMeshDemoWith } from './support/synth';
import { CHARTS, valuePaths } from '../modules/addons/charts';
import { LB_CONTROLLER_POLICY } from '../modules/addons/lb-controller-policy';
import { OTLP_GRPC, OTLP_HTTP } from '../config/telemetry';

const app = synthConfig(appMeshDemoWith());
const frontend = app.stack('controllers-frontend');
const backend = app.stack('controllers-backend');
const release = (stack: typeof frontend, chart: string) => stack.only('helm_release', (r) => r.chart === chart);
const values = (r: any) => YAML.parse(r.values[0]);
const roleFor = (stack: typeof frontend, serviceAccount: string) => {
  const association = stack.only('aws_eks_pod_identity_association', (a) => a.service_account === serviceAccount);
  const roleId = association.role_arn.match(/aws_iam_role\.([^.]+)\.arn/)[1];
  return { association, role: stack.resources('aws_iam_role')[roleId], roleId };
};

describe('controllers stacks', () => {
  test('one per cluster, after its cluster, the network and the mesh (manifest)', () => {
    expect(app.manifest.stacks['controllers-frontend'].dependencies.sort()).toEqual(['cluster-frontend', 'mesh', 'network']);
    expect(app.manifest.stacks['controllers-backend'].dependencies.sort()).toEqual(['cluster-backend', 'mesh', 'network']);
  });

  test('kubernetes and helm providers come from the cluster outputs and authenticate with aws eks get-token under the role', () => {
    const [k8s] = frontend.providers('kubernetes');
    expect(k8s.host).toBe('${data.terraform_remote_state.upstream-cluster-frontend.outputs.cluster_endpoint}');
    expect(k8s.cluster_ca_certificate).toContain('base64decode(data.terraform_remote_state.upstream-cluster-frontend.outputs.cluster_ca_data)');
    expect(k8s.exec[0].command).toBe('aws');
    expect(k8s.exec[0].args).toEqual(['eks', 'get-token', '--cluster-name', 'meshdemo-frontend', '--region', 'us-west-2', '--output', 'json', '--role-arn', 'arn:aws:iam::111111111111:role/cdktf-mesh-deployer']);
    expect(k8s.config_path).toBeUndefined();
    expect(frontend.providers('helm')[0].kubernetes.exec.args).toEqual(k8s.exec[0].args);
  });

  test('the App Mesh controller chart is pinned, from eks-charts, with region, account, cluster and X-Ray tracing', () => {
    const mesh = release(frontend, 'appmesh-controller');
    expect(mesh).toMatchObject({ repository: 'https://aws.github.io/eks-charts', version: '1.13.3', namespace: 'appmesh-system', atomic: true });
    // Helm installs the chart's crds/ before its templates; they must not be skipped.
    expect(mesh.skip_crds).toBeUndefined();
    expect(values(mesh)).toEqual({
      region: 'us-west-2',
      accountId: '111111111111',
      clusterName: 'meshdemo-frontend',
      serviceAccount: { create: true, name: 'appmesh-controller' },
      tracing: { enabled: true, provider: 'x-ray' },
    });
    expect(values(release(backend, 'appmesh-controller')).accountId).toBe('222222222222');
  });

  test('the App Mesh controller role is bound to appmesh-system/appmesh-controller and scoped to this mesh', () => {
    const { role, association } = roleFor(frontend, 'appmesh-controller');
    expect(association.namespace).toBe('appmesh-system');
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(trust.Statement[0].Condition.StringEquals).toMatchObject({ 'aws:RequestTag/kubernetes-namespace': 'appmesh-system', 'aws:RequestTag/kubernetes-service-account': 'appmesh-controller' });
    const policy = JSON.parse(frontend.resourceList('aws_iam_role_policy').find((p) => p.role.includes(association.role_arn.split('.')[1])).policy);
    const meshStatement = policy.Statement.find((s: any) => s.Sid === 'AppMeshInThisMesh');
    // The owner's mesh, and the children its own controller creates (in the owner's account: under the mesh's ARN).
    expect(meshStatement.Resource).toEqual(['arn:aws:appmesh:us-west-2:111111111111:mesh/yelb', 'arn:aws:appmesh:us-west-2:111111111111:mesh/yelb/*']);
    const memberPolicy = JSON.parse(app.stack('controllers-backend').resourceList('aws_iam_role_policy').find((p) => p.policy.includes('AppMeshInThisMesh')).policy);
    expect(memberPolicy.Statement.find((s: any) => s.Sid === 'AppMeshInThisMesh').Resource).toEqual(['arn:aws:appmesh:us-west-2:111111111111:mesh/yelb', 'arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/*']);
    expect(JSON.stringify(frontend.resourceList('aws_iam_role_policy_attachment'))).not.toMatch(/AWSAppMeshFullAccess|AWSCloudMapFullAccess/);
    const actions = policy.Statement.flatMap((s: any) => [].concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['appmesh:CreateVirtualNode', 'servicediscovery:RegisterInstance', 'route53:CreateHealthCheck', 'iam:CreateServiceLinkedRole']));
    expect(actions).not.toContain('appmesh:CreateMesh');
    expect(release(frontend, 'appmesh-controller').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_pod_identity_association\./)]));
  });

  test('the LB controller is pinned, set up for this cluster and VPC, with the recommended policy on its own service account', () => {
    const lb = release(frontend, 'aws-load-balancer-controller');
    expect(lb).toMatchObject({ version: CHARTS.loadBalancerController.version, namespace: 'kube-system' });
    expect(values(lb)).toMatchObject({ clusterName: 'meshdemo-frontend', region: 'us-west-2', vpcId: '${data.terraform_remote_state.upstream-network.outputs.vpc_ids.frontend}' });
    const { role } = roleFor(frontend, 'aws-load-balancer-controller');
    const inline = frontend.resourceList('aws_iam_role_policy').map((p) => JSON.parse(p.policy));
    expect(inline).toContainEqual(LB_CONTROLLER_POLICY);
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals['aws:RequestTag/kubernetes-service-account']).toBe('aws-load-balancer-controller');
  });

  test('every Helm value the code sets is a key of the pinned chart', () => {
    for (const stack of [frontend, backend]) {
      for (const r of stack.resourceList('helm_release')) {
        const pin = Object.values(CHARTS).find((c) => c.chart === r.chart)!;
        expect(valuePaths(values(r)).filter((k) => !(pin.valueKeys as readonly string[]).includes(k))).toEqual([]);
      }
    }
    expect(valuePaths({ a: { b: 1, c: [1] }, d: 'x' })).toEqual(['a.b', 'a.c', 'd']);
  });

  test('Container Insights add-on, with its agent role bound to amazon-cloudwatch/cloudwatch-agent', () => {
    const addon = frontend.only('aws_eks_addon');
    expect(addon.addon_name).toBe('amazon-cloudwatch-observability');
    expect(addon.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    const { association } = roleFor(frontend, 'cloudwatch-agent');
    expect(association.namespace).toBe('amazon-cloudwatch');
    const policies = frontend.resourceList('aws_iam_role_policy_attachment').map((a) => a.policy_arn);
    expect(policies).toEqual(expect.arrayContaining(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess']));
  });

  test('the add-on\'s agent keeps Container Insights and receives OTLP traces on every interface, at the ports workloads are given', () => {
    const config = JSON.parse(frontend.only('aws_eks_addon').configuration_values).agent.config;
    expect(config.logs.metrics_collected.kubernetes).toEqual({ enhanced_container_insights: true });
    expect(config.traces.traces_collected.otlp).toEqual({ grpc_endpoint: `0.0.0.0:${OTLP_GRPC.port}`, http_endpoint: `0.0.0.0:${OTLP_HTTP.port}` });
    expect([OTLP_GRPC.port, OTLP_HTTP.port]).toEqual([4317, 4318]);
    // The agent's Service is named after the agent (its service account too) in the add-on's namespace.
    const { association } = roleFor(frontend, 'cloudwatch-agent');
    for (const endpoint of [OTLP_GRPC, OTLP_HTTP]) expect(endpoint.host).toBe(`${association.service_account}.${association.namespace}.svc.cluster.local`);
  });

  test('no trust policy has a wildcard principal, and each binds one namespace and service account', () => {
    for (const stack of [frontend, backend]) {
      for (const role of stack.resourceList('aws_iam_role')) {
        const statement = JSON.parse(role.assume_role_policy).Statement[0];
        expect(JSON.stringify(statement.Principal)).not.toContain('"*"');
        expect(statement.Condition.StringEquals['aws:RequestTag/kubernetes-namespace']).toMatch(/^[a-z0-9-]+$/);
        expect(statement.Condition.StringEquals['aws:RequestTag/kubernetes-service-account']).toMatch(/^[a-z0-9-]+$/);
      }
    }
  });

  test('the workload namespace joins the mesh by label, with Pod Security labels, after the controllers', () => {
    const ns = frontend.only('kubernetes_manifest', (m) => m.manifest.kind === 'Namespace' && m.manifest.metadata.name === 'yelb');
    expect(ns.manifest.metadata.labels).toEqual({
      mesh: 'yelb',
      'appmesh.k8s.aws/sidecarInjectorWebhook': 'enabled',
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(ns.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^helm_release\.appmesh-controller/), expect.stringMatching(/^helm_release\.aws-load-balancer-controller/)]));
  });

  test('Envoy metrics are scraped from the sidecars into CloudWatch', () => {
    const config = frontend.only('kubernetes_manifest', (m) => m.manifest.kind === 'ConfigMap' && m.manifest.metadata.name === 'cwagent-prometheus-scrape');
    const scrape = YAML.parse(config.manifest.data['prometheus.yaml']);
    expect(scrape.scrape_configs[0].metrics_path).toBe('/stats/prometheus');
    expect(scrape.scrape_configs.map((j: any) => j.job_name)).toEqual(['kubernetes-pod-appmesh-envoy', 'kubernetes-pod-lattice-signer', 'kubernetes-pod-istio-proxy']);
    const agent = frontend.only('kubernetes_manifest', (m) => m.manifest.kind === 'Deployment');
    expect(agent.manifest.spec.template.spec.serviceAccountName).toBe('cwagent-prometheus');
  });

  test('a dashboard per cluster with request rate, 4xx/5xx, p50/p99 per service and node/pod CPU and memory', () => {
    const body = JSON.parse(backend.only('aws_cloudwatch_dashboard').dashboard_body);
    const titles = body.widgets.map((w: any) => w.properties.title);
    for (const service of ['yelb-appserver', 'yelb-db', 'redis-server']) {
      expect(titles).toEqual(expect.arrayContaining([`${service}: requests/min`, `${service}: 4xx and 5xx`, `${service}: latency p50 / p99 (ms)`]));
    }
    expect(JSON.stringify(body)).toMatch(/node_cpu_utilization[\s\S]*node_memory_utilization[\s\S]*pod_cpu_utilization[\s\S]*pod_memory_utilization/);
  });

  test('alarms on 5xx ratio and p99 latency per service, thresholds and SNS topic from the config', () => {
    const custom = synthConfig(appMeshDemoWith((c) => (c.observability = { alarm5xxPercent: 2, alarmP99LatencyMs: 250, alarmTopicArn: 'arn:aws:sns:us-west-2:111111111111:oncall' }))).stack('controllers-frontend');
    const ratio = custom.only('aws_cloudwatch_metric_alarm', (a) => a.alarm_name.endsWith('yelb-ui-5xx-ratio'));
    expect(ratio.threshold).toBe(2);
    expect(ratio.alarm_actions).toEqual(['arn:aws:sns:us-west-2:111111111111:oncall']);
    expect(ratio.metric_query.find((q: any) => q.return_data).expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)');
    expect(ratio.treat_missing_data).toBe('missing');
    const p99 = custom.only('aws_cloudwatch_metric_alarm', (a) => a.alarm_name.endsWith('yelb-ui-p99-latency'));
    expect(p99).toMatchObject({ threshold: 250, statistic: 'Maximum', dimensions: expect.objectContaining({ quantile: '0.99' }) });
    expect(frontend.only('aws_cloudwatch_metric_alarm', (a) => a.alarm_name.endsWith('5xx-ratio')).alarm_actions).toEqual([]);
  });
});
