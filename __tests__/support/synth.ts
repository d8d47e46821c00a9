import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type MeshConfig } from '../../config/load';
import { validateConfig } from '../../app/config';
import { demoConfig } from '../../config/demo';
import type { ConfigInput } from '../../config/schema';
import type { SynthSettings } from '../../stacks/context';
import { synthesize } from '../../app/synth';
import { readManifest, readStackJson, type SynthManifest } from '../../app/synth-output';

const scratch: string[] = [];

/** A temporary folder removed after the test file (see setup.ts). */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** One synthesized stack: its Terraform JSON and questions a design review would ask of it. */
export class SynthStack {
  constructor(
    readonly name: string,
    readonly json: any,
  ) {}

  /** The JSON string the cdktf jest matchers expect. */
  get synthString(): string {
    return JSON.stringify(this.json);
  }

  /** Every resource of a Terraform type, keyed by logical id. */
  resources(type: string): Record<string, any> {
    return this.json.resource?.[type] ?? {};
  }

  resourceList(type: string): any[] {
    return Object.values(this.resources(type));
  }

  /** The single resource of `type` whose properties include `match`; fails when there is not exactly one. */
  only(type: string, match: (r: any) => boolean = () => true): any {
    const found = this.resourceList(type).filter(match);
    if (found.length !== 1) throw new Error(`expected one ${type} in ${this.name} matching, found ${found.length}`);
    return found[0];
  }

  data(type: string): Record<string, any> {
    return this.json.data?.[type] ?? {};
  }

  outputs(): Record<string, any> {
    return this.json.output ?? {};
  }

  providers(type = 'aws'): any[] {
    return this.json.provider?.[type] ?? [];
  }

  /** The alias a provider reference like "aws.frontend" points at. */
  static alias(ref: string | undefined): string | undefined {
    return ref?.split('.')[1];
  }
}

export interface SynthResult {
  config: MeshConfig;
  /** What the synth printed besides the output (engine notices). */
  notices: string[];
  outdir: string;
  manifest: SynthManifest;
  stackNames: string[];
  stack(name: string): SynthStack;
}

/** Synthesizes into `root/cdktf.out` (state under `root/state`), the way main.ts does, and returns the notices. */
function synthInto(config: MeshConfig, root: string, settings: Partial<SynthSettings> | undefined, staging = root): string[] {
  const notices: string[] = [];
  const outdir = path.join(staging, 'cdktf.out');
  synthesize(config, { offlinePlan: false, stateDir: path.join(root, 'state'), ...settings }, outdir, (line) => notices.push(line));
  fs.writeFileSync(path.join(staging, 'notices.json'), JSON.stringify(notices));
  return notices;
}

/**
 * The output folder of `config`, synthesized once per test run and shared by every test file
 * (support/global-setup.ts makes the cache). Written to a temporary sibling and renamed into
 * place, so a file being written is never read; the state folder is named at its final place,
 * so the relative state paths in the output stay right after the rename.
 */
function cachedSynth(config: MeshConfig, settings: Partial<SynthSettings> | undefined): string {
  const cache = process.env.MESH_TEST_SYNTH_CACHE;
  if (!cache) {
    const root = scratchDir('mesh-test-');
    synthInto(config, root, settings);
    return root;
  }
  const key = createHash('sha256').update(JSON.stringify({ config, settings: settings ?? null })).digest('hex').slice(0, 20);
  const root = path.join(cache, key);
  if (fs.existsSync(root)) return root;
  const staging = `${root}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  synthInto(config, root, settings, staging);
  try {
    fs.renameSync(staging, root);
  } catch {
    // Another worker finished the same config first: theirs is identical.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return root;
}

/**
 * Validates a config and synthesizes the whole app the way `main.ts` does (cross-stack
 * remote-state wiring resolved, the security controls applied). Read-only: the output may be
 * shared with other test files of the same run, so a test that writes files next to it must
 * synthesize on its own (scratchDir + synthesize).
 */
/** Whether `from` (a resource address in `stack`) depends on `to`, directly or through others (its depends_on chain). */
export function dependsOnTransitively(app: SynthResult, stack: string, from: string, to: string): boolean {
  const json = app.stack(stack).json;
  const deps = (address: string): string[] => {
    const [type, name] = address.split('.');
    return json.resource[type]?.[name]?.depends_on ?? [];
  };
  const seen = new Set<string>();
  const walk = (a: string): boolean => a === to || (!seen.has(a) && (seen.add(a), deps(a).some(walk)));
  return walk(from);
}

export function synthConfig(input: ConfigInput, settings?: Partial<SynthSettings>): SynthResult {
  const config = validateConfig(input);
  const root = cachedSynth(config, settings);
  const outdir = path.join(root, 'cdktf.out');
  const notices: string[] = JSON.parse(fs.readFileSync(path.join(root, 'notices.json'), 'utf8'));
  const manifest = readManifest(outdir);
  const cache = new Map<string, SynthStack>();
  return {
    config,
    notices,
    outdir,
    manifest,
    stackNames: Object.keys(manifest.stacks),
    stack(name: string) {
      if (!cache.has(name)) cache.set(name, new SynthStack(name, readStackJson(outdir, manifest, name)));
      return cache.get(name)!;
    },
  };
}

/** The demo config with a change applied; the change gets a deep copy, so it may mutate. */
export function demoWith(change: (c: any) => void = () => {}): ConfigInput {
  const copy = structuredClone(demoConfig);
  change(copy);
  return copy;
}

/** The walkthrough's original engine: the demo on App Mesh (discontinued; synthesized and tested, not deployable). */
export function appMeshDemoWith(change: (c: any) => void = () => {}): ConfigInput {
  return demoWith((c) => {
    c.mesh.engine = 'appmesh';
    change(c);
  });
}

/** A third account, "data", that the backend calls; frontend stays the mesh owner. */
export function threeAccountConfig(engine: 'lattice' | 'appmesh' = 'appmesh'): ConfigInput {
  return demoWith((c) => {
    c.mesh.engine = engine;
    c.accounts.push({
      ...structuredClone(c.accounts[1]),
      name: 'data',
      id: '333333333333',
      roleArn: 'arn:aws:iam::333333333333:role/cdktf-mesh-deployer',
      vpc: { cidr: '10.194.0.0/16', azCount: 3 },
    });
    c.catalog = [
      { name: 'web', account: 'frontend', port: 8080, protocol: 'http', backends: ['api'], exposure: 'public' },
      { name: 'api', account: 'backend', port: 9000, protocol: 'http', backends: ['db'], healthCheck: { type: 'http', path: '/healthz' } },
      // Lattice carries HTTP between accounts, so there the third account's store speaks http.
      engine === 'lattice' ? { name: 'db', account: 'data', port: 8080, protocol: 'http', healthCheck: { type: 'http', path: '/healthz' } } : { name: 'db', account: 'data', port: 5432, protocol: 'tcp' },
    ];
  });
}
