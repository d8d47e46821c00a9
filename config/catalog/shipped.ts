import { z } from 'zod';
import type { Problem } from '../errors';
import type { ParsedConfig } from '../schema';
import type { RuleSpec } from '../rule-spec';
import { nearest, oneOf } from '../wording';
import { serviceSchema, type ServiceInput, type ServiceSpec } from './schema';
import { yelbCatalog } from './yelb';
import { chainCatalog } from './chain';

// The catalogs that ship with the project, and how a config places them on its own accounts:
// `catalog: chain` keeps the accounts they were written for (frontend, backend);
// `catalog: { name: chain, placement: { service-a: edge, ... } }` moves named services to the
// config's accounts. A service left out of the placement keeps its account.

export const SHIPPED_CATALOGS: Readonly<Record<'yelb' | 'chain', ServiceInput[]>> = { yelb: yelbCatalog, chain: chainCatalog };
export const SHIPPED_NAMES = ['yelb', 'chain'] as const;
export type ShippedName = (typeof SHIPPED_NAMES)[number];

/** The mapping form: service name → account name. */
export const placedCatalogSchema = z.strictObject({
  name: z.enum(SHIPPED_NAMES, { error: (i) => `${JSON.stringify(i.input)} is not a shipped catalog. Fix: use "yelb" or "chain"` }).describe('The shipped catalog, yelb or chain; both were written for accounts named frontend and backend'),
  placement: z.record(z.string(), z.string()).default({}).describe('Service name → account name; a service left out keeps the account it was written for'),
});

type CatalogField = ParsedConfig['catalog'];

/** The shipped catalog a config uses (with its placement), or undefined for a list of services. */
function shipped(catalog: CatalogField): { name: ShippedName; placement: Record<string, string> } | undefined {
  if (typeof catalog === 'string') return { name: catalog, placement: {} };
  return Array.isArray(catalog) ? undefined : catalog;
}

export function catalogName(catalog: CatalogField): string {
  return shipped(catalog)?.name ?? 'custom';
}

/** The services a catalog field stands for, each on its account. */
export function resolveServices(catalog: CatalogField): ServiceSpec[] {
  const ship = shipped(catalog);
  if (!ship) return catalog as ServiceSpec[];
  return SHIPPED_CATALOGS[ship.name].map((s) => serviceSchema.parse({ ...s, account: ship.placement[s.name] ?? s.account }));
}

/** A placement that puts the shipped catalog on `accounts`, keeping its grouping: the example a fix shows. */
function examplePlacement(name: ShippedName, accounts: string[]): string {
  const defaults = [...new Set(SHIPPED_CATALOGS[name].map((s) => s.account))];
  const pairs = SHIPPED_CATALOGS[name].map((s) => `${s.name}: ${accounts[defaults.indexOf(s.account) % accounts.length] ?? '<account>'}`);
  return `catalog: { name: ${name}, placement: { ${pairs.join(', ')} } }`;
}

function placementProblems(cfg: Pick<ParsedConfig, 'accounts' | 'catalog'>): Problem[] {
  const ship = shipped(cfg.catalog);
  if (!ship) return [];
  const accounts = cfg.accounts.map((a) => a.name);
  const serviceNames = SHIPPED_CATALOGS[ship.name].map((s) => s.name);
  const problems: Problem[] = [];
  for (const [service, account] of Object.entries(ship.placement)) {
    const path = ['catalog', 'placement', service];
    if (!serviceNames.includes(service)) {
      const near = nearest(service, serviceNames);
      problems.push({ path, message: `"${service}" is not a service of the shipped catalog "${ship.name}". Fix: place one of ${oneOf(serviceNames)}${near ? ` ("${near}" is closest)` : ''}` });
    } else if (!accounts.includes(account)) {
      const near = nearest(account, accounts);
      problems.push({ path, message: `account "${account}" is not defined. Fix: use one of ${oneOf(accounts)}${near ? ` ("${near}" is closest)` : ''}, or add it under accounts` });
    }
  }
  const stranded = SHIPPED_CATALOGS[ship.name].filter((s) => !(s.name in ship.placement) && !accounts.includes(s.account));
  if (stranded.length === 0) return problems;
  const where = [...new Set(stranded.map((s) => s.account))].map((a) => `"${a}"`).join(' and ');
  if (typeof cfg.catalog === 'string') {
    problems.push({ path: ['catalog'], message: `the shipped catalog "${ship.name}" runs in account ${where}, which this config does not define. Fix: place it on your accounts: ${examplePlacement(ship.name, accounts)}` });
  } else {
    const which = stranded.map((s) => s.name).join(', ');
    problems.push({ path: ['catalog', 'placement'], message: `leaves ${which} in account ${where}, which this config does not define. Fix: add ${stranded.map((s) => `${s.name}: ${accounts[0]}`).join(', ')} (or another account) to catalog.placement` });
  }
  return problems;
}

export const SHIPPED_RULES: RuleSpec[] = [{ about: "services' accounts", needs: ['accounts', 'catalog'], applies: (cfg) => !Array.isArray(cfg.catalog), check: placementProblems }];
