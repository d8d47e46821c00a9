import { formatPath, type Problem } from './errors';
import type { ParsedConfig } from './schema';
import type { ServiceSpec } from './catalog/schema';
import type { Rule, RuleSpec } from './rule-spec';
import { REGION_AZS } from './platform';
import { cidrProblem, isPrivateRange, overlaps, publicSubnetPrefix } from './cidr';
import { nearest, oneOf } from './wording';
import { CATALOG_RULES } from './catalog/rules';
import { SHIPPED_RULES } from './catalog/placement-rules';
import { instanceTypeProblems } from './instance-families';
import { sitesWithPaths } from './sites';
import { SITE_RULES } from './site-rules';

// Rules that relate fields to each other. Each returns the problems it finds; the loader runs
// them all so a user sees every mistake at once, not one per synth, and runs each on the parts
// of a broken config that parsed (see RuleSpec).

const known = (cfg: Pick<ParsedConfig, 'accounts'>) => cfg.accounts.map((a) => a.name);

/** A reference to an account by name; an account id in its place is named as such. */
function unknownAccount(path: Problem['path'], value: string, cfg: Pick<ParsedConfig, 'accounts'>): Problem[] {
  if (known(cfg).includes(value)) return [];
  const byId = cfg.accounts.find((a) => a.id === value);
  if (byId) {
    return [{ path, message: `"${value}" is the id of account ${byId.name}, and this field takes an account's name. Fix: write ${String(path[path.length - 1])}: ${byId.name}` }];
  }
  const near = nearest(value, known(cfg));
  return [{ path, message: `account "${value}" is not defined. Fix: use one of ${oneOf(known(cfg))}${near ? ` ("${near}" is closest)` : ''}, or add it under accounts` }];
}

const vpcCidrs: Rule = (cfg) => {
  const sites = sitesWithPaths(cfg);
  return sites.flatMap(({ site: a, path: at }, i) => {
    const path = [...at, 'vpc', 'cidr'];
    const bad = cidrProblem(a.vpc.cidr);
    if (bad) return [{ path, message: `"${a.vpc.cidr}" ${bad}. Fix: use a network address such as 10.192.0.0/16` }];
    const problems: Problem[] = [];
    if (!isPrivateRange(a.vpc.cidr)) {
      problems.push({ path, message: `"${a.vpc.cidr}" is not a private range. Fix: use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10` });
    }
    const prefix = Number(a.vpc.cidr.split('/')[1]);
    if (prefix < 16 || publicSubnetPrefix(a.vpc.cidr, a.vpc.azCount) > 28) {
      problems.push({ path, message: `"${a.vpc.cidr}" cannot hold ${a.vpc.azCount} AZs of public and private subnets (VPCs are /16 to /28, subnets at most /28). Fix: use a larger block, e.g. a /16` });
    }
    sites.slice(0, i).forEach(({ site: other, path: otherAt }) => {
      if (!cidrProblem(other.vpc.cidr) && overlaps(a.vpc.cidr, other.vpc.cidr)) {
        problems.push({ path, message: `"${a.vpc.cidr}" overlaps ${formatPath([...otherAt, 'vpc', 'cidr'])} "${other.vpc.cidr}" (${other.name}); peered VPCs need disjoint ranges. Fix: give ${a.name} a range that overlaps no other account's, e.g. the next free /16` });
      }
    });
    return problems;
  });
};

const publicAccess: Rule = (cfg) =>
  sitesWithPaths(cfg).flatMap(({ site: a, path: at }) => {
    const base = [...at, 'cluster'];
    const problems: Problem[] = a.cluster.publicAccessCidrs.flatMap((c, j) => {
      const bad = cidrProblem(c);
      return bad ? [{ path: [...base, 'publicAccessCidrs', j], message: `"${c}" ${bad}. Fix: use a network address such as 203.0.113.0/24` }] : [];
    });
    if (a.cluster.publicAccessCidrs.length === 0 && !a.cluster.privateAccess) {
      problems.push({ path: [...base, 'publicAccessCidrs'], message: 'is empty and privateAccess is false, so nothing could reach the Kubernetes API. Fix: set privateAccess: true, or list the CIDRs allowed to reach the public endpoint' });
    }
    return problems;
  });

const uniqueAccounts: Rule = (cfg) =>
  cfg.accounts.flatMap((a, i) => {
    const problems: Problem[] = [];
    const j = cfg.accounts.findIndex((o) => o.name === a.name);
    if (j < i) problems.push({ path: ['accounts', i, 'name'], message: `"${a.name}" is used by accounts[${j}] too. Fix: give every account a unique name` });
    const k = cfg.accounts.findIndex((o) => o.id === a.id);
    if (k < i) problems.push({ path: ['accounts', i, 'id'], message: `"${a.id}" is used by accounts[${k}] (${cfg.accounts[k].name}) too; each account needs its own VPC and cluster. Fix: use a different account id, or remove the duplicate entry` });
    return problems;
  });

const reachable: Rule = (cfg) =>
  cfg.accounts.flatMap((a, i) => {
    const problems: Problem[] = [];
    const roleAccount = a.roleArn?.split(':')[4];
    if (roleAccount && roleAccount !== a.id) {
      problems.push({ path: ['accounts', i, 'roleArn'], message: `"${a.roleArn}" is in account ${roleAccount}, not ${a.id}. Fix: use the deploy role that lives in account ${a.id}` });
    }
    for (const { site, path } of sitesWithPaths({ region: cfg.region, accounts: [a] })) {
      if (!a.roleArn && !site.cluster.adminPrincipalArns?.length) {
        problems.push({ path: ['accounts', i, ...path.slice(2), 'cluster', 'adminPrincipalArns'], message: 'is empty and the account has no roleArn, so no principal could administer the cluster. Fix: set roleArn, or list the admin role ARNs' });
      }
    }
    return problems;
  });

const zones: Rule = (cfg) =>
  sitesWithPaths(cfg).flatMap(({ site: a, path }) => {
    const available = REGION_AZS[a.region]?.length ?? 0;
    return a.vpc.azCount > available
      ? [{ path: [...path, 'vpc', 'azCount'], message: `${a.vpc.azCount} AZs requested but ${a.region} has ${available} in the region list. Fix: set azCount to at most ${available}` }]
      : [];
  });

const nodeScaling: Rule = (cfg) =>
  sitesWithPaths(cfg).flatMap(({ site: a, path }) => {
    const { minSize, desiredSize, maxSize } = a.cluster;
    return minSize <= desiredSize && desiredSize <= maxSize
      ? []
      : [{ path: [...path, 'cluster', 'desiredSize'], message: `minSize ${minSize}, desiredSize ${desiredSize}, maxSize ${maxSize} are out of order. Fix: make minSize <= desiredSize <= maxSize` }];
  });

const meshOwner: Rule = (cfg) => unknownAccount(['mesh', 'owner'], cfg.mesh.owner, cfg);

const stateAccount: Rule = (cfg) => (cfg.backend.type === 's3' ? unknownAccount(['backend', 'account'], cfg.backend.account, cfg) : []);

/** Accounts of a list of services; a shipped catalog's placement is checked by SHIPPED_RULES. */
const serviceAccounts: Rule = (cfg, services: ServiceSpec[]) =>
  services.flatMap((s, i) => (s.declared.account === undefined ? [] : unknownAccount(['catalog', i, 'account'], s.declared.account, cfg)));

/** The config's own rules; the engine's are added where the config is loaded (app/config.ts). */
export const CONFIG_RULES: RuleSpec[] = [
  { about: 'VPC ranges (private, large enough, not overlapping)', needs: ['accounts'], check: vpcCidrs },
  { about: 'API endpoint access', needs: ['accounts'], each: 'account', check: publicAccess },
  { about: 'unique account names and ids', needs: ['accounts'], check: uniqueAccounts },
  { about: 'deploy role and cluster admins', needs: ['accounts'], each: 'account', check: reachable },
  { about: 'AZs in the region', needs: ['accounts', 'region'], each: 'account', check: zones },
  { about: 'node group sizes', needs: ['accounts'], each: 'account', check: nodeScaling },
  { about: 'instance types and their AMI architecture', needs: ['accounts'], check: instanceTypeProblems },
  { about: 'mesh owner account', needs: ['accounts', 'mesh'], check: meshOwner },
  { about: 'state bucket account', needs: ['accounts', 'backend'], check: stateAccount },
  { about: "services' accounts", needs: ['accounts', 'catalog'], each: 'service', applies: (cfg) => Array.isArray(cfg.catalog), check: serviceAccounts },
  ...SITE_RULES,
  ...SHIPPED_RULES,
  ...CATALOG_RULES,
];
