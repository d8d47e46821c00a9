import * as fs from 'fs';
import * as path from 'path';
import { loadConfig, validateConfig } from '../app/config';
import { demoConfig } from '../config/demo';
import { synthesize } from '../app/synth';
import { readSynthesizedStacks } from '../app/policy/model';
import { runCombinedOfflinePlan } from '../scripts/plan/combined-plan';
import { scratchDir } from './support/synth';

// Every ready config in examples/ synthesizes (security controls included) and its AWS-only
// stacks plan offline, all in one Terraform run (scripts/plan/combined-plan.ts).

const DIR = path.resolve('examples');
const EXAMPLES = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const label = (file: string) => file.replace(/\.yaml$/, '');

function synthesized(config: ReturnType<typeof validateConfig>) {
  const dir = scratchDir('mesh-example-');
  const outdir = path.join(dir, 'cdktf.out');
  const notices: string[] = [];
  synthesize(config, { offlinePlan: false, stateDir: path.join(dir, 'state') }, outdir, (l) => notices.push(l));
  return { stacks: readSynthesizedStacks(outdir), notices };
}

describe('examples/', () => {
  const loaded = EXAMPLES.map((file) => ({ file, config: loadConfig({ MESH_CONFIG: path.join(DIR, file) }) }));

  test('every example has a header saying what it shows', () => {
    expect(EXAMPLES).toEqual(expect.arrayContaining(['lattice-demo.yaml', 'appmesh-walkthrough.yaml', 'canary-traffic-policy.yaml', 'three-accounts-s3-chain.yaml', 'istio-two-accounts-yelb.yaml']));
    for (const file of EXAMPLES) {
      const header = fs.readFileSync(path.join(DIR, file), 'utf8').split('\n').filter((l) => l.startsWith('#'));
      expect(header.length).toBeGreaterThanOrEqual(3);
    }
  });

  test('the Lattice demo example is the built-in demo, to the byte', () => {
    const fromFile = synthesized(loaded.find((l) => l.file === 'lattice-demo.yaml')!.config);
    const builtIn = synthesized(validateConfig(demoConfig));
    expect(fromFile.stacks.map((s) => s.name)).toEqual(builtIn.stacks.map((s) => s.name));
    for (const [i, stack] of fromFile.stacks.entries()) expect(JSON.stringify(stack.json)).toBe(JSON.stringify(builtIn.stacks[i].json));
  });

  test('the App Mesh walkthrough synthesizes with its discontinuation warning', () => {
    const { stacks, notices } = synthesized(loaded.find((l) => l.file === 'appmesh-walkthrough.yaml')!.config);
    expect(notices).toEqual([expect.stringMatching(/discontinued App Mesh on 2026-09-30.*cannot be deployed/)]);
    expect(Object.keys(stacks.find((s) => s.name === 'mesh')!.json.resource)).toContain('aws_appmesh_mesh');
  });

  test('the canary example runs two versions at 90/10 with the traffic policy in the caller\'s proxy', () => {
    const { stacks } = synthesized(loaded.find((l) => l.file === 'canary-traffic-policy.yaml')!.config);
    const objects = (stack: string) => Object.values<any>(stacks.find((s) => s.name === stack)!.json.resource.kubernetes_manifest).map((r) => r.manifest);
    const route = objects('workloads-api').find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'orders');
    expect(route.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['orders-v1', 90], ['orders-v2', 10]]);
    const signer = objects('workloads-web').find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'storefront-lattice-signer');
    expect(signer.data['envoy.yaml']).toMatch(/per_try_timeout: 1s/);
    expect(signer.data['envoy.yaml']).toMatch(/consecutive_5xx: 5/);
  });

  test('the three-account example places the chain on its own account names, with the S3 backend', () => {
    const { stacks } = synthesized(loaded.find((l) => l.file === 'three-accounts-s3-chain.yaml')!.config);
    expect(stacks.map((s) => s.name)).toEqual(expect.arrayContaining(['bootstrap', 'workloads-edge', 'workloads-middle', 'workloads-data']));
    const deployments = (stack: string) => Object.values<any>(stacks.find((s) => s.name === stack)!.json.resource.kubernetes_manifest).filter((r) => r.manifest.kind === 'Deployment').map((r) => r.manifest.metadata.name);
    expect([deployments('workloads-edge'), deployments('workloads-middle'), deployments('workloads-data')]).toEqual([['service-a'], ['service-b'], ['service-c']]);
    for (const s of stacks.filter((x) => x.name !== 'bootstrap')) expect(s.json.terraform.backend.s3).toMatchObject({ bucket: 'chaindemo-tfstate-111111111111', encrypt: true });
  });

  test('the Istio example is the demo on Istio: a control plane per cluster, the Private CA root shared through RAM, Yelb by plain names', () => {
    const { stacks, notices } = synthesized(loaded.find((l) => l.file === 'istio-two-accounts-yelb.yaml')!.config);
    expect(notices).toEqual([]);
    expect(stacks.map((s) => s.name)).toEqual(expect.arrayContaining(['control-plane-frontend', 'control-plane-backend']));
    const mesh = stacks.find((s) => s.name === 'mesh')!.json.resource;
    expect(Object.values<any>(mesh.aws_acmpca_certificate_authority).map((ca) => [ca.type, ca.usage_mode])).toEqual([['ROOT', 'GENERAL_PURPOSE']]);
    expect(Object.values<any>(mesh.aws_ram_resource_association)[0].resource_arn).toMatch(/aws_acmpca_certificate_authority_certificate/);
    const entry = Object.values<any>(stacks.find((s) => s.name === 'workloads-frontend')!.json.resource.kubernetes_manifest).find((r) => r.manifest.kind === 'ServiceEntry').manifest;
    expect(entry.spec.hosts).toEqual(['yelb-appserver.yelb.svc.cluster.local']);
  });

  test('every AWS-only stack of every example plans offline', async () => {
    const report = await runCombinedOfflinePlan({ inputs: loaded.map(({ file, config }) => ({ label: label(file), config })), workdir: path.join(scratchDir('mesh-examples-plan-'), 'plan') });
    expect(report.filter((r) => r.result === 'failed').map((r) => `${r.stack}: ${r.error}`)).toEqual([]);
    for (const file of EXAMPLES) {
      for (const stack of ['network', 'mesh']) expect(report.find((r) => r.stack === `${label(file)}/${stack}`)).toMatchObject({ result: 'ok' });
    }
    const planned = report.filter((r) => r.result === 'ok');
    expect(planned.every((r) => r.counts!.add > 0 && r.counts!.destroy === 0)).toBe(true);
  }, 240000);
});
