import { loadConfig } from './config/load';
import { synthesize, settingsFromEnv } from './stacks/synth';

// The edge: read the environment and the config once, validate, then build and write.
try {
  synthesize(loadConfig(), settingsFromEnv());
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
