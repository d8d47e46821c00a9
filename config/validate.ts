import { configSchema, type AccountConfig, type AccountEntry, type ParsedConfig } from './schema';
import { ConfigError, formatPath, type Problem } from './errors';
import { IssueReader, type FlatIssue } from './issues';
import { readNumbersAsWritten, type YamlSource } from './yaml-source';
import { ALL_SECTIONS, type RuleSpec, type Section } from './rule-spec';
import { placeService, serviceSchema, type ServiceEntry, type ServiceSpec } from './catalog/schema';
import { homeRegionOf, sitesOf } from './sites';
import { catalogName, resolveServices } from './catalog/shipped';

/** A config that passed every check: the only kind the stacks ever see. */
export interface MeshConfig extends Omit<ParsedConfig, 'catalog' | 'accounts'> {
  /** Every site (config/sites.ts): an account's cluster in one region, keyed by its site name. */
  accounts: AccountConfig[];
  catalogName: string;
  services: ServiceSpec[];
}

type Path = ReadonlyArray<string | number>;

/** What parsed of a config: whole sections, and the accounts and services one by one (by index). */
interface Parts {
  cfg: Partial<ParsedConfig>;
  complete: Set<Section>;
  accounts: Array<AccountEntry | undefined>;
  services: Array<ServiceSpec | undefined>;
}

const EACH_SECTION = { account: 'accounts', service: 'catalog' } as const;

function parse(raw: unknown, reader: IssueReader) {
  return configSchema.safeParse(raw, { reportInput: true, error: reader.errorMap });
}

const startsWith = (path: Path, prefix: Path) => prefix.every((p, i) => path[i] === p);

/** The sections and entries that have no issue, each parsed on its own. */
function salvage(raw: unknown, issues: FlatIssue[]): Parts {
  const input = (raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const failed = (prefix: Path) => issues.some((f) => startsWith(f.path, prefix));
  const parts: Parts = { cfg: {}, complete: new Set(), accounts: [], services: [] };
  for (const section of ALL_SECTIONS) {
    if (failed([section])) continue;
    const result = configSchema.shape[section].safeParse(input[section]);
    if (!result.success) continue;
    (parts.cfg as Record<string, unknown>)[section] = result.data;
    parts.complete.add(section);
  }
  const entries = <T>(section: 'accounts' | 'catalog', schema: { safeParse(v: unknown): { success: boolean; data?: T } }): Array<T | undefined> => {
    const list = input[section];
    return Array.isArray(list) ? list.map((entry, i) => (failed([section, i]) ? undefined : schema.safeParse(entry).data)) : [];
  };
  parts.accounts = parts.cfg.accounts ?? entries<AccountEntry>('accounts', configSchema.shape.accounts.element);
  const homes = homeRegions(parts.accounts, parts.cfg.region);
  if (parts.cfg.catalog !== undefined) {
    parts.services = resolveServices(parts.cfg.catalog, homes);
  } else {
    parts.services = entries<ServiceEntry>('catalog', serviceSchema).map((s) => s && placeService(s, homes));
    // Rules that read one service at a time ask whether the catalog is a list; it is.
    if (parts.services.length) parts.cfg.catalog = parts.services.filter((s): s is ServiceSpec => s !== undefined) as unknown as ServiceEntry[];
  }
  return parts;
}

/** Each parsed account's home region, for placing services on sites. */
function homeRegions(accounts: Array<AccountEntry | undefined>, region: string | undefined) {
  const homes = new Map(accounts.flatMap((a) => (a ? [[a.name, homeRegionOf(a, region)] as const] : [])));
  return (account: string) => homes.get(account);
}

function whole(cfg: ParsedConfig): Parts {
  return { cfg, complete: new Set(ALL_SECTIONS), accounts: cfg.accounts, services: resolveServices(cfg.catalog, homeRegions(cfg.accounts, cfg.region)) };
}

/** Why a section is not complete, in the user's terms: the entries that did not parse, or the section. */
function notParsed(parts: Parts, section: Section): string {
  const list = section === 'accounts' ? parts.accounts : section === 'catalog' ? parts.services : [];
  const bad = list.flatMap((e, i) => (e === undefined ? [formatPath([section, i])] : []));
  return bad.length ? bad.join(', ') : section;
}

/** Runs every rule on what parsed; says which rules or entries it had to leave out, and why. */
function runRules(parts: Parts, rules: RuleSpec[]): { problems: Problem[]; skipped: string[] } {
  const problems: Problem[] = [];
  const skippedWhole = new Map<string, string[]>();
  const skippedEntries = new Map<string, string[]>();
  const note = (map: Map<string, string[]>, key: string, about: string) => map.set(key, [...new Set([...(map.get(key) ?? []), about])]);
  const allServices = parts.services.filter((s): s is ServiceSpec => s !== undefined);
  for (const rule of rules) {
    if (rule.applies && !rule.applies(parts.cfg)) continue;
    const iterated = rule.each && EACH_SECTION[rule.each];
    const missing = rule.needs.filter((n) => n !== iterated && !parts.complete.has(n));
    if (missing.length) {
      note(skippedWhole, missing.map((m) => notParsed(parts, m)).join(', '), rule.about);
      continue;
    }
    if (!rule.each) {
      problems.push(...rule.check(parts.cfg as ParsedConfig, allServices));
      continue;
    }
    const list: Array<AccountEntry | ServiceSpec | undefined> = rule.each === 'account' ? parts.accounts : parts.services;
    list.forEach((entry, i) => {
      const section = EACH_SECTION[rule.each!];
      if (entry === undefined) {
        note(skippedEntries, formatPath([section, i]), rule.about);
        return;
      }
      const found = rule.each === 'account' ? rule.check({ ...parts.cfg, accounts: [entry as AccountEntry] } as ParsedConfig, allServices) : rule.check(parts.cfg as ParsedConfig, [entry as ServiceSpec]);
      // The rule saw a list of one: its index 0 is this entry's real index.
      problems.push(...found.map((p) => (p.path[0] === section && p.path[1] === 0 ? { ...p, path: [section, i, ...p.path.slice(2)] } : p)));
    });
  }
  const skipped = [
    ...[...skippedEntries].map(([entry, abouts]) => `${entry}: its checks (${abouts.join(', ')}) skipped: its fields did not parse`),
    ...[...skippedWhole].map(([reason, abouts]) => `${abouts.join(', ')}: skipped, because ${reason} did not parse`),
  ];
  return { problems, skipped };
}

/**
 * Validates a raw config (from a file or code) and throws a ConfigError naming every problem:
 * those of the schema, and those of the cross-field rules run on whatever parsed. With the YAML
 * source, numbers YAML made of unquoted text are read as written where that loses nothing, and
 * every problem carries its line and column.
 */
export function validateConfigWith(rules: RuleSpec[], raw: unknown, source?: YamlSource): MeshConfig {
  const reader = new IssueReader();
  let input = raw;
  let parsed = parse(input, reader);
  const problems: Problem[] = [];
  if (!parsed.success && source) {
    const read = readNumbersAsWritten(input, reader.flatten(parsed.error.issues), source);
    problems.push(...read.problems);
    if (read.changed) {
      input = read.raw;
      parsed = parse(input, reader);
    }
  }
  const issues = parsed.success ? [] : reader.flatten(parsed.error.issues);
  problems.push(...issues.map((i) => reader.problem(i)));
  const parts = parsed.success ? whole(parsed.data) : salvage(input, issues);
  const checked = runRules(parts, rules);
  problems.push(...checked.problems);
  if (problems.length > 0) {
    throw new ConfigError(source ? problems.map((p) => ({ ...p, at: p.at ?? source.locate(p.path) })) : problems, 'config', checked.skipped);
  }
  const { catalog, accounts, ...rest } = parsed.data as ParsedConfig;
  return { ...rest, accounts: sitesOf({ region: rest.region, accounts }), catalogName: catalogName(catalog), services: parts.services as ServiceSpec[] };
}
