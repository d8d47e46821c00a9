import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { MIRROR_ROOT, readUpstream } from './upstream';
import { protoJson } from './proto-json';

// Istio's own definitions, read from the mirrors at the pinned tags (never copied here):
// - istio/api's protos, loaded with protobufjs, to check what the project puts under the istiod
//   chart's free-form `meshConfig`. istiod itself would not catch a typo there: it parses mesh
//   config with unknown fields allowed (istio/istio pkg/util/protomarshal/protomarshal.go
//   `ApplyYAML` → `ApplyJSON`, which retries with AllowUnknownFields; 1.30.3).
// - the environment variables istio/istio registers (`env.Register("NAME", ...)`), to check the
//   chart's free-form `env` and the proxies' `proxyMetadata`.

export const ISTIO_API = { repo: 'istio/api', ref: '1.30.3' } as const;
export const ISTIO_SOURCE = { repo: 'istio/istio', ref: '1.30.3' } as const;

const PROTOBUF_DIR = path.dirname(require.resolve('protobufjs/package.json'));

/** istio/api's file, or its copy of a common proto (common-protos/...), at the pinned tag. */
function protoText(file: string): string {
  if (file === 'google/protobuf/descriptor.proto') return fs.readFileSync(path.join(PROTOBUF_DIR, file), 'utf8');
  for (const candidate of [file, `common-protos/${file}`]) {
    try {
      return readUpstream({ ...ISTIO_API, path: candidate })!;
    } catch {
      // not at this path; try the next
    }
  }
  throw new Error(`${file} is in neither istio/api@${ISTIO_API.ref} nor its common-protos`);
}

let root: protobuf.Root | undefined;

/** The protos behind MeshConfig, with every import, resolved. */
export function istioApi(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  const seen = new Set<string>();
  const load = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // protobufjs bundles the well-known types as JSON descriptors.
    const common = (protobuf.common as unknown as Record<string, { nested: protobuf.INamespace['nested'] }>)[file];
    if (common) {
      r.addJSON(common.nested!);
      return;
    }
    const parsed = protobuf.parse(protoText(file), r, { keepCase: true });
    [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])].forEach(load);
  };
  load('mesh/v1alpha1/config.proto');
  r.resolveAll();
  return (root = r);
}

/**
 * The proto3 JSON mapping, strictly (./proto-json.ts): Istio's config is written in the
 * canonical forms, enums by name.
 */
export const { message } = protoJson({ alternativeForms: false, enumName: (e) => e.fullName.slice(1) });

/** Every way `meshConfig` breaks istio.mesh.v1alpha1.MeshConfig; empty when it is a valid one. */
export const meshConfigProblems = (meshConfig: unknown) => message(istioApi().lookupType('istio.mesh.v1alpha1.MeshConfig'), meshConfig, 'meshConfig');

const git = (...args: string[]) => {
  const run = spawnSync('git', ['--git-dir', path.join(MIRROR_ROOT, ISTIO_SOURCE.repo.replace('/', '+'), 'repo'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr.trim()}`);
  return run.stdout;
};

/**
 * The environment variable names istio/istio registers under `dirs` (Go sources, tests
 * excluded), e.g. `env.Register("ISTIO_MULTIROOT_MESH", false, ...)`, also when the name is on
 * the next line or the call has type parameters.
 */
export function registeredEnvNames(dirs: string[]): Set<string> {
  // One `git grep` with two lines of context catches a name written on the line after the call.
  const hits = git('grep', '-h', '-A2', '-E', 'env\\.Register', ISTIO_SOURCE.ref, '--', ...dirs.map((d) => `${d}*.go`), ':(exclude)*_test.go');
  return new Set([...hits.matchAll(/env\.Register(?:\[[^\]]*\])?\(\s*"([A-Z0-9_]+)"/g)].map((m) => m[1]));
}
