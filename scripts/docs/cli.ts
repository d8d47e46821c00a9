import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type MeshConfig } from '../../config/load';
import { loadConfig, validateConfig } from '../../app/config';
import { demoConfig } from '../../config/demo';
import { synthesize } from '../../app/synth';
import { configReference } from './config-reference';
import { outputsReference, type OutputSource } from './outputs-reference';

// `npm run docs`: regenerates docs/config.md and docs/outputs.md. The freshness test
// (__tests__/docs.test.ts) runs the same generation and compares.

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');

/** The configs whose synthesized outputs make the reference: both engines, and the S3 backend's bootstrap stack. */
export const OUTPUT_CONFIGS: Array<{ label: string; config: () => MeshConfig }> = [
  { label: 'the demo (config/demo.ts)', config: () => validateConfig(demoConfig) },
  { label: 'examples/three-accounts-s3-chain.yaml', config: () => loadConfig({ MESH_CONFIG: path.join(ROOT, 'examples/three-accounts-s3-chain.yaml') }) },
  { label: 'examples/appmesh-walkthrough.yaml', config: () => loadConfig({ MESH_CONFIG: path.join(ROOT, 'examples/appmesh-walkthrough.yaml') }) },
];

/** Synthesizes each config into a scratch folder, hands the outputs to `use`, and removes the folder. */
export function withOutputSources<T>(use: (sources: OutputSource[]) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-docs-'));
  try {
    const sources = OUTPUT_CONFIGS.map(({ label, config }, i) => {
      const cfg = config();
      const outdir = path.join(dir, `${i}`, 'cdktf.out');
      // The App Mesh notice is for people synthesizing to deploy, not for a reference.
      synthesize(cfg, { offlinePlan: false, stateDir: path.join(dir, `${i}`, 'state') }, outdir, () => {});
      return { label, engine: cfg.mesh.engine, backend: cfg.backend.type, accounts: cfg.accounts.map((a) => a.name), outdir };
    });
    return use(sources);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every generated reference, by path from the repository root. */
export function generateDocs(): Record<string, string> {
  return { 'docs/config.md': configReference(), 'docs/outputs.md': withOutputSources(outputsReference) };
}

if (require.main === module) {
  try {
    for (const [file, text] of Object.entries(generateDocs())) {
      const target = path.join(ROOT, file);
      const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      console.log(`${file}: ${before === text ? 'unchanged' : before === undefined ? 'written' : 'updated'}`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
