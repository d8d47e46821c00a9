import * as YAML from 'yaml';
import { synthConfig, demoWith, SynthStack } from './support/synth';
import { kubeObjects, modelFor } from './support/kube';
import { validateConfig } from '../app/config';
import { ConfigError } from '../config/errors';
import { CHARTS, valuePaths } from '../modules/addons/charts';
import { LATTICE_CONTROLLER_POLICY } from '../engines/lattice/controller-policy';
import { GATEWAY_API_CRDS_URL } from '../config/versions';
import { LATTICE_API } from '../engines/lattice/routing';

const lattice = (change: (c: any) => void = () => {}) => demoWith((c) => {
  c.mesh.engine = 'lattice';
  change(c);
});
const app = synthConfig(lattice());
const objectsOf = (stack: SynthStack) => stack.resourceList('kubernetes_manifest').map((r) => r.manifest).filter((m) => m.kind);
const find = (stack: SynthStack, kind: string, name: string) => objectsOf(stack).find((o) => o.kind === kind && o.metadata.name === name);

describe('Lattice mesh stack', () => {
  const mesh = app.stack('mesh');

  test('a service network with IAM auth in the owner account, and no App Mesh', () => {
    expect(mesh.only('aws_vpclattice_service_network')).toMatchObject({ provider: 'aws.frontend', name: 'yelb', auth_type: 'AWS_IAM' });
    expect(mesh.resourceList('aws_appmesh_mesh')).toHaveLength(0);
  });

  test('its auth policy admits principals of the member accounts only', () => {
    const policy = JSON.parse(mesh.only('aws_vpclattice_auth_policy').policy);
    expect(policy.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }]);
  });

  test('shared through RAM with a principal and an accepter per member', () => {
    expect(mesh.only('aws_ram_resource_association').resource_arn).toMatch(/aws_vpclattice_service_network\..*\.arn/);
    expect(mesh.only('aws_ram_principal_association').principal).toBe('222222222222');
    expect(mesh.only('aws_ram_resource_share_accepter').provider).toBe('aws.backend');
  });

  test('every VPC is associated in its own account, behind a group that admits only its nodes on the ports it calls, without waiting for the clusters', () => {
    const associations = mesh.resourceList('aws_vpclattice_service_network_vpc_association');
    expect(associations.map((a) => SynthStack.alias(a.provider)).sort()).toEqual(['backend', 'frontend']);
    associations.forEach((a) => expect(a.service_network_identifier).toMatch(/aws_vpclattice_service_network\..*\.arn/));
    expect(associations.find((a) => a.provider === 'aws.backend').depends_on).toEqual([expect.stringMatching(/^aws_ram_resource_share_accepter\./)]);
    const rules = mesh.resourceList('aws_vpc_security_group_ingress_rule');
    // The network stack's mesh group, which every node of the account carries (cluster stack's launch template).
    expect(rules).toEqual([expect.objectContaining({ provider: 'aws.frontend', from_port: 4567, referenced_security_group_id: '${data.terraform_remote_state.upstream-network.outputs.mesh_peer_security_group_ids.frontend}' })]);
    expect(app.manifest.stacks.mesh.dependencies).toEqual(['network']);
  });

  test('access logs go to an encrypted, retained log group', () => {
    expect(mesh.only('aws_vpclattice_access_log_subscription').destination_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(mesh.only('aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/vpclattice/yelb', retention_in_days: 30 });
  });

  test('no VPC peering unless asked for', () => {
    expect(app.stack('network').resourceList('aws_vpc_peering_connection')).toHaveLength(0);
    const peered = synthConfig(lattice((c) => (c.network = { peering: 'auto' }))).stack('network');
    expect(peered.resourceList('aws_vpc_peering_connection')).toHaveLength(1);
  });
});

describe('Lattice controllers', () => {
  const controllers = app.stack('controllers-backend');

  test('the controller chart is pinned, from its OCI registry, with region, account, VPC and cluster', () => {
    const release = controllers.only('helm_release', (r) => r.chart === 'aws-gateway-controller-chart');
    expect(release).toMatchObject({ repository: 'oci://public.ecr.aws/aws-application-networking-k8s', version: 'v2.1.3', namespace: 'aws-application-networking-system' });
    const values = YAML.parse(release.values[0]);
    expect(values).toMatchObject({ awsRegion: 'us-west-2', awsAccountId: '222222222222', clusterName: 'meshdemo-backend', clusterVpcId: '${data.terraform_remote_state.upstream-network.outputs.vpc_ids.backend}' });
    expect(valuePaths(values).filter((k) => !(CHARTS.latticeController.valueKeys as readonly string[]).includes(k))).toEqual([]);
    expect(controllers.resourceList('helm_release').map((r) => r.chart)).not.toContain('appmesh-controller');
  });

  test('its IAM is the recommended policy, bound to its service account through Pod Identity', () => {
    const association = controllers.only('aws_eks_pod_identity_association', (a) => a.service_account === 'gateway-api-controller');
    expect(association.namespace).toBe('aws-application-networking-system');
    expect(controllers.resourceList('aws_iam_role_policy').map((p) => JSON.parse(p.policy))).toContainEqual(LATTICE_CONTROLLER_POLICY);
  });

  test('the standard-channel Gateway API CRDs of the pinned release come first', () => {
    expect(controllers.data('http')['gateway-api-crds'].url).toBe(GATEWAY_API_CRDS_URL);
    expect(GATEWAY_API_CRDS_URL).toContain('/v1.5.0/standard-install.yaml');
    const crds = controllers.resources('kubernetes_manifest')['gateway-api-crd'];
    expect(crds.for_each).toContain('manifest_decode_multi(data.http.gateway-api-crds.response_body)');
    expect(controllers.only('helm_release', (r) => r.chart === 'aws-gateway-controller-chart').depends_on).toContain('kubernetes_manifest.gateway-api-crd');
  });

  test('nodes admit the VPC Lattice prefix list on the served ports only', () => {
    expect(controllers.data('aws_ec2_managed_prefix_list')['lattice-prefix-list'].name).toBe('com.amazonaws.us-west-2.vpc-lattice');
    expect(controllers.resourceList('aws_vpc_security_group_ingress_rule')).toEqual([expect.objectContaining({ from_port: 4567, to_port: 4567, prefix_list_id: '${data.aws_ec2_managed_prefix_list.lattice-prefix-list.id}' })]);
    expect(app.stack('controllers-frontend').resourceList('aws_vpc_security_group_ingress_rule')).toEqual([]);
  });

  test('the workload namespace has no sidecar injection and enforces baseline', () => {
    const ns = app.stack('controllers-frontend').only('kubernetes_manifest', (m) => m.manifest?.kind === 'Namespace' && m.manifest.metadata.name === 'yelb');
    expect(ns.manifest.metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
  });
});

describe('Lattice workloads', () => {
  const frontend = app.stack('workloads-frontend');
  const backend = app.stack('workloads-backend');

  test('each cluster has a Gateway bound to the service network by name, with a listener per served port', () => {
    expect(find(backend, 'Gateway', 'yelb').spec).toEqual({ gatewayClassName: 'amazon-vpc-lattice', listeners: [{ name: 'http-4567', protocol: 'HTTP', port: 4567, allowedRoutes: { namespaces: { from: 'Same' } } }] });
    expect(find(frontend, 'Gateway', 'yelb').spec.listeners.map((l: any) => l.port)).toEqual([80]);
  });

  test('tcp stores stay plain Services behind NetworkPolicies that admit only their callers', () => {
    expect(find(backend, 'HTTPRoute', 'yelb-db')).toBeUndefined();
    expect(find(backend, 'NetworkPolicy', 'yelb-db').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'yelb-appserver' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  test("yelb-ui reaches yelb-appserver by name through a signing Envoy aimed at the backend's custom domain", () => {
    const pod = find(frontend, 'Deployment', 'yelb-ui').spec.template.spec;
    expect(pod.hostAliases).toEqual([{ ip: '127.0.0.2', hostnames: ['yelb-appserver', 'yelb-appserver.yelb', 'yelb-appserver.yelb.svc', 'yelb-appserver.yelb.svc.cluster.local'] }]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['yelb-ui']);
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['lattice-signer', 'Always']]);
    const envoy = YAML.parse(find(frontend, 'ConfigMap', 'yelb-ui-lattice-signer').data['envoy.yaml']);
    const listener = envoy.static_resources.listeners[0];
    expect(listener.address.socket_address).toEqual({ address: '127.0.0.2', port_value: 4567 });
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    expect(hcm.http_filters[0].typed_config).toMatchObject({ service_name: 'vpc-lattice-svcs', region: 'us-west-2', use_unsigned_payload: true });
    expect(hcm.http_filters[0].typed_config.host_rewrite).toBe('yelb-appserver.backend.meshdemo.lattice.internal');
    const route = hcm.route_config.virtual_hosts[0].routes[0].route;
    // The catalog's traffic policy, which Lattice itself has no place for, lives in the caller's Envoy.
    expect(route).toMatchObject({ timeout: '15s', retry_policy: { retry_on: '5xx,gateway-error', num_retries: 3, per_try_timeout: '2s' } });
    expect(envoy.static_resources.clusters[0].outlier_detection).toMatchObject({ consecutive_5xx: 5, max_ejection_percent: 50 });
  });

  test('no App Mesh objects exist', () => {
    expect([...objectsOf(frontend), ...objectsOf(backend)].filter((o) => o.apiVersion.startsWith('appmesh.k8s.aws'))).toEqual([]);
  });

  test('every Kubernetes and Gateway API object is valid against its schema', () => {
    const failures: string[] = [];
    for (const { stack, id, object } of kubeObjects(app)) {
      if (!object.kind) continue; // the for_each CRD manifest, filled from the release bundle
      const Model = modelFor(object.apiVersion, object.kind);
      if (!Model) {
        if (object.apiVersion !== LATTICE_API) failures.push(`${stack}/${id}: no schema for ${object.apiVersion} ${object.kind}`);
        continue;
      }
      try {
        new Model(object).validate();
      } catch (e) {
        failures.push(`${stack}/${id}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('catalog features Lattice cannot express stop synthesis', () => {
  const error = (change: (c: any) => void) => {
    try {
      validateConfig(lattice(change));
    } catch (e) {
      return e as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  test('Cloud Map discovery', () => {
    expect(error((c) => (c.catalog = [{ name: 'api', account: 'backend', image: 'api:1', port: 8080, protocol: 'http', discovery: 'cloudmap' }])).message).toMatch(/catalog\[0\]\.discovery: "cloudmap" has no meaning with VPC Lattice.*Fix:/);
  });

  test('a tcp service called from another account', () => {
    const e = error((c) => (c.catalog = [
      { name: 'app', account: 'frontend', image: 'app:1', port: 8080, protocol: 'http', backends: ['db'] },
      { name: 'db', account: 'backend', image: 'db:1', port: 5432, protocol: 'tcp' },
    ]));
    expect(e.message).toMatch(/catalog\[1\]\.protocol: tcp service db is called from another account \(app\).*Fix:/);
  });

  test('the Yelb and chain catalogs are fully expressible', () => {
    expect(() => validateConfig(lattice())).not.toThrow();
    expect(() => validateConfig(lattice((c) => (c.catalog = 'chain')))).not.toThrow();
  });
});
