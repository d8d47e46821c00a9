import * as path from 'path';
import { loadConfig } from '../../app/config';
import { formatReport, runOfflinePlan } from './offline-plan';

// `npm run plan`: the offline plan of every AWS-only stack of the config in MESH_CONFIG (or the demo).
async function main(): Promise<number> {
  const report = await runOfflinePlan({ config: loadConfig(), workdir: path.resolve('.offline-plan') });
  console.log(formatReport(report));
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
