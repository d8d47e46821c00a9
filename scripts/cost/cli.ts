import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig } from '../../app/config';
import { synthesize } from '../../app/synth';
import { estimate } from './estimate';
import { readSynthesizedStacks } from './inventory';
import { CostUsageError, helpText, parseCostOptions } from './parameters';
import { priceTableFor } from './prices';
import { fullReport, stackLine, usd } from './report';

// `npm run cost [-- --logs-gb 50 ...]`: the monthly cost of the config in MESH_CONFIG (or the
// demo), priced from what it synthesizes into a scratch folder, never from the config itself.

function main(argv: string[], env: NodeJS.ProcessEnv): number {
  const options = parseCostOptions(argv, env, new Date().toISOString().slice(0, 10));
  if (options.help) {
    console.log(helpText());
    return 0;
  }
  const say = options.quiet ? () => {} : (line: string) => console.log(line);
  const config = loadConfig(env);
  // Before the synth: a region without prices stops at once.
  const table = priceTableFor(config.region);
  say(`cost: ${env.MESH_CONFIG ? `config ${path.resolve(env.MESH_CONFIG)}` : 'the demo config (MESH_CONFIG is unset)'}, engine ${config.mesh.engine}, region ${config.region}: synthesizing into a scratch folder`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-cost-'));
  try {
    const started = Date.now();
    const outdir = path.join(scratch, 'cdktf.out');
    synthesize(config, { offlinePlan: false, stateDir: path.join(scratch, 'state') }, outdir, (line) => console.error(line));
    const stacks = readSynthesizedStacks(outdir);
    say(`cost: synthesized ${stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s; prices for ${table.region} read ${table.readOn} (scripts/cost/prices.ts)`);
    const result = estimate(stacks, { region: config.region, params: options.params, on: options.on });
    const width = Math.max(...result.stacks.map((s) => s.stack.length));
    for (const s of result.stacks) say(stackLine(s, width));
    console.log(options.quiet ? usd(result.total) : fullReport(result, options.origins));
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main(process.argv.slice(2), process.env);
} catch (error) {
  // Config, option and region problems are written for the user; none needs a stack trace.
  console.error(error instanceof CostUsageError || error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
