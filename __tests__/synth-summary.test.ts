import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { configSource } from '../config/load';
import { formatOneLine, formatSummary, lookalikeWarning, quietRequested, summarizeOutput } from '../app/synth-summary';
import { synthConfig, demoWith } from './support/synth';

// What a synth reports at its end. The process-level behaviour (stdout, stderr, exit code, and
// the same app under cdktf-cli) is in cdktf-app.test.ts.

const S3_EXAMPLE = path.resolve('examples/three-accounts-s3-chain.yaml');
const demo = synthConfig(demoWith());
const s3 = synthConfig(YAML.parse(fs.readFileSync(S3_EXAMPLE, 'utf8')));

describe('synth summary', () => {
  test('lists every stack once, in deploy order, with its Terraform resources and its dependencies', () => {
    const summary = summarizeOutput(demo.outdir);
    expect(summary.stacks.map((s) => s.name).sort()).toEqual([...demo.stackNames].sort());
    const wave = (name: string) => summary.waves.findIndex((w) => w.includes(name));
    for (const [i, s] of summary.stacks.entries()) {
      const json = demo.stack(s.name).json;
      expect(s.resources).toBe(Object.values<object>(json.resource).reduce((n, byId) => n + Object.keys(byId).length, 0));
      expect(s.dependencies).toEqual([...demo.manifest.stacks[s.name].dependencies].sort());
      for (const d of s.dependencies) expect(wave(d)).toBeLessThan(wave(s.name));
      if (i > 0) expect(wave(summary.stacks[i - 1].name)).toBeLessThanOrEqual(wave(s.name));
    }
    expect(summary.waves[0]).toEqual(['network']);
  });

  test('the demo report: the config, engine, a row per stack, the waves, the output folder and the next command', () => {
    const summary = summarizeOutput(demo.outdir);
    const text = formatSummary(summary, demo.config, configSource({}), path.dirname(demo.outdir));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Synthesized 8 stacks from the built-in demo config (MESH_CONFIG is unset), engine lattice, local backend.');
    const network = summary.stacks.find((s) => s.name === 'network')!;
    expect(text).toMatch(new RegExp(`^ {2}network +${network.resources} {2}-$`, 'm'));
    expect(text).toMatch(/^ {2}workloads-backend +\d+ {2}cluster-backend, controllers-backend, mesh$/m);
    expect(text).toContain('  1. network\n  2. cluster-backend, cluster-frontend, mesh\n  3. controllers-backend, controllers-frontend\n  4. workloads-backend, workloads-frontend\n');
    expect(text).toContain('Output: cdktf.out/ (manifest.json, stacks/<stack>/cdk.tf.json)');
    expect(lines[lines.length - 1]).toMatch(/^Next: npm run plan .*npx cdktf diff network, then npm run deploy -- --dry-run/);
    expect(formatOneLine(summary, demo.config, configSource({}))).toBe('mesh: 8 stacks from the built-in demo config (MESH_CONFIG is unset), engine lattice, 4 deploy waves');
  });

  test('with the S3 backend, the file named, bootstrap deployed first and reviewed first', () => {
    const summary = summarizeOutput(s3.outdir);
    const text = formatSummary(summary, s3.config, configSource({ MESH_CONFIG: S3_EXAMPLE }), process.cwd());
    expect(text.split('\n')[0]).toBe(`Synthesized 12 stacks from examples/three-accounts-s3-chain.yaml, engine lattice, s3 backend.`);
    expect(summary.waves[0]).toEqual(['bootstrap']);
    expect(text).toMatch(/^ {2}network +\d+ {2}bootstrap$/m);
    expect(text).toContain('npx cdktf diff bootstrap');
  });

  test('a mistyped MESH_CONFIG is named, with the fix; nothing when MESH_CONFIG is set or nothing looks like it', () => {
    for (const name of ['MESHCONFIG', 'MESH_CONFIG_FILE', 'mesh_config', 'MESH_CONFG', 'MESH-CONFIG', 'MESH_CONF']) {
      const source = configSource({ [name]: 'mine.yaml', HOME: '/root' });
      expect(source).toEqual({ lookalikes: [name] });
      expect(lookalikeWarning(source)).toEqual([
        `warning: MESH_CONFIG is unset, so the built-in demo config is used, but ${name} is set. Fix: if ${name} names your config, rename it: export MESH_CONFIG="$${name}"`,
      ]);
    }
    expect(configSource({ MESH_CONFIG: 'a.yaml', MESHCONFIG: 'b.yaml' })).toEqual({ file: path.resolve('a.yaml'), lookalikes: [] });
    expect(configSource({ MESH_STATE_DIR: 's', MESH_OFFLINE_PLAN: '1', CDKTF_OUTDIR: 'o', MESHCONFIG: '' }).lookalikes).toEqual([]);
  });

  test('quiet with --quiet, -q or CI; anything else on the command line stops with the usage', () => {
    expect(quietRequested([], {})).toBe(false);
    expect(quietRequested(['--quiet'], {})).toBe(true);
    expect(quietRequested(['-q'], {})).toBe(true);
    for (const ci of ['true', '1', 'yes']) expect(quietRequested([], { CI: ci })).toBe(true);
    for (const ci of ['', '0', 'false', 'FALSE']) expect(quietRequested([], { CI: ci })).toBe(false);
    expect(() => quietRequested(['--verbose'], {})).toThrow('unknown argument "--verbose". Fix: usage: node dist/main.js [--quiet]');
  });
});
