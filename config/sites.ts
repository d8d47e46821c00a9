import type { AccountConfig, AccountEntry } from './schema';

// A site is one VPC and one EKS cluster of an account in one region: the unit every stack,
// name and provider is keyed by. IAM is global per account, so two clusters of one account need
// different cluster names (every role name derives from one); keying by site gives them that.
// The site in the account's home region keeps the account's name as its key, so a config
// written before regions existed synthesizes byte-identically, and adding a region to an
// account adds stacks instead of renaming (replacing) the running cluster.

export type Path = Array<string | number>;

/** The key of an account's site in a region: the account's name at home, <account>-<region> elsewhere. */
export const siteKey = (account: string, region: string, homeRegion: string) => (region === homeRegion ? account : `${account}-${region}`);

/** An account's home region: its own, else the config's. */
export const homeRegionOf = (a: Pick<AccountEntry, 'region'>, defaultRegion: string | undefined) => a.region ?? defaultRegion ?? '';

/** Where a site was written, for messages: accounts[i] (vpc + cluster) or accounts[i].clusters[j]. */
export interface PlacedSite {
  site: AccountConfig;
  path: Path;
}

/** Every site of the accounts as written, each with the path it came from; an account with neither form has none. */
export function sitesWithPaths(cfg: { region?: string; accounts: AccountEntry[] }): PlacedSite[] {
  return cfg.accounts.flatMap((a, i) => {
    const { vpc, cluster, clusters, region: _region, ...rest } = a;
    const home = homeRegionOf(a, cfg.region);
    const make = (region: string, v: NonNullable<typeof vpc>, c: NonNullable<typeof cluster>, path: Path): PlacedSite => ({
      site: { ...rest, name: siteKey(a.name, region, home), account: a.name, region, home: region === home, vpc: v, cluster: c },
      path,
    });
    if (clusters) return clusters.map((s, j) => make(s.region ?? home, s.vpc, s.cluster, ['accounts', i, 'clusters', j]));
    return vpc && cluster ? [make(home, vpc, cluster, ['accounts', i])] : [];
  });
}

export const sitesOf = (cfg: { region?: string; accounts: AccountEntry[] }): AccountConfig[] => sitesWithPaths(cfg).map((s) => s.site);

/**
 * The SNS topic the alarms of a region notify: the region's entry in alarmTopicArns, else
 * alarmTopicArn where its topic is in that region or the config has one region only (as before
 * regions existed). An alarm is assumed to reach only a topic of its own region: AWS documents
 * no cross-region alarm action, so none is configured (config/site-rules.ts stops the gap).
 */
export function alarmTopicFor(o: { alarmTopicArn?: string; alarmTopicArns?: Record<string, string> }, region: string, singleRegion: boolean): string | undefined {
  const own = o.alarmTopicArns?.[region];
  if (own) return own;
  return o.alarmTopicArn && (singleRegion || o.alarmTopicArn.split(':')[3] === region) ? o.alarmTopicArn : undefined;
}

/** The regions with at least one site, home region of the mesh owner first. */
export function regionsOf(sites: readonly AccountConfig[], first?: string): string[] {
  const all = [...new Set(sites.map((s) => s.region))];
  return first && all.includes(first) ? [first, ...all.filter((r) => r !== first)] : all;
}
