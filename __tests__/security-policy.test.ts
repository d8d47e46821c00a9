import { CONTROLS } from '../app/policy/controls';
import { CONTROL_IDS, type ControlId } from '../config/policy-ids';
import { evaluatePolicy } from '../app/policy/check';
import { readSynthesizedStacks, type SynthesizedStack } from '../app/policy/model';
import { parsePolicy } from '../app/policy/controls/iam';
import * as fs from 'fs';
import * as path from 'path';
import { validateConfig } from '../app/config';
import { synthesize } from '../app/synth';
import { PolicyError } from '../app/policy/check';
import { synthConfig, demoWith, appMeshDemoWith, threeAccountConfig, scratchDir } from './support/synth';

// Each control gets a compliant case (what this project synthesizes passes it) and a violating
// one (the same output with the one property the control guards broken), and the violation
// must name the control and the resource's construct path.

const synthesized = (input: Parameters<typeof synthConfig>[0]) => readSynthesizedStacks(synthConfig(input).outdir);
/** Three accounts on the S3 backend; web runs a project image, so cluster-frontend has an ECR repository. */
function threeAccountsOnS3() {
  const config: any = threeAccountConfig();
  config.backend = { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend' };
  config.catalog[0].image = 'project/web:1.0';
  return config;
}
const VARIANTS = {
  appmesh: synthesized(appMeshDemoWith()),
  lattice: synthesized(demoWith()),
  // Three accounts and the S3 backend, so a bootstrap stack with the state bucket.
  s3: synthesized(threeAccountsOnS3()),
  istio: synthesized(demoWith((c) => (c.mesh.engine = 'istio'))),
};
type Variant = keyof typeof VARIANTS;

/** A deep copy of a variant's stacks with `change` applied to one stack's JSON. */
function mutated(variant: Variant, stack: string, change: (json: any) => void): SynthesizedStack[] {
  const copy = structuredClone(VARIANTS[variant]);
  const target = copy.find((s) => s.name === stack);
  if (!target) throw new Error(`no stack ${stack} in ${variant}`);
  change(target.json);
  return copy;
}

/** The one resource of `type` in a stack's JSON (the test fails loudly if there is not exactly one). */
function only(json: any, type: string, match: (body: any) => boolean = () => true): any {
  const found = Object.values<any>(json.resource?.[type] ?? {}).filter(match);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}
const manifest = (json: any, kind: string, name: string) => only(json, 'kubernetes_manifest', (r) => r.manifest.kind === kind && r.manifest.metadata.name === name).manifest;

const findingsOf = (stacks: SynthesizedStack[], id: ControlId) => evaluatePolicy(stacks).violations.filter((v) => v.control.id === id).map((v) => ({ resource: v.resource, problem: v.problem }));

interface Case {
  control: ControlId;
  variant: Variant;
  stack: string;
  breakIt: (json: any) => void;
  resource: string;
  problem: RegExp;
}

const CASES: Case[] = [
  { control: 'eks-secrets-encryption', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => delete only(j, 'aws_eks_cluster').encryption_config, resource: 'cluster-frontend/control-plane/cluster', problem: /no encryption_config/ },
  { control: 'eks-endpoint-private', variant: 'appmesh', stack: 'cluster-backend', breakIt: (j) => (only(j, 'aws_eks_cluster').vpc_config.public_access_cidrs = ['0.0.0.0/0']), resource: 'cluster-backend/control-plane/cluster', problem: /open to 0\.0\.0\.0\/0/ },
  { control: 'eks-control-plane-logs', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_eks_cluster').enabled_cluster_log_types = ['api']), resource: 'cluster-frontend/control-plane/cluster', problem: /audit, authenticator are not enabled/ },
  { control: 'node-imdsv2', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_launch_template').metadata_options.http_tokens = 'optional'), resource: 'cluster-frontend/nodes/template', problem: /"optional", not "required"/ },
  { control: 'node-volume-encryption', variant: 'appmesh', stack: 'cluster-backend', breakIt: (j) => (only(j, 'aws_launch_template').block_device_mappings[0].ebs.encrypted = false), resource: 'cluster-backend/nodes/template', problem: /\/dev\/xvda is not encrypted/ },
  { control: 'kms-key-rotation', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_kms_key').enable_key_rotation = false), resource: 'cluster-frontend/cluster-key/key', problem: /rotation is off/ },
  { control: 'log-group-retention-encryption', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => delete only(j, 'aws_cloudwatch_log_group').kms_key_id, resource: 'cluster-frontend/control-plane/logs', problem: /no kms_key_id/ },
  { control: 'vpc-flow-logs', variant: 'appmesh', stack: 'network', breakIt: (j) => { for (const [k, v] of Object.entries<any>(j.resource.aws_flow_log)) if (v['//'].metadata.path.includes('backend')) delete j.resource.aws_flow_log[k]; }, resource: 'network/backend-vpc/vpc', problem: /has no flow log/ },
  { control: 'default-security-group-closed', variant: 'appmesh', stack: 'network', breakIt: (j) => (Object.values<any>(j.resource.aws_default_security_group)[0].ingress = [{ from_port: 0, to_port: 0, protocol: '-1', self: true }]), resource: 'network/backend-vpc/vpc', problem: /default security group has rules/ },
  { control: 'no-public-ingress', variant: 'appmesh', stack: 'network', breakIt: (j) => (Object.values<any>(j.resource.aws_vpc_security_group_ingress_rule)[0].cidr_ipv4 = '0.0.0.0/0'), resource: 'network/peering-frontend--backend/backend-from-frontend-4567', problem: /open to the internet/ },
  { control: 'no-public-ingress', variant: 'appmesh', stack: 'workloads-frontend', breakIt: (j) => (manifest(j, 'Ingress', 'yelb-ui').metadata.annotations['alb.ingress.kubernetes.io/listen-ports'] = '[{"HTTP":80},{"HTTP":8080}]'), resource: 'workloads-frontend/ingress-yelb-ui', problem: /listens on 8080 besides 80\/443/ },
  { control: 'iam-no-full-admin', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_iam_role_policy').policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })), resource: 'cluster-frontend/control-plane/secrets-key', problem: /Action "\*" on Resource "\*"/ },
  { control: 'workload-role-bound', variant: 'appmesh', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_eks_pod_identity_association').service_account = 'default'), resource: 'cluster-frontend/addons/ebs-csi-identity/role', problem: /associated with kube-system\/default but its trust names kube-system\/ebs-csi-controller-sa/ },
  { control: 'workload-role-bound', variant: 'appmesh', stack: 'cluster-backend', breakIt: (j) => { const role = only(j, 'aws_iam_role', (r) => r.assume_role_policy.includes('aws-node')); role.assume_role_policy = role.assume_role_policy.replace('"StringEquals"', '"StringLike"').replace('kube-system:aws-node', 'kube-system:*'); }, resource: 'cluster-backend/addons/vpc-cni-irsa/role', problem: /not bound by StringEquals/ },
  { control: 'ecr-hardened', variant: 's3', stack: 'cluster-frontend', breakIt: (j) => (only(j, 'aws_ecr_repository').image_tag_mutability = 'MUTABLE'), resource: 'cluster-frontend/images/web', problem: /tags are mutable/ },
  { control: 'state-bucket-hardened', variant: 's3', stack: 'bootstrap', breakIt: (j) => delete j.resource.aws_s3_bucket_versioning, resource: 'bootstrap/state', problem: /not versioned/ },
  { control: 'state-bucket-hardened', variant: 's3', stack: 'network', breakIt: (j) => (j.terraform.backend.s3.encrypt = false), resource: 'network/backend', problem: /S3 backend does not set encrypt/ },
  { control: 'output-no-secrets', variant: 'appmesh', stack: 'mesh', breakIt: (j) => (j.output.ci_key = { value: '${aws_iam_access_key.ci.secret}' }), resource: 'mesh/ci_key', problem: /carries aws_iam_access_key/ },
  { control: 'mesh-deny-by-default', variant: 'appmesh', stack: 'mesh', breakIt: (j) => (only(j, 'aws_appmesh_mesh').spec.egress_filter.type = 'ALLOW_ALL'), resource: 'mesh/appmesh/mesh', problem: /"ALLOW_ALL", not "DROP_ALL"/ },
  { control: 'mesh-deny-by-default', variant: 'lattice', stack: 'workloads-backend', breakIt: (j) => { for (const [k, v] of Object.entries<any>(j.resource.kubernetes_manifest)) if (v.manifest.kind === 'IAMAuthPolicy') delete j.resource.kubernetes_manifest[k]; }, resource: 'workloads-backend/httproute-yelb-appserver', problem: /HTTPRoute has no IAMAuthPolicy/ },
  { control: 'container-non-root-limits', variant: 'appmesh', stack: 'workloads-backend', breakIt: (j) => delete manifest(j, 'Deployment', 'redis-server').spec.template.spec.securityContext.runAsNonRoot, resource: 'workloads-backend/deployment-redis-server', problem: /container "redis-server" runAsNonRoot is not true/ },
  { control: 'container-non-root-limits', variant: 'lattice', stack: 'workloads-frontend', breakIt: (j) => delete manifest(j, 'Deployment', 'yelb-ui').spec.template.spec.initContainers.find((c: any) => c.name === 'lattice-signer').resources, resource: 'workloads-frontend/deployment-yelb-ui', problem: /container "lattice-signer" has no cpu or memory limit/ },
  { control: 'container-non-root-limits', variant: 'lattice', stack: 'workloads-frontend', breakIt: (j) => (manifest(j, 'Deployment', 'yelb-ui').spec.template.spec.initContainers.find((c: any) => c.name === 'lattice-signer').securityContext.runAsUser = 0), resource: 'workloads-frontend/deployment-yelb-ui', problem: /container "lattice-signer" runAsUser is 0/ },
  { control: 'namespace-pod-security', variant: 'lattice', stack: 'controllers-backend', breakIt: (j) => delete manifest(j, 'Namespace', 'yelb').metadata.labels['pod-security.kubernetes.io/enforce'], resource: 'controllers-backend/workload-namespace', problem: /has no enforce level/ },
  { control: 'namespace-pod-security', variant: 'lattice', stack: 'controllers-frontend', breakIt: (j) => (manifest(j, 'Namespace', 'yelb').metadata.labels['pod-security.kubernetes.io/enforce'] = 'privileged'), resource: 'controllers-frontend/workload-namespace', problem: /"privileged" without App Mesh sidecar injection/ },
  // Istio: STRICT mutual TLS in every cluster that runs istiod, and nothing weaker anywhere.
  { control: 'istio-strict-mtls', variant: 'istio', stack: 'control-plane-backend', breakIt: (j) => delete j.resource.kubernetes_manifest['strict-mtls'], resource: 'control-plane-backend/istiod', problem: /cluster of backend runs istiod but has no mesh-wide PeerAuthentication with mtls\.mode STRICT/ },
  { control: 'istio-strict-mtls', variant: 'istio', stack: 'workloads-frontend', breakIt: (j) => (j.resource.kubernetes_manifest['legacy-permissive'] = { '//': { metadata: { path: 'workloads-frontend/legacy-permissive' } }, manifest: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'legacy', namespace: 'yelb' }, spec: { selector: { matchLabels: { app: 'yelb-ui' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '80': { mode: 'PERMISSIVE' } } } } }), resource: 'workloads-frontend/legacy-permissive', problem: /allows PERMISSIVE, which overrides STRICT/ },
  // Istio: deny by default per namespace, and a policy of its own for every service.
  { control: 'istio-authorization-per-service', variant: 'istio', stack: 'workloads-backend', breakIt: (j) => delete j.resource.kubernetes_manifest['istio-authorizationpolicy-yelb-allow-nothing'], resource: 'controllers-backend/workload-namespace', problem: /namespace yelb has no allow-nothing AuthorizationPolicy/ },
  { control: 'istio-authorization-per-service', variant: 'istio', stack: 'workloads-backend', breakIt: (j) => delete j.resource.kubernetes_manifest['istio-authorizationpolicy-yelb-yelb-appserver-callers'], resource: 'workloads-backend/service-yelb-appserver', problem: /Service yelb-appserver has no AuthorizationPolicy of its own/ },
  { control: 'istio-authorization-per-service', variant: 'istio', stack: 'workloads-backend', breakIt: (j) => (manifest(j, 'AuthorizationPolicy', 'yelb-db-callers').spec.rules[0].from[0].source.principals = ['*']), resource: 'workloads-backend/istio-authorizationpolicy-yelb-yelb-db-callers', problem: /has a rule any caller matches/ },
  { control: 'istio-authorization-per-service', variant: 'istio', stack: 'workloads-frontend', breakIt: (j) => delete manifest(j, 'AuthorizationPolicy', 'yelb-ui-callers').spec.rules[0].from, resource: 'workloads-frontend/istio-authorizationpolicy-yelb-yelb-ui-callers', problem: /has a rule any caller matches/ },
  // No CA private key in what Terraform manages, whatever the engine.
  { control: 'no-ca-private-key', variant: 'istio', stack: 'mesh', breakIt: (j) => (j.resource.tls_private_key = { root: { '//': { metadata: { path: 'mesh/root-key' } }, algorithm: 'ECDSA' } }), resource: 'mesh/root-key', problem: /tls_private_key generates a private key into the state/ },
  { control: 'no-ca-private-key', variant: 'istio', stack: 'control-plane-frontend', breakIt: (j) => (j.resource.kubernetes_manifest['cacerts'] = { '//': { metadata: { path: 'control-plane-frontend/cacerts' } }, manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cacerts', namespace: 'istio-system' }, data: { 'ca-cert.pem': 'x', 'ca-key.pem': 'y' } } }), resource: 'control-plane-frontend/cacerts', problem: /Secret cacerts carries ca-key\.pem/ },
  { control: 'no-ca-private-key', variant: 'lattice', stack: 'controllers-frontend', breakIt: (j) => (j.resource.kubernetes_secret_v1 = { tls: { '//': { metadata: { path: 'controllers-frontend/webhook-tls' } }, metadata: { name: 'tls' }, data: { 'tls.crt': 'x', 'tls.key': 'y' } } }), resource: 'controllers-frontend/webhook-tls', problem: /kubernetes_secret_v1 carries tls\.key/ },
  { control: 'no-ca-private-key', variant: 'istio', stack: 'control-plane-backend', breakIt: (j) => (only(j, 'helm_release', (r) => r.chart === 'istiod').values = [...(only(j, 'helm_release', (r) => r.chart === 'istiod').values ?? []), 'pilot:\n  caKey: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcC\n']), resource: 'control-plane-backend/istiod', problem: /holds a PEM private key/ },
];

describe('security controls', () => {
  test('every control listed in config/policy-ids.ts is implemented, with a reason and a fix, and has cases below', () => {
    expect(CONTROLS.map((c) => c.id)).toEqual([...CONTROL_IDS]);
    for (const c of CONTROLS) {
      expect(c.reason.length).toBeGreaterThan(30);
      expect(c.fix.length).toBeGreaterThan(20);
    }
    expect(new Set(CASES.map((c) => c.control))).toEqual(new Set(CONTROL_IDS));
  });

  test.each(Object.keys(VARIANTS) as Variant[])('what the %s config synthesizes passes every control with no waivers', (variant) => {
    expect(evaluatePolicy(VARIANTS[variant]).violations.map((v) => `${v.control.id} ${v.resource}: ${v.problem}`)).toEqual([]);
  });

  test.each(CASES.map((c) => [`${c.control}: ${c.resource}`, c] as const))('compliant, then violating: %s', (_, c) => {
    expect(findingsOf(VARIANTS[c.variant], c.control)).toEqual([]);
    const findings = findingsOf(mutated(c.variant, c.stack, c.breakIt), c.control);
    expect(findings).toEqual([{ resource: c.resource, problem: expect.stringMatching(c.problem) }]);
  });
});

describe('reading the synthesized policies', () => {
  test('a trust policy with a quoted Terraform expression in a key still parses', () => {
    const doc = parsePolicy('{"Statement":[{"Condition":{"StringEquals":{"${replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")}:sub":"system:serviceaccount:kube-system:aws-node"}}}]}');
    expect(Object.entries(doc.Statement[0].Condition.StringEquals)).toEqual([['<ref>:sub', 'system:serviceaccount:kube-system:aws-node']]);
    expect(parsePolicy('${data.aws_iam_policy_document.x.json}')).toBeUndefined();
  });

  test('a policy this check cannot read is a violation, not a pass', () => {
    const stacks = mutated('appmesh', 'cluster-frontend', (j) => (only(j, 'aws_iam_role_policy').policy = '${data.aws_iam_policy_document.x.json}'));
    expect(findingsOf(stacks, 'iam-no-full-admin')).toEqual([{ resource: 'cluster-frontend/control-plane/secrets-key', problem: expect.stringMatching(/not a JSON document this check can read/) }]);
  });

  test('the public EKS endpoint counts as open when no CIDRs are given (the provider default), and as closed when turned off', () => {
    const open = mutated('appmesh', 'cluster-frontend', (j) => delete only(j, 'aws_eks_cluster').vpc_config.public_access_cidrs);
    expect(findingsOf(open, 'eks-endpoint-private')).toEqual([{ resource: 'cluster-frontend/control-plane/cluster', problem: expect.stringMatching(/AWS then allows 0\.0\.0\.0\/0/) }]);
    const off = mutated('appmesh', 'cluster-frontend', (j) => Object.assign(only(j, 'aws_eks_cluster').vpc_config, { endpoint_public_access: false, public_access_cidrs: ['0.0.0.0/0'] }));
    expect(findingsOf(off, 'eks-endpoint-private')).toEqual([]);
  });

  test('a node group without a launch template fails both node controls', () => {
    const stacks = mutated('appmesh', 'cluster-frontend', (j) => delete only(j, 'aws_eks_node_group').launch_template);
    for (const id of ['node-imdsv2', 'node-volume-encryption'] as const) {
      expect(findingsOf(stacks, id)).toEqual([{ resource: 'cluster-frontend/nodes/group', problem: expect.stringMatching(/no launch template/) }]);
    }
  });
});

describe('the Istio and PKI controls take waivers like the others', () => {
  const broken = mutated('istio', 'workloads-backend', (j) => delete j.resource.kubernetes_manifest['istio-authorizationpolicy-yelb-yelb-appserver-callers']);
  const waiver = { control: 'istio-authorization-per-service' as const, resource: 'workloads-backend/service-yelb-appserver', reason: 'callers are being migrated; policy returns with TICKET-31 next sprint' };

  test('a waiver naming the control and the Service lets that one finding through, and only it', () => {
    const report = evaluatePolicy(broken, [waiver]);
    expect(report.violations).toEqual([]);
    expect(report.waived.map((w) => w.violation.resource)).toEqual(['workloads-backend/service-yelb-appserver']);
  });

  test('the same waiver on the clean output matches nothing and is reported as unused', () => {
    expect(evaluatePolicy(VARIANTS.istio, [waiver]).unused).toEqual([waiver]);
  });

  test('the config accepts the new control ids in policy.waivers', () => {
    for (const control of ['istio-strict-mtls', 'istio-authorization-per-service', 'no-ca-private-key']) {
      expect(() => validateConfig(demoWith((c) => (c.policy = { waivers: [{ control, resource: 'x/y', reason: 'a reason that is long enough to pass' }] })))).not.toThrow();
    }
  });

  test('the Istio controls do not apply where no istiod runs: the App Mesh and Lattice outputs have no finding even without any AuthorizationPolicy', () => {
    for (const variant of ['appmesh', 'lattice'] as const) {
      expect(findingsOf(VARIANTS[variant], 'istio-strict-mtls')).toEqual([]);
      expect(findingsOf(VARIANTS[variant], 'istio-authorization-per-service')).toEqual([]);
    }
  });
});

describe('at synth: violations stop it, waivers are written down and printed', () => {
  const dir = scratchDir('mesh-policy-');
  const outdir = path.join(dir, 'cdktf.out');
  const settings = { offlinePlan: false, stateDir: path.join(dir, 'state') };
  synthesize(validateConfig(demoWith()), settings, outdir);
  const before = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
  // A catalog whose database image insists on starting as root.
  const rootDb = (waivers: unknown[] = []) =>
    validateConfig(
      demoWith((c) => {
        c.catalog = [
          { name: 'api', account: 'backend', port: 8080, protocol: 'http', backends: ['db'] },
          { name: 'db', account: 'backend', port: 5432, protocol: 'tcp', image: 'postgres:17.2', runAs: { nonRoot: false, reason: 'the entrypoint chowns the data folder as root' } },
        ];
        c.policy = { waivers };
      }),
    );
  const waiver = { control: 'container-non-root-limits', resource: 'workloads-backend/deployment-db', reason: 'vendor image starts as root; tracked in TICKET-12 until we move to the non-root build' };

  test('a violation fails the synth naming the control, the resource path, why and the fix, and leaves cdktf.out as it was', () => {
    let error: unknown;
    try {
      synthesize(rootDb(), settings, outdir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const message = (error as Error).message;
    expect(message).toMatch(/\[container-non-root-limits\] workloads-backend\/deployment-db: container "db" runAsNonRoot is not true/);
    expect(message).toMatch(/Why: A root container/);
    expect(message).toMatch(/Fix: run the container as a non-root user/);
    expect(message).toMatch(/policy\.waivers/);
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  test('a waiver naming the control and the resource lets it through, and every synth prints it with its reason', () => {
    const printed = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      synthesize(rootDb([waiver]), settings, outdir);
      expect(printed.mock.calls.map((c) => c[0])).toEqual([`policy waiver: [container-non-root-limits] workloads-backend/deployment-db: ${waiver.reason}`]);
      const written = readSynthesizedStacks(outdir).find((st) => st.name === 'workloads-backend')!;
      expect(Object.keys(written.json.resource.kubernetes_manifest)).toContain('deployment-db');
    } finally {
      printed.mockRestore();
    }
  });

  test('a waiver for a resource that does not violate the control fails the synth, so stale exceptions do not pile up', () => {
    expect(() => synthesize(validateConfig(demoWith((c) => (c.policy = { waivers: [waiver] }))), settings, outdir)).toThrow(
      /1 waiver matches nothing; remove it from policy\.waivers:\n  - \[container-non-root-limits\] workloads-backend\/deployment-db/,
    );
  });
});
