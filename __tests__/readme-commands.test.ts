import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { checkCommands, commandsOfMarkdown, type Graph } from './support/commands';
import { synthConfig, demoWith } from './support/synth';

// Every command the README shows works verbatim against the synthesized stack graph, for the
// demo and for the S3 example: the stacks and globs it names exist, cdktf accepts the set (its
// own dependency checks), the order respects the dependencies, bootstrap comes first where the
// S3 backend needs it, npm scripts exist, and cdktf and Terraform run with CHECKPOINT_DISABLE.

const S3_EXAMPLE = 'examples/three-accounts-s3-chain.yaml';
const scripts: Record<string, string> = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts;
const graphs: Graph[] = [
  { name: 'demo', manifest: synthConfig(demoWith()).manifest },
  { name: S3_EXAMPLE, manifest: synthConfig(YAML.parse(fs.readFileSync(path.resolve(S3_EXAMPLE), 'utf8'))).manifest },
];
const readme = commandsOfMarkdown(fs.readFileSync('README.md', 'utf8'));
const check = (markdown: string, graph = graphs[1]) => checkCommands(commandsOfMarkdown(markdown), graph, scripts);
const sh = (...lines: string[]) => ['```sh', ...lines, '```', ''].join('\n');

describe('README commands', () => {
  test('the README shows how to synthesize, test, deploy and destroy everything, and deploy one stack', () => {
    const lines = readme.map((c) => c.argv.join(' '));
    for (const expected of ['npm run synth', 'npm test', 'npm run deploy', 'npm run destroy']) expect(lines.some((l) => l.startsWith(expected))).toBe(true);
    expect(lines.some((l) => /^npx cdktf deploy \S+ --ignore-missing-stack-dependencies$/.test(l))).toBe(true);
  });

  test.each(graphs.map((g) => [g.name, g] as const))('every command works against the %s stack graph', (_name, graph) => {
    expect(checkCommands(readme, graph, scripts)).toEqual([]);
  });
});

describe('the command check catches what used to break', () => {
  test('the old deploy command with the S3 backend: bootstrap missing (cdktf\'s own message)', () => {
    expect(check(sh('export CHECKPOINT_DISABLE=1', "npx cdktf deploy network 'cluster-*' mesh 'controllers-*' 'workloads-*'"))).toEqual([
      expect.stringContaining('The following dependencies are not included in the stacks to run: bootstrap. Either add them or add the --ignore-missing-stack-dependencies flag.'),
    ]);
    expect(check(sh('export CHECKPOINT_DISABLE=1', "npx cdktf deploy network 'cluster-*' mesh 'controllers-*' 'workloads-*'"), graphs[0])).toEqual([]);
  });

  test('one stack without the flag, a stack of another config, no stack at all, an unquoted glob', () => {
    expect(check(sh('CHECKPOINT_DISABLE=1 npx cdktf deploy cluster-edge'))).toEqual([expect.stringContaining('dependencies are not included in the stacks to run: network')]);
    expect(check(sh('CHECKPOINT_DISABLE=1 npx cdktf deploy cluster-edge --ignore-missing-stack-dependencies'), graphs[0])).toEqual([expect.stringContaining("Could not find stack for pattern 'cluster-edge'")]);
    expect(check('Deploy them all with `npx cdktf deploy`.')).toEqual([expect.stringContaining('Found more than one stack, please specify a target stack')]);
    expect(check(sh('CHECKPOINT_DISABLE=1 npx cdktf destroy workloads-*'))).toEqual([expect.stringContaining("the glob workloads-* is unquoted: a shell expands it against files. Quote it: 'workloads-*'")]);
  });

  test('the old destroy sequence: cdktf refuses a stack whose dependants are not named', () => {
    expect(check(sh('export CHECKPOINT_DISABLE=1', "npx cdktf destroy 'workloads-*'", "npx cdktf destroy 'controllers-*'"), graphs[0])).toEqual([
      expect.stringContaining('The following dependant stacks are not included in the stacks to run: workloads-backend, workloads-frontend.'),
    ]);
  });

  test('order: with the flag, stacks that depend on each other run at once; a block deploying from scratch needs every dependency first; destroy goes dependants first', () => {
    expect(check(sh('export CHECKPOINT_DISABLE=1', 'npx cdktf deploy bootstrap network --ignore-missing-stack-dependencies'))).toEqual([
      expect.stringContaining('network depends on bootstrap, but with --ignore-missing-stack-dependencies cdktf starts every named stack at once'),
    ]);
    expect(check(sh('export CHECKPOINT_DISABLE=1', 'npx cdktf deploy network --ignore-missing-stack-dependencies', "npx cdktf deploy 'cluster-*' --ignore-missing-stack-dependencies"))).toEqual([
      expect.stringContaining('network depends on bootstrap, which this block never deploys'),
    ]);
    expect(check(sh('export CHECKPOINT_DISABLE=1', 'npx cdktf destroy network --ignore-missing-stack-dependencies', "npx cdktf destroy 'cluster-*' --ignore-missing-stack-dependencies"), graphs[0])).toEqual(
      expect.arrayContaining([expect.stringContaining('cluster-backend depends on network, which this block destroys later')]),
    );
  });

  test('an S3-only line is skipped where there is no bootstrap; npm scripts must exist and take their arguments', () => {
    const s3Only = sh('export CHECKPOINT_DISABLE=1', 'npx cdktf deploy bootstrap   # S3 backend only');
    expect(check(s3Only, graphs[0])).toEqual([]);
    expect(check(s3Only)).toEqual([]);
    expect(check(sh('npm run deploy -- --include-bootstrap'))).toEqual([expect.stringContaining('--include-bootstrap is for npm run destroy')]);
    expect(check(sh("npm run deploy -- 'workloads-*'"))).toEqual([expect.stringContaining('looks like a stack')]);
    expect(check(sh('npm run build-mirror'))).toEqual([expect.stringContaining('npm run build-mirror: package.json has no such script')]);
  });

  test('cdktf and Terraform in a block without CHECKPOINT_DISABLE', () => {
    expect(check(sh('npx cdktf diff mesh', 'terraform -chdir=cdktf.out/stacks/network providers mirror /tmp/m'))).toEqual([
      expect.stringContaining('npx cdktf diff mesh: starts cdktf or Terraform without CHECKPOINT_DISABLE=1'),
      expect.stringContaining('terraform -chdir=cdktf.out/stacks/network providers mirror /tmp/m: starts cdktf or Terraform without CHECKPOINT_DISABLE=1'),
    ]);
  });
});
