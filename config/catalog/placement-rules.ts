import type { Problem } from '../errors';
import type { ParsedConfig } from '../schema';
import type { RuleSpec } from '../rule-spec';
import { nearest, oneOf } from '../wording';
import { SHIPPED_CATALOGS, shipped, type ShippedName } from './shipped';

// Where a config places a shipped catalog's services: every placed service exists, every
// account it names is defined, and no service is left in an account the config lacks.

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
  for (const [service, placed] of Object.entries(ship.placement)) {
    const path = ['catalog', 'placement', service];
    if (!serviceNames.includes(service)) {
      const near = nearest(service, serviceNames);
      problems.push({ path, message: `"${service}" is not a service of the shipped catalog "${ship.name}". Fix: place one of ${oneOf(serviceNames)}${near ? ` ("${near}" is closest)` : ''}` });
    } else if (typeof placed !== 'string') {
      // A list of placements: checked by the site rules (config/site-rules.ts).
    } else if (!accounts.includes(placed)) {
      const account = placed;
      const near = nearest(account, accounts);
      problems.push({ path, message: `account "${account}" is not defined. Fix: use one of ${oneOf(accounts)}${near ? ` ("${near}" is closest)` : ''}, or add it under accounts` });
    }
  }
  for (const service of Object.keys(ship.traffic ?? {}).filter((n) => !serviceNames.includes(n))) {
    const near = nearest(service, serviceNames);
    problems.push({ path: ['catalog', 'traffic', service], message: `"${service}" is not a service of the shipped catalog "${ship.name}". Fix: give the traffic of one of ${oneOf(serviceNames)}${near ? ` ("${near}" is closest)` : ''}` });
  }
  const stranded = SHIPPED_CATALOGS[ship.name].filter((s) => !(s.name in ship.placement) && !accounts.includes(s.account!));
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
