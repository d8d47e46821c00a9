import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import type { z } from 'zod';
import { configSchema, type ParsedConfig, type AccountConfig } from './schema';
import { ConfigError, type Problem } from './errors';
import { RULES } from './rules';
import { demoConfig } from './demo';
import { serviceSchema, type ServiceSpec } from '../services/catalog';
import { yelbCatalog } from '../services/yelb';
import { chainCatalog } from '../services/chain';

/** A config that passed every check: the only kind the stacks ever see. */
export interface MeshConfig extends Omit<ParsedConfig, 'catalog'> {
  catalogName: string;
  services: ServiceSpec[];
}

const SHIPPED_CATALOGS = { yelb: yelbCatalog, chain: chainCatalog };

function fromZod(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    const shown = 'input' in issue && issue.input !== undefined && !issue.message.includes(JSON.stringify(issue.input));
    return { path: issue.path as (string | number)[], message: shown ? `${JSON.stringify(issue.input)} ${issue.message}` : issue.message };
  });
}

/** Validates a raw config (from a file or code) and throws a ConfigError naming every problem. */
export function validateConfig(raw: unknown): MeshConfig {
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ConfigError(fromZod(parsed.error));
  const cfg = parsed.data;
  const catalogName = typeof cfg.catalog === 'string' ? cfg.catalog : 'custom';
  const services = typeof cfg.catalog === 'string' ? SHIPPED_CATALOGS[cfg.catalog].map((s) => serviceSchema.parse(s)) : cfg.catalog;
  const problems = RULES.flatMap((rule) => rule(cfg, services));
  if (problems.length > 0) throw new ConfigError(problems);
  const { catalog: _catalog, ...rest } = cfg;
  return { ...rest, catalogName, services };
}

/**
 * The config for this run: the file named by MESH_CONFIG (JSON or YAML) or the demo config.
 * The env var is read here, at the edge, and nowhere else.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): MeshConfig {
  const file = env.MESH_CONFIG;
  if (!file) return validateConfig(demoConfig);
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) {
    throw new ConfigError([{ path: ['MESH_CONFIG'], message: `file "${resolved}" does not exist. Fix: point MESH_CONFIG at a JSON or YAML config, or unset it to use the demo config` }]);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(resolved, 'utf8'));
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new ConfigError([{ path: ['MESH_CONFIG'], message: `"${resolved}" is not valid YAML or JSON (${reason}). Fix: correct the syntax at the position named` }]);
  }
  return validateConfig(raw);
}

export function accountByName(config: MeshConfig, name: string): AccountConfig {
  const account = config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`no account named "${name}" (validated configs cannot get here)`);
  return account;
}
