import type { Problem } from '../config/errors';
import type { RuleSpec } from '../config/rule-spec';
import { catalogPath, type CatalogRule } from '../config/catalog/rules';
import { homeRegionOf, sitesWithPaths } from '../config/sites';
import { ALL_SECTIONS } from '../config/rule-spec';
import { engineFor, isEngine } from './registry';

// Engines whose shared mesh is regional (engine.spansRegions false) keep every cluster in the
// mesh owner's region: a RAM-shared resource is visible only in the region where it exists
// (AWS RAM User Guide, "Viewing resource shares"), a VPC associates with a service network of
// its own region, and an App Mesh's ARN carries its region. Each problem names the engine, the
// site or call, and the engine that spans regions.

const ALTERNATIVE = 'mesh.engine "istio", which spans regions over the VPC peering';

const describe = (engine: string, kind: string, name: string, region: string) => `mesh.engine "${engine}" keeps its ${kind} ${name} in ${region}, the mesh owner's region`;

const regionalMesh: CatalogRule = (cfg, services) => {
  const engine = engineFor(cfg);
  if (engine.spansRegions) return [];
  const owner = cfg.accounts.find((a) => a.name === cfg.mesh.owner);
  if (!owner) return [];
  const home = homeRegionOf(owner, cfg.region);
  const kind = engine.meshKind ?? 'mesh';
  const mesh = describe(engine.name, kind, cfg.mesh.name, home);
  const sites = sitesWithPaths(cfg);
  const problems: Problem[] = sites
    .filter(({ site }) => site.region !== home)
    .map(({ site, path }) => ({
      path: [...path, 'region'],
      message: `"${site.region}": ${mesh}, and it and its RAM share are regional. Fix: use ${ALTERNATIVE}, or move this cluster of ${site.account} to ${home}`,
    }));
  const byName = new Map(services.map((s) => [s.name, s]));
  services.forEach((s, i) =>
    s.backends.forEach((b, k) => {
      const target = byName.get(b);
      if (!target) return;
      const theirs = new Set(target.placements.map((p) => p.region));
      const stranded = s.placements.find((p) => p.region !== undefined && !theirs.has(p.region));
      if (!stranded) return;
      const where = [...theirs].join(' and ');
      problems.push({
        path: Array.isArray(cfg.catalog) ? catalogPath(i, 'backends', k) : ['catalog', 'placement', s.name],
        message: `"${b}": ${s.name} (${stranded.site}, ${stranded.region}) calls ${b}, which runs only in ${where}; with mesh.engine "${engine.name}" a caller reaches only its own region's ${kind}. Fix: use mesh.engine "istio", or place ${b} in ${stranded.region} as well`,
      });
    }),
  );
  return problems;
};

export const REGION_RULES: RuleSpec[] = [
  // Reads the accounts, the mesh and the placed services: waits for all of the config.
  { about: 'regions the mesh engine can span', needs: ALL_SECTIONS, applies: (cfg) => isEngine(cfg.mesh?.engine), check: regionalMesh },
];
