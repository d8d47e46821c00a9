import type { Problem } from './errors';
import type { ParsedConfig } from './schema';
import type { PlacementEntry, ServiceSpec } from './catalog/schema';
import type { Rule, RuleSpec } from './rule-spec';
import { shipped } from './catalog/shipped';
import { alarmTopicFor, homeRegionOf, sitesOf, type Path } from './sites';
import { nearest, oneOf } from './wording';

// Rules about sites (an account's cluster per region) and where services are placed on them.
// One placement per region: the region is the failover unit, and the "no ready endpoint in a
// region" alarm then reads one cluster's metric (docs/multi-region.md).

/** Each account is written in one of the two forms, with at most one cluster per region. */
const siteForms: Rule = (cfg) =>
  cfg.accounts.flatMap((a, i): Problem[] => {
    const at = ['accounts', i];
    if (a.clusters && (a.vpc || a.cluster)) {
      return [{ path: [...at, 'clusters'], message: `is set together with ${a.vpc ? 'vpc' : 'cluster'}; an account lists its clusters one way. Fix: move vpc and cluster into a clusters entry, or remove clusters` }];
    }
    if (!a.clusters && !(a.vpc && a.cluster)) {
      const missing = a.vpc ? 'cluster' : 'vpc';
      return [{ path: [...at, missing], message: `is missing: account ${a.name} needs a VPC and an EKS cluster. Fix: add ${a.vpc || a.cluster ? missing : 'vpc and cluster'}, or list them under clusters: [{ region, vpc, cluster }]` }];
    }
    const home = homeRegionOf(a, cfg.region);
    const seen = new Map<string, number>();
    return (a.clusters ?? []).flatMap((c, j): Problem[] => {
      const region = c.region ?? home;
      const first = seen.get(region);
      seen.set(region, first ?? j);
      if (first === undefined) return [];
      return [{ path: [...at, 'clusters', j, 'region'], message: `"${region}" already holds clusters[${first}] of account ${a.name}; an account has at most one cluster per region. Fix: remove this entry or give it another region` }];
    });
  });

/** A site key (<account>-<region>) must not be another account's name: both would name the same stacks. */
const siteKeysUnique: Rule = (cfg) => {
  const names = new Set(cfg.accounts.map((a) => a.name));
  return cfg.accounts.flatMap((a, i) =>
    (a.clusters ?? []).flatMap((c, j): Problem[] => {
      const region = c.region ?? homeRegionOf(a, cfg.region);
      const key = `${a.name}-${region}`;
      return region !== homeRegionOf(a, cfg.region) && names.has(key)
        ? [{ path: ['accounts', i, 'clusters', j, 'region'], message: `"${region}": this cluster's stacks would be named ${key}, which is also an account's name. Fix: rename the account ${key}` }]
        : [];
    }),
  );
};

/** Problems of one list of placements: each names an existing site, and no region twice. */
export function placementListProblems(placements: PlacementEntry[], at: (j: number) => Path, cfg: Pick<ParsedConfig, 'accounts' | 'region'>): Problem[] {
  const sites = sitesOf(cfg);
  const accounts = cfg.accounts.map((a) => a.name);
  const regions = new Map<string, number>();
  return placements.flatMap((p, j): Problem[] => {
    const entry = cfg.accounts.find((a) => a.name === p.account);
    if (!entry) {
      const near = nearest(p.account, accounts);
      return [{ path: [...at(j), 'account'], message: `account "${p.account}" is not defined. Fix: use one of ${oneOf(accounts)}${near ? ` ("${near}" is closest)` : ''}, or add it under accounts` }];
    }
    const region = p.region ?? homeRegionOf(entry, cfg.region);
    const own = sites.filter((s) => s.account === p.account).map((s) => s.region);
    if (!own.includes(region)) {
      return [{ path: [...at(j), 'region'], message: `"${region}": account ${p.account} has no cluster there (its clusters: ${own.join(', ')}). Fix: use one of those regions, or add { region: ${region}, vpc, cluster } to its clusters` }];
    }
    const first = regions.get(region);
    regions.set(region, first ?? j);
    return first === undefined
      ? []
      : [{ path: [...at(j), 'region'], message: `"${region}" already holds placement ${first} of this service; the region is the failover unit, so a service runs at most once per region. Fix: remove one, or raise replicas on the other` }];
  });
}

/** A service is placed one way (account [+ region], or placements), on sites that exist. */
const servicePlacements: Rule = (cfg, services: ServiceSpec[]) =>
  services.flatMap((s, i): Problem[] => {
    const at = ['catalog', i];
    const { account, placements } = s.declared;
    if (account !== undefined && placements) {
      return [{ path: [...at, 'placements'], message: `is set together with account "${account}"; a service is placed one way. Fix: remove account and list it in placements, or remove placements` }];
    }
    if (account === undefined && !placements) {
      return [{ path: [...at, 'account'], message: `is missing: ${s.name} runs nowhere. Fix: add account: <account name>, or placements: [{ account, region }]` }];
    }
    if (s.region !== undefined && placements) {
      return [{ path: [...at, 'region'], message: `"${s.region}" is set with placements; each placement names its own region. Fix: remove region, or set it on the placements` }];
    }
    if (placements) return placementListProblems(placements, (j) => [...at, 'placements', j], cfg);
    // The shorthand: the account itself is checked by the services' accounts rule.
    if (s.region === undefined || !cfg.accounts.some((a) => a.name === account)) return [];
    return placementListProblems([{ account: account!, region: s.region }], () => at, cfg);
  });

/** A shipped catalog's placement lists, with the same rules. */
const shippedPlacementLists: Rule = (cfg) => {
  const ship = shipped(cfg.catalog);
  if (!ship) return [];
  return Object.entries(ship.placement).flatMap(([service, p]) =>
    typeof p === 'string' ? [] : placementListProblems(p, (j) => ['catalog', 'placement', service, j], cfg),
  );
};

/** Alarm topics per region: keyed by a region with sites, each in its region, none missing once one is set. */
const alarmTopics: Rule = (cfg) => {
  const regions = [...new Set(sitesOf(cfg).map((s) => s.region))];
  const { alarmTopicArn, alarmTopicArns = {} } = cfg.observability;
  const problems: Problem[] = Object.entries(alarmTopicArns).flatMap(([region, arn]): Problem[] => {
    const path = ['observability', 'alarmTopicArns', region];
    if (!regions.includes(region)) return [{ path, message: `"${region}" has no cluster of this config. Fix: key each topic by a region with clusters: ${regions.join(', ')}` }];
    const topicRegion = arn.split(':')[3];
    return topicRegion === region ? [] : [{ path, message: `"${arn}" is in ${topicRegion}, and a region's alarms notify a topic of their own region. Fix: use a topic in ${region}` }];
  });
  if (regions.length < 2 || (!alarmTopicArn && Object.keys(alarmTopicArns).length === 0)) return problems;
  const uncovered = regions.filter((r) => !alarmTopicFor(cfg.observability, r, false));
  return uncovered.length
    ? [...problems, { path: ['observability', 'alarmTopicArns'], message: `has no topic for ${uncovered.join(', ')}, where clusters run, so their alarms would notify no one. Fix: add ${uncovered.map((r) => `${r}: arn:aws:sns:${r}:<account>:<topic>`).join(', ')}` }]
    : problems;
};

export const SITE_RULES: RuleSpec[] = [
  { about: 'alarm topics per region', needs: ['accounts', 'region', 'observability'], check: alarmTopics },
  { about: 'clusters of each account', needs: ['accounts', 'region'], each: 'account', check: siteForms },
  { about: 'stack names of clusters in other regions', needs: ['accounts', 'region'], check: siteKeysUnique },
  { about: "services' placements", needs: ['accounts', 'region', 'catalog'], each: 'service', applies: (cfg) => Array.isArray(cfg.catalog), check: servicePlacements },
  { about: "shipped services' placements", needs: ['accounts', 'region', 'catalog'], applies: (cfg) => !Array.isArray(cfg.catalog), check: shippedPlacementLists },
];
