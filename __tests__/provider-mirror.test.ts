import * as fs from 'fs';
import * as path from 'path';
import { awsProviderPin, mirrorConfig, parseMirrorArgs, runMirror, terraformError } from '../scripts/provider-mirror';
import { offlineEnv, providerMirror, terraform, writeCliConfig } from '../scripts/plan/terraform';
import { demoWith, scratchDir, synthConfig } from './support/synth';

// `npm run mirror -- <folder>` cannot run here (it downloads from registry.terraform.io, and this
// machine has no network). What it builds on is tested: the provider version it mirrors is the
// one every synthesized stack requires, its configuration resolves to exactly that version with
// real Terraform (against the offline mirror), and it runs the command and reports as it should.

// Terraform 1.11's own output (-no-color) for `providers mirror` without network, as seen here.
const OFFLINE_STDERR = `- Mirroring hashicorp/aws...

Error: Provider not available

Failed to download registry.terraform.io/hashicorp/aws from its origin
registry: could not connect to registry.terraform.io: failed to request
discovery document.


Error: Failed to update indexes
`;

describe('npm run mirror', () => {
  test('mirrors the AWS provider version every synthesized stack requires', () => {
    const required = synthConfig(demoWith()).stack('network').json.terraform.required_providers.aws;
    expect(awsProviderPin()).toEqual({ source: 'hashicorp/aws', version: required.version });
    expect(mirrorConfig()).toEqual({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } });
  });

  test('its configuration resolves to exactly that version, with real Terraform against the offline mirror', async () => {
    const dir = scratchDir('mesh-mirror-config-');
    const cliConfig = path.join(dir, 'cli.tfrc');
    writeCliConfig(cliConfig, providerMirror());
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(mirrorConfig()));
    const init = await terraform(['init', '-input=false', '-no-color', '-backend=false'], dir, offlineEnv(cliConfig));
    expect(init.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8')).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\n\s+version\s+= "5\.100\.0"\n\s+constraints = "5\.100\.0"/);
  }, 120000);

  test('runs terraform providers mirror on that configuration into the folder, and prints the export line', () => {
    const folder = path.join(scratchDir('mesh-mirror-'), 'tf-mirror');
    const calls: Array<{ args: string[]; config: unknown }> = [];
    const line = runMirror({
      args: [folder, '--platform', 'linux_amd64', '--platform=darwin_arm64'],
      terraform: (args, cwd) => {
        calls.push({ args, config: JSON.parse(fs.readFileSync(path.join(cwd, 'main.tf.json'), 'utf8')) });
        return { status: 0, stderr: '' };
      },
      report: () => {},
    });
    expect(calls).toEqual([{ args: ['providers', 'mirror', '-no-color', '-platform=linux_amd64', '-platform=darwin_arm64', folder], config: mirrorConfig() }]);
    expect(line).toBe(`export TF_PROVIDER_MIRROR=${folder}`);
  });

  test('without network it stops with terraform\'s reason and the fix on one line', () => {
    const run = () => runMirror({ args: ['/tmp/tf-mirror'], terraform: () => ({ status: 1, stderr: OFFLINE_STDERR }), report: () => {} });
    expect(run).toThrow(
      'terraform providers mirror failed: Provider not available: Failed to download registry.terraform.io/hashicorp/aws from its origin registry: could not connect to registry.terraform.io: failed to request discovery document. Fix: run it where registry.terraform.io is reachable, then copy /tmp/tf-mirror to this machine',
    );
    expect(terraformError('no error here')).toBeUndefined();
  });

  test('--dry-run says what it would run and runs nothing', () => {
    const reports: string[] = [];
    runMirror({ args: ['/tmp/tf-mirror', '--dry-run'], terraform: () => { throw new Error('ran terraform'); }, report: (l) => reports.push(l) });
    expect(reports[1]).toBe('  terraform providers mirror -no-color /tmp/tf-mirror');
  });

  test('a missing folder or a bad platform stops it with the usage', () => {
    expect(() => parseMirrorArgs([])).toThrow('name the folder to fill. Usage: npm run mirror -- <folder>');
    expect(() => parseMirrorArgs(['x', '--platform', 'linux'])).toThrow('--platform takes an os_arch such as linux_amd64');
    expect(() => parseMirrorArgs(['x', 'y'])).toThrow('one folder only');
    expect(() => parseMirrorArgs(['x', '--force'])).toThrow('unknown option "--force"');
  });
});
