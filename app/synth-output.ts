import * as fs from 'fs';
import * as path from 'path';

// Reading back what a synth wrote: cdktf's manifest.json and each stack's Terraform JSON. The
// security controls, the offline plan, the diagram, the benchmark and the tests all read it.

/** The part of cdktf's manifest.json this project reads. */
export interface SynthManifest {
  stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string; workingDirectory: string }>;
}

export function readManifest(outdir: string): SynthManifest {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
}

/** One stack's synthesized Terraform JSON (cdk.tf.json). */
export function readStackJson(outdir: string, manifest: SynthManifest, stack: string): any {
  const entry = manifest.stacks[stack];
  if (!entry) throw new Error(`no stack "${stack}" in ${outdir}; have ${Object.keys(manifest.stacks).join(', ')}`);
  return JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8'));
}
