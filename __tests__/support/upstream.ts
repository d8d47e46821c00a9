import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import Ajv, { type ValidateFunction } from 'ajv';

// Upstream files this project is checked against (CRDs of the pinned controllers, values.yaml
// of the pinned charts), read at test time from local mirrors of the upstream repositories and
// never copied into this one. UPSTREAM_MIRROR names the folder holding `<owner>+<name>/repo`
// git directories (the team's fetch tool makes them; default /work/.mirror). Where a mirror is
// missing, the tests that need it are skipped with a note, never passed.

export interface UpstreamFile {
  /** owner/name on GitHub */
  repo: string;
  /** a tag or a full commit: the pinned version, never a branch */
  ref: string;
  path: string;
}

export const MIRROR_ROOT = process.env.UPSTREAM_MIRROR ?? '/work/.mirror';

const gitDir = (repo: string) => path.join(MIRROR_ROOT, repo.replace('/', '+'), 'repo');

export const hasMirror = (repo: string) => fs.existsSync(gitDir(repo));

/** The file's text at the pinned ref, or undefined when the repository is not mirrored here. */
export function readUpstream(file: UpstreamFile): string | undefined {
  if (!hasMirror(file.repo)) return undefined;
  const run = spawnSync('git', ['--git-dir', gitDir(file.repo), 'show', `${file.ref}:${file.path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${file.repo}@${file.ref}:${file.path} is not in the mirror: ${run.stderr.trim()}`);
  return run.stdout;
}

/** `describe` when every repository is mirrored, else `describe.skip` with the reason printed once. */
export function describeWithMirrors(repos: string[]): jest.Describe {
  const missing = repos.filter((r) => !hasMirror(r));
  if (missing.length === 0) return describe;
  // eslint-disable-next-line no-console
  console.warn(`upstream conformance skipped: no mirror of ${missing.join(', ')} under ${MIRROR_ROOT} (set UPSTREAM_MIRROR)`);
  return describe.skip;
}

/**
 * A validator for one kind from a CustomResourceDefinition file (one or more YAML documents):
 * the openAPIV3Schema of the served version, with Kubernetes' own keywords (x-kubernetes-*)
 * ignored, since JSON Schema validators do not know them.
 */
export function crdValidator(crdYaml: string, kind: string, version: string): ValidateFunction {
  const crd = YAML.parseAllDocuments(crdYaml)
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition' && d.spec?.names?.kind === kind);
  if (!crd) throw new Error(`no CustomResourceDefinition for ${kind}`);
  const served = crd.spec.versions.find((v: any) => v.name === version);
  if (!served) throw new Error(`the ${kind} CRD serves no version ${version} (has ${crd.spec.versions.map((v: any) => v.name).join(', ')})`);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(served.schema.openAPIV3Schema);
}

/**
 * Istio's charts nest every default under this top-level key, a workaround for Helm; users set
 * the keys without it (the comment at the top of each values.yaml in istio/istio
 * manifests/charts, and templates/zzz_profile.yaml, which merges it back).
 */
export const ISTIO_DEFAULTS_KEY = '_internal_defaults_do_not_set';

/**
 * Every key path of a values.yaml, leaves and the objects above them: { a: { b: 1 } } → ['a', 'a.b'].
 * Istio's `_internal_defaults_do_not_set` is transparent: its children are paths from the top.
 */
export function keyPaths(values: unknown, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) =>
    prefix === '' && k === ISTIO_DEFAULTS_KEY ? keyPaths(v) : [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)],
  );
}
