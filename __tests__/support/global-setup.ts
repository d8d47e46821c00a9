import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * One synth cache per test run: test files that synthesize the same config share its output
 * (support/synth.ts), so the demo is synthesized once per run instead of once per file. Workers
 * inherit the variable; global-teardown.ts removes the folder.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-synth-cache-'));
  process.env.MESH_TEST_SYNTH_CACHE = dir;
}
