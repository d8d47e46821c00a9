import { synthConfig, demoWith, appMeshDemoWith, type SynthResult, type SynthStack } from './support/synth';
import { APP_MESH_ENVOY_DIMENSIONS, CONTAINER_INSIGHTS, CONTAINER_INSIGHTS_SERVICE, ENVOY_METRICS, LATTICE_METRICS, SIGNER_DIMENSIONS } from '../modules/observability/metrics';
import { LATTICE_SERVICE_ARN_ANNOTATION, TARGET_GROUP_NOT_FOUND } from '../modules/observability/lattice-ids';

// Dashboards and alarms per engine: every metric they read is one of the documented ones
// (modules/observability/metrics.ts) under its documented dimensions, Lattice's ids come from
// what the controller publishes, and every alarm's missing-data behaviour is deliberate.

const lattice = synthConfig(demoWith());
const latticeChain = synthConfig(demoWith((c) => (c.catalog = 'chain')));
const appMesh = synthConfig(appMeshDemoWith());
const canary = synthConfig(
  demoWith((c) => (c.catalog = [
    { name: 'web', account: 'frontend', image: 'nginx:1.27', port: 8080, protocol: 'http', backends: ['api'], exposure: 'public' },
    { name: 'api', account: 'backend', image: 'api:1.0', port: 9000, protocol: 'http', healthCheck: { type: 'http', path: '/healthz' }, versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10, image: 'api:2.0' }] },
  ])),
);

/** The documented metric names per namespace, and the dimension sets they may be read under. */
const DOCUMENTED: Record<string, { names: string[]; dimensionSets: string[][] }> = {
  [LATTICE_METRICS.namespace]: {
    names: [...Object.values(LATTICE_METRICS.service).flatMap((m) => (typeof m === 'string' ? [] : [m.name])), LATTICE_METRICS.targetGroup.healthyTargets.name],
    dimensionSets: [[LATTICE_METRICS.service.dimension], [LATTICE_METRICS.targetGroup.dimension]],
  },
  [ENVOY_METRICS.namespace]: {
    names: [ENVOY_METRICS.requests, ENVOY_METRICS.responsesByClass, ENVOY_METRICS.latency],
    dimensionSets: [APP_MESH_ENVOY_DIMENSIONS, SIGNER_DIMENSIONS].flatMap((d) => [[...d], [...d, ENVOY_METRICS.responseClassLabel], [...d, ENVOY_METRICS.quantileLabel]]),
  },
  [CONTAINER_INSIGHTS.namespace]: {
    names: [...Object.values(CONTAINER_INSIGHTS).filter((v) => v !== CONTAINER_INSIGHTS.namespace), CONTAINER_INSIGHTS_SERVICE.readyPods],
    dimensionSets: [['ClusterName'], [...CONTAINER_INSIGHTS_SERVICE.dimensions]],
  },
};

/**
 * A dashboard body is a Terraform template: JSON text with `${...}` interpolations whose HCL may
 * hold quotes. Each interpolation is swapped for a marker, the JSON parsed, and the markers put back.
 */
function parseTemplateJson(text: string): any {
  const expressions: string[] = [];
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      let depth = 0;
      let quoted = false;
      let j = i + 1;
      for (; j < text.length; j++) {
        const c = text[j];
        if (quoted) {
          if (c === '\\') j++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) break;
      }
      expressions.push(text.slice(i, j + 1));
      out += `@@${expressions.length - 1}@@`;
      i = j;
    } else out += text[i];
  }
  return JSON.parse(out, (_key, value) => (typeof value === 'string' ? value.replace(/@@(\d+)@@/g, (_m, n) => expressions[Number(n)]) : value));
}

interface Read {
  where: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** Every metric a stack's dashboards and alarms read, from the synthesized Terraform JSON. */
function metricsRead(stack: SynthStack): Read[] {
  const fromDashboards = stack.resourceList('aws_cloudwatch_dashboard').flatMap((d) =>
    parseTemplateJson(d.dashboard_body).widgets.flatMap((w: any) =>
      w.properties.metrics.map((line: any[]) => {
        const [namespace, name, ...rest] = line.filter((x) => typeof x === 'string');
        const dimensions: Record<string, string> = {};
        for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]] = rest[i + 1];
        return { where: `${stack.name} dashboard "${w.properties.title}"`, namespace, name, dimensions };
      }),
    ),
  );
  const fromAlarms = stack.resourceList('aws_cloudwatch_metric_alarm').flatMap((a): Read[] =>
    a.metric_query
      ? a.metric_query.filter((q: any) => q.metric).map((q: any) => ({ where: `${stack.name} alarm ${a.alarm_name}`, namespace: q.metric.namespace, name: q.metric.metric_name, dimensions: q.metric.dimensions }))
      : [{ where: `${stack.name} alarm ${a.alarm_name}`, namespace: a.namespace, name: a.metric_name, dimensions: a.dimensions }],
  );
  return [...fromDashboards, ...fromAlarms];
}

const allStacks = (app: SynthResult) => app.stackNames.map((n) => app.stack(n));
const alarms = (app: SynthResult) => allStacks(app).flatMap((s) => s.resourceList('aws_cloudwatch_metric_alarm'));

describe.each([
  ['Lattice, Yelb', lattice],
  ['Lattice, chain', latticeChain],
  ['Lattice, canary', canary],
  ['App Mesh, Yelb', appMesh],
])('%s: what dashboards and alarms read', (_name, app) => {
  const reads = allStacks(app).flatMap(metricsRead);

  test('every metric is a documented name, under a documented set of dimensions', () => {
    expect(reads.length).toBeGreaterThan(0);
    const wrong = reads.filter((r) => {
      const doc = DOCUMENTED[r.namespace];
      const dims = Object.keys(r.dimensions).sort();
      return !doc || !doc.names.includes(r.name) || !doc.dimensionSets.some((set) => JSON.stringify([...set].sort()) === JSON.stringify(dims));
    });
    expect(wrong).toEqual([]);
  });

  test('no alarm counts a metric that does not exist as healthy', () => {
    const lenient = alarms(app).filter((a) => a.treat_missing_data !== 'missing' && a.treat_missing_data !== 'breaching');
    expect(lenient.map((a) => `${a.alarm_name}: ${a.treat_missing_data}`)).toEqual([]);
  });
});

describe('Lattice: per-service panels and alarms from AWS/VpcLattice, in the workloads stack that owns the route', () => {
  const backend = lattice.stack('workloads-backend');
  const byName = (stack: SynthStack, suffix: string) => stack.only('aws_cloudwatch_metric_alarm', (a) => a.alarm_name.endsWith(suffix));
  const serviceId = (route: string) => `\${element(split("/", kubernetes_manifest.httproute-${route}.object.metadata.annotations["${LATTICE_SERVICE_ARN_ANNOTATION}"]), 1)}`;

  test('the Service dimension is the id at the end of the ARN the controller annotates the HTTPRoute with', () => {
    const ratio = byName(backend, 'yelb-appserver-lattice-5xx-ratio');
    const inputs = Object.fromEntries(ratio.metric_query.filter((q: any) => q.metric).map((q: any) => [q.id, q.metric]));
    expect(inputs.errors).toMatchObject({ namespace: 'AWS/VpcLattice', metric_name: 'HTTPCode_5XX_Count', stat: 'Sum', dimensions: { Service: serviceId('yelb-appserver') } });
    expect(inputs.requests).toMatchObject({ namespace: 'AWS/VpcLattice', metric_name: 'TotalRequestCount', stat: 'Sum', dimensions: { Service: serviceId('yelb-appserver') } });
    // Errors are filled with 0 where requests exist; without requests there is no value at all.
    expect(ratio.metric_query.find((q: any) => q.return_data).expression).toBe('IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)');
    expect(ratio).toMatchObject({ threshold: 5, comparison_operator: 'GreaterThanThreshold', treat_missing_data: 'missing' });
    expect(byName(backend, 'yelb-appserver-lattice-p99-latency')).toMatchObject({
      namespace: 'AWS/VpcLattice',
      metric_name: 'RequestTime',
      extended_statistic: 'p99',
      threshold: 1000,
      dimensions: { Service: serviceId('yelb-appserver') },
      treat_missing_data: 'missing',
    });
  });

  test('a healthy-targets alarm per target group, found by the tags the controller puts on it, firing on missing data', () => {
    const healthy = byName(backend, 'meshdemo-backend-yelb-appserver-healthy-targets');
    expect(healthy).toMatchObject({ namespace: 'AWS/VpcLattice', metric_name: 'HealthyHostCount', statistic: 'Minimum', comparison_operator: 'LessThanThreshold', threshold: 1, treat_missing_data: 'breaching' });
    const [lookupId, lookup] = Object.entries(backend.data('aws_resourcegroupstaggingapi_resources')).find(([id]) => healthy.dimensions.TargetGroup.includes(id))!;
    expect(healthy.dimensions.TargetGroup).toBe(`\${try(element(split("/", data.aws_resourcegroupstaggingapi_resources.${lookupId}.resource_tag_mapping_list[0].resource_arn), 1), "${TARGET_GROUP_NOT_FOUND}")}`);
    expect(lookup.resource_type_filters).toEqual(['vpc-lattice:targetgroup']);
    expect(Object.fromEntries(lookup.tag_filter.map((f: any) => [f.key.split('/')[1], f.values]))).toEqual({
      ClusterName: ['meshdemo-backend'],
      ServiceName: ['yelb-appserver'],
      ServiceNamespace: ['yelb'],
      RouteName: ['yelb-appserver'],
      RouteNamespace: ['yelb'],
    });
    // Read once the route (and so its target groups) exists.
    expect(lookup.depends_on).toEqual(['kubernetes_manifest.httproute-yelb-appserver']);
  });

  test('one target group alarm per version of a canary; none for services Lattice does not carry', () => {
    const names = canary.stack('workloads-backend').resourceList('aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort();
    expect(names).toEqual(['meshdemo-backend-api-lattice-5xx-ratio', 'meshdemo-backend-api-lattice-p99-latency', 'meshdemo-backend-api-v1-healthy-targets', 'meshdemo-backend-api-v2-healthy-targets']);
    // yelb-ui is reached through its ALB, redis and postgres over plain Services: no Lattice service.
    expect(lattice.stack('workloads-frontend').resourceList('aws_cloudwatch_metric_alarm')).toEqual([]);
    expect(backend.resourceList('aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).filter((n) => /yelb-db|redis/.test(n))).toEqual([]);
  });

  test('the dashboard has a row per Lattice service: requests, 4xx/5xx, request time, healthy targets', () => {
    const body = parseTemplateJson(latticeChain.stack('workloads-backend').only('aws_cloudwatch_dashboard').dashboard_body);
    expect(body.widgets.map((w: any) => w.properties.title)).toEqual(
      ['service-b', 'service-c'].flatMap((s) => [`${s} (Lattice): requests/min`, `${s} (Lattice): 4xx and 5xx`, `${s} (Lattice): request time p50 / p99 (ms)`, `${s} (Lattice): healthy targets`]),
    );
    expect(body.widgets.every((w: any) => w.width === 6 && w.properties.region === 'us-west-2')).toBe(true);
  });

  test('App Mesh workloads stacks have no Lattice dashboard', () => {
    for (const name of ['workloads-frontend', 'workloads-backend']) expect(appMesh.stack(name).resourceList('aws_cloudwatch_dashboard')).toEqual([]);
  });
});

describe('Lattice: caller-side series from each caller\'s signing proxy, in the controllers stack', () => {
  test('a row and a 5xx alarm per caller and Lattice backend, under ClusterName, Namespace, Caller, Backend', () => {
    const frontend = latticeChain.stack('controllers-frontend');
    const backend = latticeChain.stack('controllers-backend');
    expect(frontend.only('aws_cloudwatch_metric_alarm').alarm_name).toBe('meshdemo-frontend-service-a-to-service-b-5xx-ratio');
    const alarm = backend.only('aws_cloudwatch_metric_alarm');
    expect(alarm.alarm_name).toBe('meshdemo-backend-service-b-to-service-c-5xx-ratio');
    const errors = alarm.metric_query.find((q: any) => q.id === 'errors').metric;
    expect(errors).toMatchObject({ namespace: 'ContainerInsights/Prometheus', metric_name: 'envoy_http_downstream_rq_xx', dimensions: { ClusterName: 'meshdemo-backend', Namespace: 'yelb', Caller: 'service-b', Backend: 'service-c', envoy_response_code_class: '5' } });
    expect(alarm.treat_missing_data).toBe('missing');
    const titles = JSON.parse(backend.only('aws_cloudwatch_dashboard').dashboard_body).widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(['service-b → service-c: requests/min', 'service-b → service-c: 4xx and 5xx', 'service-b → service-c: latency p50 / p99 (ms)', 'Node CPU / memory %', 'Pod CPU / memory %', 'Running pods']);
  });
});

describe('App Mesh keeps its Envoy dashboards', () => {
  test('per service, the sidecar\'s series under ClusterName, Namespace, Service', () => {
    const alarm = appMesh.stack('controllers-backend').only('aws_cloudwatch_metric_alarm', (a) => a.alarm_name === 'meshdemo-backend-yelb-appserver-p99-latency');
    // Envoy's own p99 per pod (the agent drops histograms, so Envoy reports summaries); the worst pod alarms.
    expect(alarm).toMatchObject({ namespace: 'ContainerInsights/Prometheus', metric_name: 'envoy_http_downstream_rq_time', statistic: 'Maximum', dimensions: { ClusterName: 'meshdemo-backend', Namespace: 'yelb', Service: 'yelb-appserver', quantile: '0.99' }, treat_missing_data: 'missing' });
    expect(alarm.extended_statistic).toBeUndefined();
  });
});
