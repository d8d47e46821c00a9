import * as fs from 'fs';
import * as YAML from 'yaml';
import { synthConfig, demoWith } from './support/synth';

// The example pipeline users copy must parse, name only stacks that exist, and deploy each
// stack only after every stack it depends on.
const workflow = YAML.parse(fs.readFileSync('.github/workflows/mesh-infrastructure.yml', 'utf8'));
const app = synthConfig(demoWith());
const deployJobs = Object.entries<any>(workflow.jobs).filter(([name]) => name.startsWith('deploy-'));
const stackOf = (job: any) => job.steps.map((s: any) => s.run ?? '').join('\n').match(/cdktf deploy ([a-z0-9-]+)/)?.[1];

describe('example CI workflow', () => {
  test('parses as YAML with pull-request and main triggers', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    expect(workflow.on.push.branches).toEqual(['main']);
  });

  test('diffs exactly the stacks that exist, with OIDC credentials', () => {
    expect([...workflow.jobs.diff.strategy.matrix.stack].sort()).toEqual([...app.stackNames].sort());
    expect(workflow.jobs.diff.permissions['id-token']).toBe('write');
  });

  test('deploys every stack once, right after its dependencies and no others, behind the production approval, one run per stack', () => {
    const deployed = deployJobs.map(([, job]) => stackOf(job));
    expect([...deployed].sort()).toEqual([...app.stackNames].sort());
    for (const [name, job] of deployJobs) {
      const stack = stackOf(job)!;
      expect(name).toBe(`deploy-${stack}`);
      // Waiting on a stack it does not depend on would add a needless deploy wave.
      expect([...job.needs].sort()).toEqual(['test', ...app.manifest.stacks[stack].dependencies.map((d: string) => `deploy-${d}`)].sort());
      expect(job.environment).toBe('production');
      expect(job.concurrency).toEqual({ group: `deploy-${stack}`, 'cancel-in-progress': false });
    }
  });
});
