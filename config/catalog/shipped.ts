import { z } from 'zod';
import { placeService, placementSchema, serviceSchema, trafficSchema, type ServiceEntry, type ServiceInput, type ServiceSpec } from './schema';
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
  placement: z
    .record(z.string(), z.union([z.string(), z.array(placementSchema).min(1)]))
    .default({})
    .describe('Service name → account name, or a list of placements ({ account, region, replicas }) to run it in several regions; a service left out keeps the account it was written for'),
  traffic: z
    .record(z.string(), trafficSchema)
    .optional()
    .describe("Service name → its traffic policy, replacing the shipped one: e.g. the outlier detection a service placed in several regions needs to fail over"),
});

/** The config's `catalog` field, parsed: a shipped catalog's name, the same placed, or a list of services. */
export type CatalogField = ShippedName | z.output<typeof placedCatalogSchema> | ServiceEntry[];

/** The shipped catalog a config uses (with its placement), or undefined for a list of services. */
export type ShippedPlacement = z.output<typeof placedCatalogSchema>['placement'][string];

export function shipped(catalog: CatalogField): { name: ShippedName; placement: Record<string, ShippedPlacement>; traffic?: Record<string, unknown> } | undefined {
  if (typeof catalog === 'string') return { name: catalog, placement: {} };
  return Array.isArray(catalog) ? undefined : catalog;
}

export function catalogName(catalog: CatalogField): string {
  return shipped(catalog)?.name ?? 'custom';
}

/** The accounts a shipped placement names. */
export const placedAccounts = (p: ShippedPlacement) => (typeof p === 'string' ? [p] : p.map((x) => x.account));

/** The services a catalog field stands for, each placed on its sites (`homeRegion` of each account that parsed). */
export function resolveServices(catalog: CatalogField, homeRegion: (account: string) => string | undefined = () => undefined): ServiceSpec[] {
  const ship = shipped(catalog);
  if (!ship) return (catalog as ServiceEntry[]).map((s) => placeService(s, homeRegion));
  return SHIPPED_CATALOGS[ship.name].map((s) => {
    const placed = ship.placement[s.name];
    const where = placed === undefined ? { account: s.account } : typeof placed === 'string' ? { account: placed } : { account: undefined, placements: placed };
    const traffic = ship.traffic?.[s.name];
    return placeService(serviceSchema.parse({ ...s, ...where, ...(traffic ? { traffic } : {}) }), homeRegion);
  });
}
