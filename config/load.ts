import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { distance } from 'fastest-levenshtein';
import type { AccountConfig } from './schema';
import { ConfigError } from './errors';
import { demoConfig } from './demo';
import { YamlSource } from './yaml-source';
import { validateConfigWith, type MeshConfig } from './validate';
import type { RuleSpec } from './rule-spec';

export { validateConfigWith, type MeshConfig };

const FIX_POINT = 'point MESH_CONFIG at a JSON or YAML config file, or unset it to use the demo config';

function fileProblem(message: string): ConfigError {
  return new ConfigError([{ path: ['MESH_CONFIG'], message }]);
}

/** `~/x` → the home folder's x, as a shell would have done had the path not been quoted. */
function expandHome(file: string, env: NodeJS.ProcessEnv): string {
  return file === '~' || file.startsWith('~/') ? path.join(env.HOME || os.homedir(), file.slice(1)) : file;
}

/** The config files in a folder, for the fix when MESH_CONFIG names the folder. */
function configFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/i.test(f)).sort();
}

/**
 * The config for this run: the file named by MESH_CONFIG (JSON or YAML) or the demo config.
 * The env var is read here, at the edge, and nowhere else.
 */
export function loadConfigWith(rules: RuleSpec[], env: NodeJS.ProcessEnv = process.env): MeshConfig {
  const file = env.MESH_CONFIG;
  if (!file) return validateConfigWith(rules, demoConfig);
  const resolved = path.resolve(expandHome(file, env));
  if (!fs.existsSync(resolved)) throw fileProblem(`file "${resolved}" does not exist. Fix: ${FIX_POINT}`);
  if (fs.statSync(resolved).isDirectory()) {
    const inside = configFilesIn(resolved);
    throw fileProblem(`"${resolved}" is a folder, not a config file. Fix: ${inside.length ? `point MESH_CONFIG at a file in it (${inside.slice(0, 3).join(', ')})` : FIX_POINT}`);
  }
  const text = fs.readFileSync(resolved, 'utf8');
  if (text.trim() === '') throw fileProblem(`"${resolved}" is empty. Fix: write the config in it (README, "Configuration"), or unset MESH_CONFIG to use the demo config`);
  const read = YamlSource.parse(text);
  if ('error' in read) throw fileProblem(`"${resolved}" is not valid YAML or JSON (${read.error}). Fix: correct the syntax at the position named`);
  if (read.value === null) throw fileProblem(`"${resolved}" holds only comments, no config. Fix: write the config in it (README, "Configuration"), or unset MESH_CONFIG to use the demo config`);
  return validateConfigWith(rules, read.value, read.source);
}

/** Where this run's config comes from, as the synth summary reports it. */
export interface ConfigSource {
  /** The file MESH_CONFIG names, resolved; absent for the built-in demo config. */
  file?: string;
  /** With MESH_CONFIG unset: the set variables whose names look like a mistyped MESH_CONFIG. */
  lookalikes: string[];
}

const squash = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * MESHCONFIG, MESH_CONFIG_FILE, mesh_config, MESH_CONFG, ...: a typo that would otherwise
 * build the demo config without a word.
 */
function looksLikeMeshConfig(name: string): boolean {
  const squashed = squash(name);
  return name !== 'MESH_CONFIG' && (squashed.includes('MESHCONFIG') || squashed.startsWith('MESHCONF') || distance(squashed, 'MESHCONFIG') <= 2);
}

export function configSource(env: NodeJS.ProcessEnv = process.env): ConfigSource {
  const file = env.MESH_CONFIG;
  if (file) return { file: path.resolve(expandHome(file, env)), lookalikes: [] };
  return { lookalikes: Object.keys(env).filter((k) => env[k] && looksLikeMeshConfig(k)).sort() };
}

export function accountByName(config: MeshConfig, name: string): AccountConfig {
  const account = config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`no account named "${name}" (validated configs cannot get here)`);
  return account;
}
