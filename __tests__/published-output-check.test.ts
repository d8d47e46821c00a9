import * as fs from 'fs';
import * as path from 'path';
import { offlineEnv, providerMirror, terraform, writeCliConfig } from '../scripts/plan/terraform';
import { synthConfig, appMeshDemoWith, scratchDir, threeAccountConfig } from './support/synth';

// App Mesh callers derive their callees' virtual-service ARNs, so caller and callee deploy in the
// same wave; a Terraform `check` reads the callee's state and warns when the two disagree. Here
// the check the demo emits runs in real Terraform against hand-written state files.

const MESH_ARN = 'arn:aws:appmesh:us-west-2:111111111111:mesh/yelb';
/** yelb-appserver's virtual service: created by the backend account in the frontend's shared mesh (engines/appmesh/arns.ts). */
const BACKEND_VS = 'arn:aws:appmesh:us-west-2:222222222222:mesh/yelb@111111111111/virtualService/yelb-appserver.yelb.svc.cluster.local';

/** A state file holding only outputs, as `terraform_remote_state` reads it. */
function writeState(file: string, outputs: Record<string, unknown>): void {
  const typed = Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: typeof value === 'string' ? 'string' : ['map', 'string'] }]));
  fs.writeFileSync(file, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: path.basename(file, '.tfstate'), outputs: typed, resources: [] }));
}

describe('the check on derived callee endpoints, run by Terraform', () => {
  const frontend = synthConfig(appMeshDemoWith()).stack('workloads-frontend');
  const dir = scratchDir('published-check-');
  const statePath = (name: string) => path.join(dir, `${name}.tfstate`);
  const cliConfig = path.join(dir, 'cli.tfrc');
  const env = () => offlineEnv(cliConfig);

  beforeAll(async () => {
    writeCliConfig(cliConfig, providerMirror());
    // The check block exactly as synthesized, plus the mesh remote state its condition reads;
    // only the state paths change, to point at this folder.
    const check = JSON.parse(JSON.stringify(frontend.json.check));
    check['published-workloads-backend'].data.terraform_remote_state['published-workloads-backend'].config.path = statePath('workloads-backend');
    const mesh = { ...frontend.data('terraform_remote_state')['upstream-mesh'], config: { path: statePath('mesh') } };
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ data: { terraform_remote_state: { 'upstream-mesh': mesh } }, check }));
    writeState(statePath('mesh'), { mesh_arn: MESH_ARN });
    const init = await terraform(['init', '-input=false', '-no-color'], dir, env());
    expect(init.stderr).not.toMatch(/Error/);
    expect(init.code).toBe(0);
  });

  const plan = async () => {
    const run = await terraform(['plan', '-input=false', '-no-color', '-lock=false'], dir, env());
    expect(run.code).toBe(0); // a check never fails the plan
    return run.stdout + run.stderr;
  };

  test('backend not deployed yet: the plan goes through with a warning', async () => {
    fs.rmSync(statePath('workloads-backend'), { force: true });
    expect(await plan()).toMatch(/Warning: Unable to find remote state/);
  });

  test('backend publishes the derived ARN: no warning', async () => {
    writeState(statePath('workloads-backend'), { virtual_service_arns: { 'yelb-appserver': BACKEND_VS } });
    expect(await plan()).not.toMatch(/Warning/);
  });

  test('backend publishes another ARN: the check names the output and the fix', async () => {
    // The owner-form ARN a mesh-wide derivation would give: not the one a member's resource carries.
    writeState(statePath('workloads-backend'), { virtual_service_arns: { 'yelb-appserver': `${MESH_ARN}/virtualService/yelb-appserver.yelb.svc.cluster.local` } });
    const out = await plan();
    expect(out).toMatch(/Warning: Check block assertion failed/);
    expect(out).toMatch(/workloads-backend does not publish\s+virtual_service_arns\["yelb-appserver"\]/);
  });
});

describe('App Mesh: calls may cross accounts both ways', () => {
  const app = synthConfig(
    appMeshDemoWith((c) => {
      c.catalog = [
        { name: 'web', account: 'frontend', image: 'nginx:1.27', port: 8080, protocol: 'http', backends: ['api'], exposure: 'public' },
        { name: 'api', account: 'backend', image: 'nginx:1.27', port: 8080, protocol: 'http', backends: ['audit'] },
        { name: 'audit', account: 'frontend', image: 'nginx:1.27', port: 8080, protocol: 'http' },
      ];
    }),
  );

  test('neither workloads stack waits for the other, and each checks what it assumes of the other', () => {
    expect(app.manifest.stacks['workloads-frontend'].dependencies).not.toContain('workloads-backend');
    expect(app.manifest.stacks['workloads-backend'].dependencies).not.toContain('workloads-frontend');
    const asserted = (stack: string) => Object.keys(app.stack(stack).json.check);
    expect(asserted('workloads-frontend')).toEqual(['published-workloads-backend']);
    expect(asserted('workloads-backend')).toEqual(['published-workloads-frontend']);
    expect(app.stack('workloads-backend').json.check['published-workloads-frontend'].assert[0].condition).toMatch(/virtual_service_arns(\["audit"\]|\.audit),.*virtualService\/audit\.yelb\.svc\.cluster\.local/);
  });
});

describe('with the S3 backend', () => {
  const backend = synthConfig({ ...threeAccountConfig(), backend: { type: 's3', bucket: 'meshdemo-tfstate-111111111111', region: 'us-west-2', account: 'frontend', roleArn: 'arn:aws:iam::111111111111:role/mesh-state' } }).stack('workloads-backend');

  test("the check reads the callee's state the way cdktf's own remote-state reads do: same bucket, role and encryption, the callee's key", () => {
    const scoped = backend.json.check['published-workloads-data'].data.terraform_remote_state['published-workloads-data'];
    const mesh = backend.data('terraform_remote_state')['upstream-mesh'];
    expect(scoped.backend).toBe('s3');
    expect(scoped.config).toEqual({ ...mesh.config, key: mesh.config.key.replace(/mesh\.tfstate$/, 'workloads-data.tfstate') });
    expect(scoped.config.key).toMatch(/\/workloads-data\.tfstate$/);
    expect(scoped.config.encrypt).toBe(true);
    expect(scoped.config.assume_role).toEqual({ role_arn: 'arn:aws:iam::111111111111:role/mesh-state' });
  });
});
