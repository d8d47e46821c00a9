import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { MIRROR_ROOT, readUpstream } from './upstream';

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

const INTEGER = /^u?int(32|64)$|^s?fixed(32|64)$|^sint(32|64)$/;
const WRAPPERS = /^\.google\.protobuf\.(Double|Float|Int64|UInt64|Int32|UInt32|Bool|String|Bytes)Value$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(type: string, value: unknown, at: string): string[] {
  if (type === 'string' || type === 'bytes') return typeof value === 'string' ? [] : [`${at}: expected a string`];
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
  if (type === 'double' || type === 'float') return typeof value === 'number' ? [] : [`${at}: expected a number`];
  if (INTEGER.test(type)) return Number.isInteger(value) && !(type.startsWith('u') && (value as number) < 0) ? [] : [`${at}: expected an integer (${type})`];
  return [`${at}: unknown scalar type ${type}`];
}

function fieldValue(field: protobuf.Field, value: unknown, at: string): string[] {
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return typeof value === 'string' && value in t.values ? [] : [`${at}: ${JSON.stringify(value)} is not a value of ${t.fullName.slice(1)}`];
  if (t instanceof protobuf.Type) return message(t, value, at);
  return scalar(field.type, value, at);
}

/**
 * The proto3 JSON mapping, strictly: every key a field (by JSON or proto name), enums by name,
 * scalars of their JSON type, durations as "1.5s", no deprecated field, at most one field per oneof.
 */
export function message(type: protobuf.Type, value: unknown, at: string): string[] {
  const name = type.fullName;
  if (name === '.google.protobuf.Duration') return typeof value === 'string' && /^\d+(\.\d{1,9})?s$/.test(value) ? [] : [`${at}: expected a duration like "1.5s"`];
  if (name === '.google.protobuf.Struct' || name === '.google.protobuf.Value') return [];
  if (WRAPPERS.test(name)) return fieldValue(type.fields.value, value, at);
  if (!isObject(value)) return [`${at}: expected an object (${name.slice(1)})`];
  const problems: string[] = [];
  const oneofs = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key] ?? Object.values(type.fields).find((f) => protobuf.util.camelCase(f.name) === key);
    const here = `${at}.${key}`;
    if (!field) {
      problems.push(`${here}: no such field in ${name.slice(1)}`);
      continue;
    }
    if (field.options?.deprecated) problems.push(`${here}: deprecated in ${name.slice(1)}`);
    if (field.partOf) {
      if (oneofs.has(field.partOf.name)) problems.push(`${here}: oneof ${field.partOf.name} is already set by ${oneofs.get(field.partOf.name)}`);
      oneofs.set(field.partOf.name, key);
    }
    if (field.map) {
      if (!isObject(v)) problems.push(`${here}: expected a map`);
      else for (const [k, item] of Object.entries(v)) problems.push(...fieldValue(field, item, `${here}.${k}`));
    } else if (field.repeated) {
      if (!Array.isArray(v)) problems.push(`${here}: expected a list`);
      else v.forEach((item, i) => problems.push(...fieldValue(field, item, `${here}[${i}]`)));
    } else {
      problems.push(...fieldValue(field, v, here));
    }
  }
  return problems;
}

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
