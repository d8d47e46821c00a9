import * as path from 'path';
import { validateConfigWith, type MeshConfig } from '../../config/load';
import { CONFIG_RULES } from '../../config/rules';
import type { ConfigInput } from '../../config/schema';
import { synthesize } from '../../app/synth';
import { readManifest, readStackJson } from '../../app/synth-output';
import { demoWith, scratchDir, SynthStack } from './synth';

// Two-region configs for the multi-region tests. Until an engine that spans regions is
// registered, the network, cluster and mesh stacks (engine-neutral apart from the shared mesh)
// are synthesized with the config's own rules only; the engine rules are what stop these
// layouts for Lattice and App Mesh (engines/region-rules.ts).

const cluster = { version: '1.35', instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 };

/** Two accounts, two regions: frontend at home in us-west-2, backend in us-east-1; the chain in both. */
export const twoAccountsTwoRegions = (engine = 'appmesh') =>
  demoWith((c) => {
    c.mesh = { engine, owner: 'frontend', name: 'chain', namespace: 'chain' };
    c.network = { peering: 'auto' };
    c.accounts[1].region = 'us-east-1';
    c.catalog = {
      name: 'chain',
      placement: {
        'service-a': [{ account: 'frontend' }, { account: 'backend' }],
        'service-b': [{ account: 'frontend' }, { account: 'backend' }],
        'service-c': [{ account: 'backend' }, { account: 'frontend', replicas: 1 }],
      },
    };
  });

/** One account with clusters in two regions, and an edge account that calls it. */
export const oneAccountTwoRegions = (engine = 'appmesh') =>
  demoWith((c) => {
    c.mesh = { engine, owner: 'shared', name: 'chain', namespace: 'chain' };
    c.network = { peering: 'auto' };
    c.accounts = [
      {
        name: 'shared',
        id: '333333333333',
        roleArn: 'arn:aws:iam::333333333333:role/cdktf-mesh-deployer',
        clusters: [
          { vpc: { cidr: '10.194.0.0/16', azCount: 2 }, cluster },
          { region: 'us-east-1', vpc: { cidr: '10.195.0.0/16', azCount: 3 }, cluster },
        ],
      },
      { name: 'edge', id: '444444444444', roleArn: 'arn:aws:iam::444444444444:role/cdktf-mesh-deployer', vpc: { cidr: '10.196.0.0/16', azCount: 2 }, cluster },
    ];
    c.catalog = {
      name: 'chain',
      placement: {
        'service-a': 'edge',
        'service-b': [{ account: 'shared' }, { account: 'shared', region: 'us-east-1' }],
        'service-c': [{ account: 'shared' }, { account: 'shared', region: 'us-east-1' }],
      },
    };
  });

/** The config with the config's own rules (not the engine's); see the note above. */
export const sitesConfig = (input: ConfigInput): MeshConfig => validateConfigWith(CONFIG_RULES, input);

/** Synthesizes every stack of a config checked by sitesConfig. */
export function synthSites(input: ConfigInput, offlinePlan = false) {
  const config = sitesConfig(input);
  const dir = scratchDir('mesh-mr-');
  const outdir = path.join(dir, 'cdktf.out');
  synthesize(config, { offlinePlan, stateDir: path.join(dir, 'state') }, outdir, () => undefined);
  const manifest = readManifest(outdir);
  return { config, outdir, stackNames: Object.keys(manifest.stacks), stack: (name: string) => new SynthStack(name, readStackJson(outdir, manifest, name)) };
}
