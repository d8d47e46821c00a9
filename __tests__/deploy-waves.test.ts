import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { parse } from 'shell-quote';
import { checkPassthrough, commandLine, waveRuns, FIXED_FLAGS } from '../scripts/deploy/waves';
import { parseArgs, run } from '../scripts/deploy/cli';
import { synthConfig, demoWith, appMeshDemoWith, scratchDir, type SynthResult } from './support/synth';

// `npm run deploy` and `npm run destroy`: one cdktf invocation per wave. The order is checked
// against the stack dependencies, and each invocation against cdktf-cli 0.21.0's own stack
// selection (`--ignore-missing-stack-dependencies` makes cdktf start every named stack at once,
// so no stack of a wave may depend on another of the same wave).

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktf = require('@cdktf/cli-core/src/lib/helpers/stack-helpers');

const S3_EXAMPLE = path.resolve('examples/three-accounts-s3-chain.yaml');
const configs: [string, SynthResult][] = [
  ['demo', synthConfig(demoWith())],
  ['App Mesh demo', synthConfig(appMeshDemoWith())],
  ['three accounts, S3 backend', synthConfig(YAML.parse(fs.readFileSync(S3_EXAMPLE, 'utf8')))],
];
const cliStacks = (app: SynthResult) => Object.entries(app.manifest.stacks).map(([name, s]) => ({ name, dependencies: s.dependencies }));
const stacksOf = (args: string[]) => args.slice(1, args.indexOf(FIXED_FLAGS[0]));

describe.each(configs)('deploy and destroy waves (%s)', (_name, app) => {
  const all = cliStacks(app);
  const deps = (name: string) => app.manifest.stacks[name].dependencies;

  test('deploy: every stack once, each after all it depends on, none beside one it depends on; cdktf selects exactly the named stacks', () => {
    const runs = waveRuns('deploy', app.manifest, { passthrough: ['--auto-approve'] });
    expect(runs.flatMap((r) => r.stacks).sort()).toEqual([...app.stackNames].sort());
    runs.forEach((r, i) => {
      const earlier = new Set(runs.slice(0, i).flatMap((x) => x.stacks));
      for (const s of r.stacks) for (const d of deps(s)) expect([s, d, earlier.has(d)]).toEqual([s, d, true]);
      expect(r.args).toEqual(['deploy', ...r.stacks, '--skip-synth', '--ignore-missing-stack-dependencies', '--auto-approve']);
      expect(cdktf.getMultipleStacks(all, stacksOf(r.args), 'deploy').map((s: { name: string }) => s.name)).toEqual(r.stacks);
    });
    if (app.stackNames.includes('bootstrap')) expect(runs[0].stacks).toEqual(['bootstrap']);
    // Without the flag cdktf itself refuses a later wave on its own: the flag is needed.
    expect(() => cdktf.checkIfAllDependenciesAreIncluded(cdktf.getMultipleStacks(all, runs[1].stacks))).toThrow(/dependencies are not included/);
  });

  test('destroy: the reverse, each stack after everything that depends on it; bootstrap only when asked, last', () => {
    const runs = waveRuns('destroy', app.manifest);
    const hasBootstrap = app.stackNames.includes('bootstrap');
    expect(runs.flatMap((r) => r.stacks).sort()).toEqual(app.stackNames.filter((s) => s !== 'bootstrap').sort());
    runs.forEach((r, i) => {
      const earlier = new Set(runs.slice(0, i).flatMap((x) => x.stacks));
      for (const s of r.stacks) for (const dependant of all.filter((x) => x.dependencies.includes(s))) expect([s, dependant.name, earlier.has(dependant.name)]).toEqual([s, dependant.name, true]);
    });
    expect(runs[0].stacks.every((s) => s.startsWith('workloads-'))).toBe(true);
    const withBootstrap = waveRuns('destroy', app.manifest, { includeBootstrap: true });
    if (hasBootstrap) expect(withBootstrap[withBootstrap.length - 1].stacks).toEqual(['bootstrap']);
    else expect(withBootstrap).toEqual(runs);
  });
});

describe('deploy and destroy arguments', () => {
  const stacks = configs[0][1].stackNames;

  test('cdktf flags pass through; stack names, globs and another output folder stop with the fix; repeated fixed flags are dropped', () => {
    expect(checkPassthrough('deploy', ['--auto-approve', '--parallelism', '1', '--skip-synth'], stacks)).toEqual(['--auto-approve', '--parallelism', '1']);
    expect(() => checkPassthrough('deploy', ['network'], stacks)).toThrow('npm run deploy: "network" looks like a stack; the script runs every stack, wave by wave. Fix: drop it, or run one stack on its own: CHECKPOINT_DISABLE=1 npx cdktf deploy network --ignore-missing-stack-dependencies');
    expect(() => checkPassthrough('destroy', ['workloads-*'], stacks)).toThrow(/"workloads-\*" looks like a stack/);
    expect(() => checkPassthrough('deploy', ['--output=elsewhere'], stacks)).toThrow('npm run deploy: --output=elsewhere is not allowed: the script synthesizes into cdktf.out and each wave reads it. Fix: drop --output');
    expect(() => checkPassthrough('deploy', ['-a', 'node x.js'], stacks)).toThrow(/-a is not allowed/);
  });

  test('its own flags: --dry-run for both, --include-bootstrap for destroy only; an unknown action names the usage', () => {
    expect(parseArgs(['destroy', '--include-bootstrap', '--dry-run', '--auto-approve'])).toEqual({ action: 'destroy', dryRun: true, includeBootstrap: true, passthrough: ['--auto-approve'] });
    expect(() => parseArgs(['deploy', '--include-bootstrap'])).toThrow('--include-bootstrap is for npm run destroy; npm run deploy always deploys bootstrap first. Fix: drop --include-bootstrap');
    expect(() => parseArgs(['apply'])).toThrow(/unknown action "apply"\. Fix: usage: npm run deploy/);
  });

  test('each printed command line parses back (as a shell would) to exactly the arguments the wave runs with', () => {
    const [r] = waveRuns('deploy', configs[0][1].manifest, { passthrough: ['--var', 'greeting=hello world'] });
    const words = parse(commandLine(r)) as string[];
    expect(words.slice(0, 3)).toEqual(['CHECKPOINT_DISABLE=1', 'npx', 'cdktf']);
    expect(words.slice(3)).toEqual(r.args);
  });
});

describe('the deploy command, run', () => {
  test('dry run with the S3 example: synthesizes, prints each wave and its exact cdktf command, starts nothing', () => {
    const dir = scratchDir('mesh-deploy-');
    fs.copyFileSync('cdktf.json', path.join(dir, 'cdktf.json'));
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // No node_modules in `dir`: a wave that tried to start cdktf would fail the run.
      const code = run(['deploy', '--dry-run', '--auto-approve'], { MESH_CONFIG: S3_EXAMPLE, MESH_STATE_DIR: path.join(dir, 'state') }, dir);
      expect(code).toBe(0);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
    const text = lines.join('\n');
    const app = synthConfig(YAML.parse(fs.readFileSync(S3_EXAMPLE, 'utf8')));
    const runs = waveRuns('deploy', app.manifest, { passthrough: ['--auto-approve'] });
    expect(lines[0]).toBe(`deploy: 12 stacks from ${S3_EXAMPLE}, engine lattice, in 5 waves; each wave starts when the one before has finished.`);
    runs.forEach((r, i) => expect(text).toContain(`wave ${i + 1}/5: deploy ${r.stacks.join(', ')}\n  $ ${commandLine(r)}`));
    expect(text).toContain('$ CHECKPOINT_DISABLE=1 npx cdktf deploy bootstrap --skip-synth --ignore-missing-stack-dependencies --auto-approve');
    expect(lines[lines.length - 1]).toBe('\ndry run: nothing was deployed. The same command without --dry-run runs the waves above.');
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), 'utf8')).stacks).sort()).toEqual([...app.stackNames].sort());
  });

  test('an offline-plan environment is refused before anything is synthesized', () => {
    const dir = scratchDir('mesh-deploy-');
    fs.copyFileSync('cdktf.json', path.join(dir, 'cdktf.json'));
    expect(() => run(['deploy'], { MESH_OFFLINE_PLAN: '1' }, dir)).toThrow('MESH_OFFLINE_PLAN=1 is set, which synthesizes placeholder credentials for the offline plan. Fix: unset MESH_OFFLINE_PLAN');
    expect(fs.existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });

  test('npm run destroy -- --dry-run, as package.json runs it: the waves in reverse, bootstrap kept', () => {
    // A project folder of its own (cdktf.json, node_modules), so the project's cdktf.out is left alone.
    const dir = scratchDir('mesh-destroy-');
    fs.copyFileSync('cdktf.json', path.join(dir, 'cdktf.json'));
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    const script: string = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts.destroy;
    const [program, ...args] = parse(script) as string[];
    expect(program).toBe('node');
    const env: NodeJS.ProcessEnv = { ...process.env, MESH_CONFIG: S3_EXAMPLE, MESH_STATE_DIR: path.join(dir, 'state') };
    delete env.CI;
    const result = spawnSync(process.execPath, [...args.map((a) => (a.endsWith('.ts') ? path.resolve(a) : a)), '--dry-run'], { cwd: dir, env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('bootstrap is kept: its bucket holds the state of every stack. Pass --include-bootstrap to destroy it too.');
    const commands = result.stdout.split('\n').filter((l) => l.startsWith('  $ ')).map((l) => l.slice(4));
    const app = synthConfig(YAML.parse(fs.readFileSync(S3_EXAMPLE, 'utf8')));
    expect(commands).toEqual(waveRuns('destroy', app.manifest).map(commandLine));
    expect(commands[commands.length - 1]).toBe('CHECKPOINT_DISABLE=1 npx cdktf destroy network --skip-synth --ignore-missing-stack-dependencies');
  });
});
