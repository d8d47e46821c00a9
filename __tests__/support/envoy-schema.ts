import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';

// Envoy's own API definitions, as shipped in @grpc/grpc-js-xds (deps/envoy-api, with the xds,
// googleapis and protoc-gen-validate protos it imports), loaded with protobufjs. Neither package
// checks a JSON/YAML document strictly (protobufjs' fromObject drops unknown fields, and the
// vendored protos do not compile under buf's strict compiler), so the walk below applies the
// proto3 JSON mapping the way Envoy's YAML loader does: every key must be a field of the message
// (by proto or JSON name), every `@type` must name a loaded message, enums must name a value,
// scalars must have the JSON type of their proto type, and no field may be deprecated.

const DEPS = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const INCLUDE = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(DEPS, d));
const PROTOBUF_INCLUDE = path.dirname(require.resolve('protobufjs/package.json'));

/** The bootstrap and every extension the signer's bootstrap names in a typed_config. */
const FILES = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/aws_request_signing/v3/aws_request_signing.proto',
  'envoy/config/trace/v3/opentelemetry.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
];

let root: protobuf.Root | undefined;

function envoyApi(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => {
    // protobufjs bundles the common google/protobuf types itself.
    if (target in protobuf.common && !target.endsWith('descriptor.proto')) return target;
    const found = [...INCLUDE, PROTOBUF_INCLUDE].map((d) => path.join(d, target)).find((p) => fs.existsSync(p));
    if (!found) throw new Error(`proto not found: ${target}`);
    return found;
  };
  r.loadSync(FILES, { keepCase: true });
  r.resolveAll();
  return (root = r);
}

const INTEGER = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue', 'BytesValue'].map((w) => `.google.protobuf.${w}`));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(type: string, value: unknown, at: string): string[] {
  if (type === 'string' || type === 'bytes') return typeof value === 'string' ? [] : [`${at}: expected a string (${type})`];
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
  if (type === 'double' || type === 'float') return typeof value === 'number' ? [] : [`${at}: expected a number (${type})`];
  if (INTEGER.has(type)) {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) return [`${at}: expected an integer (${type})`];
    return type.startsWith('u') && n < 0 ? [`${at}: expected a non-negative integer (${type})`] : [];
  }
  return [`${at}: unknown scalar type ${type}`];
}

function fieldValue(field: protobuf.Field, value: unknown, at: string): string[] {
  const t = field.resolvedType;
  if (t instanceof protobuf.Enum) return (typeof value === 'string' && value in t.values) || Number.isInteger(value) ? [] : [`${at}: "${value}" is not a value of ${t.fullName}`];
  if (t instanceof protobuf.Type) return message(t, value, at);
  return scalar(field.type, value, at);
}

function message(type: protobuf.Type, value: unknown, at: string): string[] {
  const name = type.fullName;
  if (name === '.google.protobuf.Duration') return typeof value === 'string' && /^-?\d+(\.\d{1,9})?s$/.test(value) ? [] : [`${at}: expected a duration like "1.5s"`];
  if (name === '.google.protobuf.Struct' || name === '.google.protobuf.Value') return [];
  if (WRAPPERS.has(name)) return fieldValue(type.fields.value, value, at);
  if (!isObject(value)) return [`${at}: expected an object (${name.slice(1)})`];
  if (name === '.google.protobuf.Any') {
    const url = value['@type'];
    const packed = typeof url === 'string' ? envoyApi().lookup(url.replace(/^type\.googleapis\.com\//, '')) : null;
    if (!(packed instanceof protobuf.Type)) return [`${at}.@type: ${JSON.stringify(url)} is not a message of the loaded Envoy API`];
    const { '@type': _, ...rest } = value;
    return message(packed, rest, at);
  }
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
      const other = oneofs.get(field.partOf.name);
      if (other) problems.push(`${here}: oneof ${field.partOf.name} is already set by ${other}`);
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

/** Every way `document` breaks Envoy's v3 Bootstrap message; empty when Envoy would load it. */
export function bootstrapProblems(document: unknown): string[] {
  return message(envoyApi().lookupType('envoy.config.bootstrap.v3.Bootstrap'), document, 'bootstrap');
}
