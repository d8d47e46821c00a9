import { peeringMode } from '../config/schema';
import { ALL_SECTIONS, type RuleSpec } from '../config/rule-spec';
import { catalogPath, type CatalogRule } from '../config/catalog/rules';
import { ENGINE_NAMES, engineFor, isEngine } from './registry';
import { nearest } from '../config/wording';
import { REGION_RULES } from './region-rules';

// The config rules that depend on the chosen mesh engine. They run with the config's own rules,
// in one validation at the edge (app/config.ts), so every problem is reported at once.

/**
 * Where calls ride VPC peering (App Mesh), a call needs a peering between the two accounts:
 * with "owner-only" only hub links exist (peering is not transitive), with "none" none do.
 */
const networkPath: CatalogRule = (cfg, services) => {
  const { callsNeedPeering } = engineFor(cfg);
  const mode = peeringMode(cfg, callsNeedPeering);
  if (!callsNeedPeering || mode === 'auto') return [];
  return services.flatMap((s, i) =>
    s.backends.flatMap((b, k) => {
      const target = services.find((o) => o.name === b);
      if (!target || target.account === s.account) return [];
      if (mode === 'owner-only' && [s.account, target.account].includes(cfg.mesh.owner)) return [];
      return [{ path: catalogPath(i, 'backends', k), message: `"${b}" runs in ${target.account}, which has no network path from ${s.account} (network.peering is "${mode}"${mode === 'owner-only' ? ' and peering is not transitive' : ''}). Fix: set network.peering to "auto", or place ${b} in ${s.account}${mode === 'owner-only' ? " or in the mesh owner's account" : ''}` }];
    }),
  );
};

/** Catalog features the chosen engine cannot express. */
const engineSupport: CatalogRule = (cfg, services) => engineFor(cfg).unsupported(cfg, services);

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(names.length > 2 ? ', ' : ' or ').replace(/, ([^,]*)$/, ' or $1');

/** The engine is one the registry knows. */
const knownEngine: CatalogRule = (cfg) => {
  const name = cfg.mesh.engine;
  if (isEngine(name)) return [];
  const near = nearest(name, ENGINE_NAMES);
  return [{ path: ['mesh', 'engine'], message: `${JSON.stringify(name)} is not a mesh engine. Fix: ${near ? `did you mean "${near}"? ` : ''}use ${quoted(ENGINE_NAMES)}` }];
};

const withKnownEngine = (cfg: { mesh?: { engine?: unknown } }) => isEngine(cfg.mesh?.engine);

export const ENGINE_RULES: RuleSpec[] = [
  { about: 'the mesh engine', needs: ['mesh'], check: knownEngine },
  { about: 'network paths between accounts', needs: ['catalog', 'mesh', 'network'], applies: withKnownEngine, check: networkPath },
  // An engine may read any part of the config, so its check waits for all of it.
  { about: 'features the mesh engine supports', needs: ALL_SECTIONS, applies: withKnownEngine, check: engineSupport },
  ...REGION_RULES,
];
