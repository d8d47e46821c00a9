import * as fs from 'fs';
import * as YAML from 'yaml';
import { synthConfig, demoWith } from './support/synth';
import { checkCommands, commandsOfScript } from './support/commands';

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

  test('every command of every job works as written: cdktf accepts each stack set, with CHECKPOINT_DISABLE, without a build step (the app runs the sources)', () => {
    const scripts = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts;
    // GitHub expands ${{ matrix.stack }} before the shell runs: one script per matrix entry.
    const expand = (run: string, job: any): string[] => (run.includes('${{ matrix.stack }}') ? job.strategy.matrix.stack.map((stack: string) => run.replace('${{ matrix.stack }}', stack)) : [run]);
    const commands = Object.entries<any>(workflow.jobs).flatMap(([name, job]) =>
      job.steps
        .filter((s: any) => s.run)
        .flatMap((s: any) => expand(s.run, job))
        .flatMap((run: string, i: number) => commandsOfScript(run, `workflow job ${name} #${i}`, { ...workflow.env, ...job.env })),
    );
    expect(commands.filter((c) => c.argv[1] === 'cdktf').length).toBe(2 * app.stackNames.length);
    expect(checkCommands(commands, { name: 'demo', manifest: app.manifest }, scripts)).toEqual([]);
    expect(commands.filter((c) => c.argv.join(' ') === 'npm run build')).toEqual([]);
  });
});
