import { z } from 'zod';
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

/** The config's `catalog` field, parsed: a shipped catalog's name, the same placed, or a list of services. */
export type CatalogField = ShippedName | z.output<typeof placedCatalogSchema> | ServiceSpec[];

/** The shipped catalog a config uses (with its placement), or undefined for a list of services. */
export function shipped(catalog: CatalogField): { name: ShippedName; placement: Record<string, string> } | undefined {
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
