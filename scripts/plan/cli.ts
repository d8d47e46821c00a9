import * as path from 'path';
import { configSource } from '../../config/load';
import { loadConfig } from '../../app/config';
import { describeSource, lookalikeWarning } from '../../app/synth-summary';
import { formatProgress, formatReport, runOfflinePlan } from './offline-plan';

// `npm run plan`: the offline plan of every AWS-only stack of the config in MESH_CONFIG (or the
// demo). A line per stack as it finishes, then the table in dependency order.
async function main(): Promise<number> {
  const source = configSource();
  for (const warning of lookalikeWarning(source)) console.warn(warning);
  const config = loadConfig();
  console.log(`offline plan of ${describeSource(source)}: synthesizing in offline mode, then terraform init, validate and plan per AWS-only stack, 3 at a time`);
  const report = await runOfflinePlan({ config, workdir: path.resolve('.offline-plan'), onResult: (plan) => console.log(`  ${formatProgress(plan)}`) });
  console.log(`\n${formatReport(report)}`);
  const failed = report.filter((r) => r.result === 'failed');
  for (const f of failed) console.error(`\n${f.error}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
