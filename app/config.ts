import { loadConfigWith, validateConfigWith, type MeshConfig } from '../config/load';
import { CONFIG_RULES } from '../config/rules';
import type { RuleSpec } from '../config/rule-spec';
import type { YamlSource } from '../config/yaml-source';
import { ENGINE_RULES } from '../engines/rules';

// The one place a config is validated: the config's own rules and those of the mesh engines,
// run together so a user sees every problem at once.

export type { MeshConfig };

/** Every rule a config must pass, the engine's last (they read all of it). */
export const RULES: RuleSpec[] = [...CONFIG_RULES, ...ENGINE_RULES];

/** Validates a raw config (from a file or code); throws a ConfigError naming every problem. */
export const validateConfig = (raw: unknown, source?: YamlSource): MeshConfig => validateConfigWith(RULES, raw, source);

/** The config for this run: the file named by MESH_CONFIG (JSON or YAML), or the demo config. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): MeshConfig => loadConfigWith(RULES, env);
