import { synthesizeFromEnv } from './app/synth';

// The edge: read the environment and the config once, validate, then build and write.
try {
  synthesizeFromEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
