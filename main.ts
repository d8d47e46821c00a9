import { configSource } from './config/load';
import { loadConfig } from './app/config';
import { settingsFromEnv, startedByCdktfCli, synthesize } from './app/synth';
import { formatOneLine, formatSummary, lookalikeWarning, quietRequested, summarizeOutput } from './app/synth-summary';

// The edge: read the arguments, the environment and the config once, validate, then build and
// write, and say what was written. `--quiet` (or CI set) keeps stdout empty; warnings, engine
// notices, policy waivers and errors go to stderr whatever the mode, and exit codes do not change.

try {
  const env = process.env;
  const quiet = quietRequested(process.argv.slice(2), env);
  const source = configSource(env);
  for (const warning of lookalikeWarning(source)) console.warn(warning);
  const config = loadConfig(env);
  const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
  const cdktfCli = startedByCdktfCli(env);
  synthesize(config, settingsFromEnv(env), outdir, undefined, { cdktfCli });
  if (!quiet) {
    const summary = summarizeOutput(outdir);
    console.log(cdktfCli ? formatOneLine(summary, config, source) : formatSummary(summary, config, source));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
