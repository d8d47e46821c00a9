import { synthConfig, demoWith, SynthStack, type SynthResult } from './support/synth';
import { stackWaves } from '../app/order';
import { ROUTE_ANNOTATIONS } from '../engines/lattice/api';

// How a called service is put on VPC Lattice: its HTTPRoute with a custom domain known at synth,
// the health checks of its target groups, its association with the shared service network by
// ARN, its DNS record in its account's zone, and an auth policy that needs no caller to exist yet.

const objectsOf = (stack: SynthStack) => stack.resourceList('kubernetes_manifest').map((r) => r.manifest).filter((m) => m.kind);
const find = (stack: SynthStack, kind: string, name: string) => objectsOf(stack).find((o) => o.kind === kind && o.metadata.name === name);
const manifestResource = (stack: SynthStack, id: string) => stack.resources('kubernetes_manifest')[id];

describe('a called service on VPC Lattice (Yelb demo)', () => {
  const app = synthConfig(demoWith());
  const backend = app.stack('workloads-backend');
  const frontend = app.stack('workloads-frontend');
  const domain = 'yelb-appserver.backend.meshdemo.lattice.internal';

  test('its HTTPRoute carries the custom domain and is standalone, so the controller does not associate it by id', () => {
    const route = find(backend, 'HTTPRoute', 'yelb-appserver');
    expect(route.metadata.annotations).toEqual({ [ROUTE_ANNOTATIONS.standalone]: 'true' });
    expect(route.spec).toEqual({ hostnames: [domain], parentRefs: [{ name: 'yelb', sectionName: 'http-4567' }], rules: [{ backendRefs: [{ name: 'yelb-appserver', kind: 'Service', port: 4567 }] }] });
    // Terraform waits for both annotations the controller writes, then reads them.
    expect(Object.keys(manifestResource(backend, 'httproute-yelb-appserver').wait.fields).sort()).toEqual([
      `metadata.annotations["${ROUTE_ANNOTATIONS.assignedDomain}"]`,
      `metadata.annotations["${ROUTE_ANNOTATIONS.serviceArn}"]`,
    ]);
  });

  test("its target group is health-checked on the path the catalog names, which the app serves", () => {
    const policy = find(backend, 'TargetGroupPolicy', 'yelb-appserver');
    expect(policy.spec.targetRef).toEqual({ group: '', kind: 'Service', name: 'yelb-appserver' });
    const service = app.config.services.find((s) => s.name === 'yelb-appserver')!;
    expect(service.healthCheck).toMatchObject({ type: 'http', path: '/api/hostname' });
    expect(policy.spec.healthCheck).toEqual({
      enabled: true,
      path: '/api/hostname',
      port: 4567,
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      statusMatch: '200-299',
      intervalSeconds: service.healthCheck.intervalSeconds,
      timeoutSeconds: service.healthCheck.timeoutSeconds,
      healthyThresholdCount: service.healthCheck.healthyThreshold,
      unhealthyThresholdCount: service.healthCheck.unhealthyThreshold,
    });
    // The policy exists before the route, so its target group is created with these checks.
    expect(manifestResource(backend, 'httproute-yelb-appserver').depends_on).toContain('kubernetes_manifest.targetgrouppolicy-yelb-appserver');
  });

  test('Terraform associates the service with the shared network by the network ARN', () => {
    const association = backend.only('aws_vpclattice_service_network_service_association');
    expect(association.service_network_identifier).toBe('${data.terraform_remote_state.upstream-mesh.outputs.mesh_arn}');
    expect(association.service_identifier).toBe(`\${kubernetes_manifest.httproute-yelb-appserver.object.metadata.annotations["${ROUTE_ANNOTATIONS.serviceArn}"]}`);
  });

  test("the custom domain is a CNAME to the domain Lattice assigned, in the backend account's zone", () => {
    expect(backend.only('aws_route53_record')).toMatchObject({
      name: domain,
      type: 'CNAME',
      ttl: 300,
      zone_id: '${data.terraform_remote_state.upstream-mesh.outputs.dns_zone_ids.backend}',
      records: [`\${kubernetes_manifest.httproute-yelb-appserver.object.metadata.annotations["${ROUTE_ANNOTATIONS.assignedDomain}"]}`],
    });
    expect(backend.outputs().lattice_service_domains.value).toEqual({ 'yelb-appserver': '${aws_route53_record.dns-yelb-appserver.fqdn}' });
  });

  test('the auth policy names no principal that must exist: one statement per caller, matched on its role and Pod Identity session tags', () => {
    const policy = JSON.parse(find(backend, 'IAMAuthPolicy', 'yelb-appserver').spec.policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'CallerYelbUi',
        Effect: 'Allow',
        Principal: '*',
        Action: 'vpc-lattice-svcs:Invoke',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/meshdemo-frontend-yelb-ui' },
          StringEquals: {
            'aws:PrincipalAccount': '111111111111',
            'aws:PrincipalTag/eks-cluster-arn': 'arn:aws:eks:us-west-2:111111111111:cluster/meshdemo-frontend',
            'aws:PrincipalTag/kubernetes-namespace': 'yelb',
            'aws:PrincipalTag/kubernetes-service-account': 'yelb-ui',
          },
        },
      },
    ]);
  });

  test("the caller may invoke only the backend account's Lattice services in the region", () => {
    const policy = JSON.parse(frontend.only('aws_iam_role_policy', (p) => p.role.includes('yelb-ui')).policy);
    expect(policy.Statement).toEqual([{ Sid: 'InvokeLatticeServices', Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: ['arn:aws:vpc-lattice:us-west-2:222222222222:service/*'] }]);
  });

  test("the caller derives the callee's domain and a Terraform check compares it with the record the callee publishes", () => {
    const check = frontend.json.check['published-workloads-backend'];
    expect(check.assert).toEqual([expect.objectContaining({ condition: expect.stringContaining(`lattice_service_domains["yelb-appserver"], "") == "${domain}"`) })]);
  });

  test('each serving account has a private zone, resolvable from its own VPC and the VPCs of its callers only', () => {
    const mesh = app.stack('mesh');
    expect(mesh.only('aws_route53_zone')).toMatchObject({ provider: 'aws.backend', name: 'backend.meshdemo.lattice.internal', lifecycle: { ignore_changes: ['vpc'] } });
    expect(mesh.only('aws_route53_zone').vpc).toEqual([{ vpc_id: '${data.terraform_remote_state.upstream-network.outputs.vpc_ids.backend}' }]);
    expect(mesh.only('aws_route53_vpc_association_authorization')).toMatchObject({ provider: 'aws.backend', vpc_id: '${data.terraform_remote_state.upstream-network.outputs.vpc_ids.frontend}' });
    const association = mesh.only('aws_route53_zone_association');
    expect(association).toMatchObject({ provider: 'aws.frontend', vpc_id: '${data.terraform_remote_state.upstream-network.outputs.vpc_ids.frontend}' });
    expect(association.zone_id).toMatch(/aws_route53_vpc_association_authorization\..*\.zone_id/);
    expect(Object.keys(mesh.outputs().dns_zone_ids.value)).toEqual(['backend']);
  });

  test('the demo deploys in 4 waves: network, then clusters beside the mesh, then controllers, then every workloads stack at once', () => {
    expect(stackWaves(app.manifest)).toEqual([['network'], ['cluster-backend', 'cluster-frontend', 'mesh'], ['controllers-backend', 'controllers-frontend'], ['workloads-backend', 'workloads-frontend']]);
  });
});

describe('Lattice layouts the old design could not deploy', () => {
  const both = (app: SynthResult) => stackWaves(app.manifest);

  test('calls both ways between two accounts deploy side by side', () => {
    const app = synthConfig(
      demoWith((c) => {
        c.catalog = [
          { name: 'a', account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', backends: ['b'], healthCheck: { type: 'http', path: '/healthz' } },
          { name: 'b', account: 'backend', image: 'app:1.0', port: 8081, protocol: 'http', backends: ['c'], healthCheck: { type: 'http', path: '/healthz' } },
          { name: 'c', account: 'frontend', image: 'app:1.0', port: 8082, protocol: 'http', healthCheck: { type: 'http', path: '/healthz' } },
        ];
      }),
    );
    expect(both(app)).toHaveLength(4);
    expect(app.manifest.stacks['workloads-frontend'].dependencies).not.toContain('workloads-backend');
    expect(app.manifest.stacks['workloads-backend'].dependencies).not.toContain('workloads-frontend');
    // Each account's zone is resolvable from the other, since each calls the other.
    const zones = app.stack('mesh').resourceList('aws_route53_zone').map((z) => z.name).sort();
    expect(zones).toEqual(['backend.meshdemo.lattice.internal', 'frontend.meshdemo.lattice.internal']);
  });

  test('a canary: one target group policy per version, and the weights on the route', () => {
    const app = synthConfig(
      demoWith((c) => {
        c.catalog = [
          { name: 'web', account: 'frontend', image: 'app:1.0', port: 8080, protocol: 'http', backends: ['api'], exposure: 'public', healthCheck: { type: 'http', path: '/healthz' } },
          { name: 'api', account: 'backend', image: 'api:1.0', port: 9000, protocol: 'http', healthCheck: { type: 'http', path: '/ready', intervalSeconds: 10, timeoutSeconds: 3, unhealthyThreshold: 3 }, versions: [{ name: 'v1', weight: 90 }, { name: 'v2', weight: 10, image: 'api:2.0' }] },
        ];
      }),
    );
    const backend = app.stack('workloads-backend');
    expect(objectsOf(backend).filter((o) => o.kind === 'TargetGroupPolicy').map((o) => [o.spec.targetRef.name, o.spec.healthCheck.path, o.spec.healthCheck.intervalSeconds, o.spec.healthCheck.timeoutSeconds, o.spec.healthCheck.unhealthyThresholdCount])).toEqual([
      ['api-v1', '/ready', 10, 3, 3],
      ['api-v2', '/ready', 10, 3, 3],
    ]);
    expect(find(backend, 'HTTPRoute', 'api').spec.rules[0].backendRefs).toEqual([
      { name: 'api-v1', kind: 'Service', port: 9000, weight: 90 },
      { name: 'api-v2', kind: 'Service', port: 9000, weight: 10 },
    ]);
  });
});
