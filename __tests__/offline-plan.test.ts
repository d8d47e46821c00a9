import * as path from 'path';
import { validateConfig } from '../app/config';
import { runOfflinePlan, formatProgress, formatReport, type StackPlan } from '../scripts/plan/offline-plan';
import { summarizeOutput } from '../app/synth-summary';
import { providerMirror } from '../scripts/plan/terraform';
import { demoWith, appMeshDemoWith, threeAccountConfig, scratchDir } from './support/synth';
import type { ConfigInput } from '../config/schema';

// Real `terraform init`, `validate` and `plan` of every AWS-only stack, offline, against the
// provider mirror named by TF_PROVIDER_MIRROR. These are required to succeed.
// The demo runs init, validate and plan; the larger cases skip the separate validate (plan
// validates first anyway) to keep the suite within its time budget.
const plan = (input: ConfigInput, only?: string[], validate = true) => runOfflinePlan({ config: validateConfig(input), workdir: path.join(scratchDir('mesh-plan-'), 'plan'), only, validate });
const byStack = (report: StackPlan[]) => Object.fromEntries(report.map((r) => [r.stack, r]));
const NEEDS_CLUSTER = 'not planned offline (needs a live cluster)';

describe('offline plan', () => {
  test('the mirror setting is required, with a message that says how to set it', () => {
    expect(() => providerMirror({})).toThrow(/TF_PROVIDER_MIRROR is not set\. Fix: export TF_PROVIDER_MIRROR=/);
    expect(() => providerMirror({ TF_PROVIDER_MIRROR: '/nonexistent' })).toThrow(/has no registry\.terraform\.io\/hashicorp\/aws folder\. Fix:/);
  });

  test('demo config: every AWS-only stack plans, in dependency order, with labeled mocks', async () => {
    const workdir = path.join(scratchDir('mesh-plan-'), 'plan');
    const progress: string[] = [];
    const report = await runOfflinePlan({ config: validateConfig(demoWith()), workdir, onResult: (p) => progress.push(formatProgress(p)) });
    const stacks = byStack(report);
    // A line per stack as it finished (npm run plan prints them), before the table.
    expect(progress).toHaveLength(report.length);
    expect(progress).toEqual(expect.arrayContaining(report.map(formatProgress)));
    expect(progress).toContain(`network: ok (${stacks.network.counts!.add} to add, 0 to change, 0 to destroy)`);
    // The synth summary's resource count is what Terraform plans to add, stack by stack.
    for (const s of summarizeOutput(path.join(workdir, 'cdktf.out')).stacks) if (stacks[s.name].counts) expect([s.name, stacks[s.name].counts!.add]).toEqual([s.name, s.resources]);
    const failures = report.filter((r) => r.result === 'failed').map((r) => r.error);
    expect(failures).toEqual([]);
    for (const name of ['network', 'mesh', 'cluster-frontend', 'cluster-backend']) {
      expect(stacks[name].result).toBe('ok');
      expect(stacks[name].counts!.add).toBeGreaterThan(0);
      expect(stacks[name].counts!.destroy).toBe(0);
    }
    expect(report.findIndex((r) => r.stack === 'network')).toBeLessThan(report.findIndex((r) => r.stack === 'cluster-frontend'));
    expect(stacks['cluster-frontend'].mocked).toEqual(expect.arrayContaining(['network.vpc_ids', 'network.private_subnet_ids']));
    expect(stacks.network.mocked).toEqual([]);
    for (const name of ['controllers-frontend', 'controllers-backend', 'workloads-frontend', 'workloads-backend']) {
      expect(stacks[name].result).toBe(NEEDS_CLUSTER);
      expect(stacks[name].providers).toEqual(expect.arrayContaining(['kubernetes']));
    }
    const table = formatReport(report);
    // 26: Yelb runs only public images, so the cluster stacks hold no ECR repository.
    expect(table).toMatch(/cluster-frontend\s+26\s+0\s+0\s+3\s+ok/);
    expect(table).toContain('cluster-frontend: network.mesh_peer_security_group_ids (mocked)');
    // The Lattice mesh stack (service network, zones, cross-account associations) reads the network only.
    expect(stacks.mesh.mocked.sort()).toEqual(['network.mesh_peer_security_group_ids', 'network.vpc_ids']);
  }, 180000);

  test('three accounts with the S3 backend and Cloud Map: bootstrap first, then network, mesh and three clusters', async () => {
    const config = threeAccountConfig() as any;
    config.backend = { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend' };
    config.catalog[1].discovery = 'cloudmap';
    const report = await plan(config, undefined, false);
    const stacks = byStack(report);
    expect(report.filter((r) => r.result === 'failed').map((r) => r.error)).toEqual([]);
    expect(report[0]).toMatchObject({ stack: 'bootstrap', result: 'ok' });
    for (const name of ['network', 'mesh', 'cluster-frontend', 'cluster-backend', 'cluster-data']) expect(stacks[name].result).toBe('ok');
    expect(stacks.network.counts!.add).toBeGreaterThan(100);
    expect(stacks.mesh.mocked).toEqual(['network.vpc_ids']);
  }, 240000);

  test('App Mesh engine: the shared mesh stack plans with nothing mocked', async () => {
    const [mesh] = await plan(appMeshDemoWith(), ['mesh'], false);
    expect(mesh.error).toBeUndefined();
    expect(mesh).toMatchObject({ stack: 'mesh', result: 'ok' });
    expect(mesh.counts!.add).toBeGreaterThan(3);
    expect(mesh.mocked).toEqual([]);
  }, 120000);

  test('Istio engine: the mesh stack plans the Private CA root, its certificate and its RAM share; the control planes need a cluster', async () => {
    const report = await plan(demoWith((c) => (c.mesh.engine = 'istio')), ['mesh', 'control-plane-backend'], false);
    const stacks = byStack(report);
    expect(stacks.mesh.error).toBeUndefined();
    expect(stacks.mesh).toMatchObject({ result: 'ok' });
    // CA, its certificate, installing it, the share, its resource, principal and accepter, the
    // east-west zone with its authorization and association, and the observability sink and link.
    expect(stacks.mesh.counts!.add).toBeGreaterThanOrEqual(13);
    expect(stacks.mesh.counts!.destroy).toBe(0);
    expect(stacks.mesh.mocked).toEqual(['network.vpc_ids']);
    expect(stacks['control-plane-backend'].result).toBe(NEEDS_CLUSTER);
  }, 120000);
});
