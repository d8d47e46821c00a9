import * as protobuf from 'protobufjs';

// A strict check of a JSON/YAML document against a protobuf message, for the APIs whose own
// loaders would not catch our mistakes (Envoy's bootstrap, Istio's mesh config): protobufjs'
// fromObject drops unknown fields, so the walk applies the proto3 JSON mapping itself. Every key
// must be a field of the message (by proto or JSON name), enums must name a value, scalars must
// have the JSON type of their proto type, durations read "1.5s", no field may be deprecated, and a
// oneof takes one field at most.

/** Where the APIs differ in what they accept. */
export interface ProtoJsonDialect {
  /**
   * proto3 JSON's alternative forms, which Envoy's YAML loader takes: 64-bit integers as
   * strings, enums by number, negative durations. Istio's mesh config is written by name.
   */
  alternativeForms: boolean;
  /** The message a google.protobuf.Any's `@type` names, and what to call the API when it names none. */
  any?: { lookup: (typeUrl: string) => protobuf.ReflectionObject | null; api: string };
  /** How an enum is named in a problem. */
  enumName: (e: protobuf.Enum) => string;
}

const INTEGER = /^u?int(32|64)$|^s?fixed(32|64)$|^sint(32|64)$/;
const WRAPPERS = /^\.google\.protobuf\.(Double|Float|Int64|UInt64|Int32|UInt32|Bool|String|Bytes)Value$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The checker of one dialect: `message(type, value, at)` lists every problem, empty when valid. */
export function protoJson(dialect: ProtoJsonDialect) {
  function scalar(type: string, value: unknown, at: string): string[] {
    if (type === 'string' || type === 'bytes') return typeof value === 'string' ? [] : [`${at}: expected a string (${type})`];
    if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    if (type === 'double' || type === 'float') return typeof value === 'number' ? [] : [`${at}: expected a number (${type})`];
    if (INTEGER.test(type)) {
      const n = dialect.alternativeForms && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return [`${at}: expected an integer (${type})`];
      return type.startsWith('u') && n < 0 ? [`${at}: expected a non-negative integer (${type})`] : [];
    }
    return [`${at}: unknown scalar type ${type}`];
  }

  function fieldValue(field: protobuf.Field, value: unknown, at: string): string[] {
    const t = field.resolvedType;
    if (t instanceof protobuf.Enum) {
      const ok = (typeof value === 'string' && value in t.values) || (dialect.alternativeForms && Number.isInteger(value));
      return ok ? [] : [`${at}: ${JSON.stringify(value)} is not a value of ${dialect.enumName(t)}`];
    }
    if (t instanceof protobuf.Type) return message(t, value, at);
    return scalar(field.type, value, at);
  }

  function message(type: protobuf.Type, value: unknown, at: string): string[] {
    const name = type.fullName;
    if (name === '.google.protobuf.Duration') {
      const duration = dialect.alternativeForms ? /^-?\d+(\.\d{1,9})?s$/ : /^\d+(\.\d{1,9})?s$/;
      return typeof value === 'string' && duration.test(value) ? [] : [`${at}: expected a duration like "1.5s"`];
    }
    if (name === '.google.protobuf.Struct' || name === '.google.protobuf.Value') return [];
    if (WRAPPERS.test(name)) return fieldValue(type.fields.value, value, at);
    if (!isObject(value)) return [`${at}: expected an object (${name.slice(1)})`];
    if (name === '.google.protobuf.Any' && dialect.any) {
      const url = value['@type'];
      const packed = typeof url === 'string' ? dialect.any.lookup(url.replace(/^type\.googleapis\.com\//, '')) : null;
      if (!(packed instanceof protobuf.Type)) return [`${at}.@type: ${JSON.stringify(url)} is not a message of the loaded ${dialect.any.api}`];
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

  return { message };
}
