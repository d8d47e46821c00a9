import type { MeshConfig } from '../../config/load';
import type { Problem } from '../../config/errors';
import { parseImage } from '../../config/catalog/images';

// Which config fields a derived name was built from, found by looking for their values in it:
// "meshdemo-frontend-lattice-controller" holds project "meshdemo" and accounts[0].name
// "frontend". Names are built by joining such values with fixed words, so the fields whose values
// appear in a name, at word boundaries, are the ones a user can change to fix it.

export interface Origin {
  path: Problem['path'];
  value: string;
  /** Higher is more specific: the field a message points at when several produced a name. */
  rank: number;
  /** The whole field, where `value` is only part of it (an image's ECR repository). */
  field?: string;
}

export interface Segment {
  start: number;
  end: number;
  /** Fields with this same value (e.g. mesh.name and mesh.namespace both "yelb"). */
  origins: Origin[];
}

/** Every config value that names are built from. */
export function configOrigins(config: MeshConfig): Origin[] {
  const origins: Origin[] = [
    { path: ['project'], value: config.project, rank: 1 },
    ...config.accounts.map((a, i): Origin => ({ path: ['accounts', i, 'name'], value: a.name, rank: 2 })),
    { path: ['mesh', 'namespace'], value: config.mesh.namespace, rank: 3 },
    { path: ['mesh', 'name'], value: config.mesh.name, rank: 4 },
    ...(config.backend.type === 's3' ? [{ path: ['backend', 'bucket'], value: config.backend.bucket, rank: 4 }] : []),
  ];
  config.services.forEach((s, i) => {
    origins.push({ path: ['catalog', i, 'name'], value: s.name, rank: 5 });
    const image = (path: Problem['path'], raw: string) => {
      const ref = parseImage(raw);
      if (!('problem' in ref) && ref.projectRepository) origins.push({ path, value: ref.projectRepository, rank: 6, field: raw });
    };
    image(['catalog', i, 'image'], s.image);
    s.versions.forEach((v, k) => {
      origins.push({ path: ['catalog', i, 'versions', k, 'name'], value: v.name, rank: 6 });
      if (v.image) image(['catalog', i, 'versions', k, 'image'], v.image);
    });
  });
  return origins.filter((o) => o.value.length > 0);
}

const WORD = /[A-Za-z0-9]/;

/** Where each origin's value occurs in `name` as a whole word; longest first where they overlap. */
export function decompose(name: string, origins: Origin[]): Segment[] {
  const matches: Array<{ start: number; end: number; origin: Origin }> = [];
  for (const origin of origins) {
    for (let at = name.indexOf(origin.value); at >= 0; at = name.indexOf(origin.value, at + 1)) {
      const end = at + origin.value.length;
      if ((at === 0 || !WORD.test(name[at - 1])) && (end === name.length || !WORD.test(name[end]))) matches.push({ start: at, end, origin });
    }
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  for (const m of matches) {
    const last = segments[segments.length - 1];
    if (last && last.start === m.start && last.end === m.end) {
      if (!last.origins.some((o) => o.path.join('.') === m.origin.path.join('.'))) last.origins.push(m.origin);
    } else if (!last || m.start >= last.end) segments.push({ start: m.start, end: m.end, origins: [m.origin] });
  }
  return segments;
}
