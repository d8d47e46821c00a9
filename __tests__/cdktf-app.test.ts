import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { parse } from 'shell-quote';
import { synthConfig, demoWith, scratchDir } from './support/synth';
import { readManifest } from '../app/synth-output';

// The app cdktf.json names, run as cdktf-cli runs it: a real process from the project folder,
// and once under cdktf-cli 0.21.0 itself.

const ROOT = path.resolve('.');
const S3_EXAMPLE = path.join(ROOT, 'examples/three-accounts-s3-chain.yaml');
const appCommand: string = JSON.parse(fs.readFileSync('cdktf.json', 'utf8')).app;
const stackFolders = (outdir: string) => fs.readdirSync(path.join(outdir, 'stacks')).sort();
const env = (extra: Record<string, string>) => {
  const e: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', ...extra };
  for (const k of ['MESH_CONFIG', 'CI', 'MESH_OFFLINE_PLAN']) if (!(k in extra)) delete e[k];
  return e;
};

describe("cdktf.json's app", () => {
  const root = scratchDir('mesh-app-');
  const outdir = path.join(root, 'cdktf.out');

  test('runs the sources (no build, nothing from dist/), writes what the TypeScript compiler would, and reports it', () => {
    expect(appCommand).not.toMatch(/dist\//);
    const [program, ...args] = parse(appCommand) as string[];
    const run = spawnSync(program === 'node' ? process.execPath : program, args, {
      cwd: ROOT,
      // A mistyped MESH_CONFIG: the demo is built, and the report says so.
      env: env({ MESHCONFIG: S3_EXAMPLE, CDKTF_OUTDIR: outdir, MESH_STATE_DIR: path.join(root, 'state') }),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe(`warning: MESH_CONFIG is unset, so the built-in demo config is used, but MESHCONFIG is set. Fix: if MESHCONFIG names your config, rename it: export MESH_CONFIG="$MESHCONFIG"\n`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Synthesized 8 stacks from the built-in demo config \(MESH_CONFIG is unset\), engine lattice, local backend\.\n/);
    expect(run.stdout).toMatch(/\nNext: npm run plan/);
    // Byte for byte what the in-process synth (compiled by ts-jest, i.e. by TypeScript) writes,
    // but for where each state file is, relative to each output folder.
    const compiled = synthConfig(demoWith());
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8').replace(/"path": "[^"]*\/state\//g, '"path": "<state>/');
    expect(stackFolders(outdir)).toEqual(stackFolders(compiled.outdir));
    for (const stack of compiled.stackNames) {
      const file = compiled.manifest.stacks[stack].synthesizedStackPath;
      expect(read(outdir, file)).toBe(read(compiled.outdir, file));
    }
    expect(read(outdir, 'manifest.json')).toBe(read(compiled.outdir, 'manifest.json'));
  });

  test('under CI: errors on stderr, nothing on stdout, exit 1, no stack trace, the output left as it was', () => {
    const bad = path.join(root, 'bad.yaml');
    fs.writeFileSync(bad, YAML.stringify(demoWith((c) => (c.accounts[1].vpc.cidr = '10.192.0.0/16'))));
    const before = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');
    const [program, ...args] = parse(appCommand) as string[];
    const run = spawnSync(program === 'node' ? process.execPath : program, args, {
      cwd: ROOT,
      env: env({ CI: 'true', MESH_CONFIG: bad, CDKTF_OUTDIR: outdir, MESH_STATE_DIR: path.join(root, 'state') }),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Invalid config \(1 problem\):\n {2}- accounts\[1\]\.vpc\.cidr .*"10\.192\.0\.0\/16" overlaps/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(before);
  });

  test('under cdktf-cli, a synth whose stacks differ from the last one succeeds the first time, and leaves no stale stack folder', () => {
    // The folder holds the demo's stacks (test above); the S3 example has none of its cluster,
    // controllers or workloads stacks. Before the fix, cdktf-cli failed here with
    // "ENOENT: no such file or directory, lstat '<outdir>/stacks/cluster-backend'".
    expect(stackFolders(outdir)).toContain('cluster-backend');
    const cdktf = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
    const run = spawnSync(cdktf, ['synth', '--output', outdir], {
      cwd: ROOT,
      env: env({ MESH_CONFIG: S3_EXAMPLE, MESH_STATE_DIR: path.join(root, 'state'), FORCE_COLOR: '0' }),
      encoding: 'utf8',
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).not.toMatch(/ENOENT/);
    expect(run.status).toBe(0);
    // The app's own report under the CLI is one line; the CLI lists the stacks after it.
    expect(run.stdout).toContain('mesh: 12 stacks from examples/three-accounts-s3-chain.yaml, engine lattice, 5 deploy waves');
    const manifest = readManifest(outdir);
    expect(stackFolders(outdir)).toEqual(Object.keys(manifest.stacks).sort());
    expect(stackFolders(outdir)).toContain('bootstrap');
    expect(stackFolders(outdir)).not.toContain('cluster-backend');
  }, 120_000);

  test('without the dependencies installed it stops with one line that says what to run', () => {
    // A copy of the launcher where no node_modules can be found above it.
    const bare = scratchDir('mesh-bare-');
    fs.mkdirSync(path.join(bare, 'scripts'));
    const [, launcher] = parse(appCommand) as string[];
    fs.copyFileSync(path.join(ROOT, launcher), path.join(bare, launcher));
    const run = spawnSync(process.execPath, [launcher], { cwd: bare, env: env({ NODE_PATH: '' }), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('The project dependencies are not installed (no sucrase in node_modules). Fix: run npm ci in the project folder\n');
  });
});
