import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { scaleConfig } from '../../config/scale';
import { validateConfig } from '../../app/config';
import { synthesize } from '../../app/synth';
import { isEngine } from '../../engines/registry';
import { median } from './measure';

// The multi-region variant of the scale benchmark: 10 accounts x 100 services in 1 and in 3
// regions, synthesized in this process (validation with every rule, then every stack),
// so the two differ only in the regions. Both use Istio, the engine that spans regions.

export interface RegionGrowth {
  lines: string[];
}

function synthSeconds(regions: number, engine: string): number {
  const input = scaleConfig(10, 100, regions);
  input.mesh = { ...input.mesh!, engine };
  input.network = { peering: 'auto' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-regions-'));
  try {
    const start = performance.now();
    // Every rule, the engine's included: the bench synthesizes only what a user could.
    const config = validateConfig(input);
    synthesize(config, { offlinePlan: false, stateDir: path.join(dir, 'state') }, path.join(dir, 'cdktf.out'), () => undefined);
    return (performance.now() - start) / 1000;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Median in-process synth time of 10x100 in 1 and 3 regions, runs interleaved, and the growth. */
export function regionGrowth(runs: number, targetSeconds = 3): RegionGrowth {
  const engine = isEngine('istio') ? 'istio' : 'appmesh';
  synthSeconds(1, engine);
  const one: number[] = [];
  const three: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(synthSeconds(1, engine));
    three.push(synthSeconds(3, engine));
  }
  const [m1, m3] = [median(one), median(three)];
  return {
    lines: [
      `regions (in process, engine ${engine}${engine === 'istio' ? '' : ': Istio not registered yet'}): 10x100 in 1 region median ${m1.toFixed(2)} s, in 3 regions ${m3.toFixed(2)} s, growth ${(m3 / m1).toFixed(2)}x`,
      `target: 10x100 in 3 regions, in-process synth median <= ${targetSeconds} s: ${m3 <= targetSeconds ? 'met' : 'MISSED'} (${m3.toFixed(2)} s)`,
    ],
  };
}
