import type { Problem } from './errors';
import type { ParsedConfig } from './schema';
import type { ServiceSpec } from './catalog/schema';

// How a cross-field rule declares what it reads, so the loader can run it on the parts of a
// config that parsed and say which rules it had to skip (and why) for the parts that did not.

export type Section = keyof ParsedConfig;

export type Rule = (cfg: ParsedConfig, services: ServiceSpec[]) => Problem[];

export interface RuleSpec {
  /** What the rule checks, in a few words, for the "not checked yet" list. */
  about: string;
  /** The top-level sections it reads; 'catalog' stands for the resolved services too. */
  needs: Section[];
  /**
   * 'account' or 'service': the rule reads one entry at a time (its problems' paths are
   * `accounts[0]…` or `catalog[0]…`), so it runs on every entry that parsed, with its real index,
   * even when a sibling did not.
   */
  each?: 'account' | 'service';
  /** Whether the rule concerns this config at all (a shipped catalog's placement, say); default yes. */
  applies?: (cfg: Partial<ParsedConfig>) => boolean;
  check: Rule;
}

export const ALL_SECTIONS: Section[] = ['project', 'region', 'accounts', 'mesh', 'network', 'observability', 'catalog', 'backend', 'tags', 'policy'];
