import type { MeshConfig } from '../config/load';

/** How this synth runs; read from the environment once, in main.ts or a script. */
export interface SynthSettings {
  /**
   * Offline plan mode: providers get placeholder credentials and skip flags, state lives in a
   * scratch folder, and upstream outputs fall back to labeled mocks. Never set for a deploy.
   */
  offlinePlan: boolean;
  /** Where local-backend state files live (absolute). */
  stateDir: string;
}

export interface StackContext {
  config: MeshConfig;
  settings: SynthSettings;
}
