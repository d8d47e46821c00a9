import { z } from 'zod';
import { configSchema } from '../../config/schema';
import { ENGINE_NAMES } from '../../engines/registry';
import { RULES } from '../../app/config';
import type { RuleSpec } from '../../config/rule-spec';
import { cell, code, generatedNotice, prose } from './markdown';

// docs/config.md, generated from the config schema through zod's own JSON Schema export, so the
// reference shows what the parser enforces: types, defaults, enums, bounds and patterns, and the
// description each field carries in the schema (`.describe`). A field without one stops the
// generation, naming the field.

/** The part of a JSON Schema (draft 2020-12, as zod writes it) this reference reads. */
export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
}

export interface FieldRow {
  path: string;
  type: string;
  required: string;
  default: string;
  /** The default as the schema holds it, for checks; undefined when there is none. */
  defaultValue?: unknown;
  allowed: string;
  description: string;
}

/** The config as a user writes it: defaulted fields are optional (zod's input side). */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchema, { io: 'input' }) as JsonSchema;
  // The config takes any string for the engine; the registry says which are engines.
  schema.properties!.mesh.properties!.engine.enum = ENGINE_NAMES;
  return schema;
}

/** Where a field's rows go: the longest of these that prefixes its path, or the top level. */
export const SECTIONS = ['accounts', 'accounts[].vpc', 'accounts[].cluster', 'mesh', 'network', 'observability', 'catalog', 'catalog[]', 'backend', 'policy'];

// zod writes the safe-integer range for every int; it says nothing a reader needs.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const isObject = (s: JsonSchema) => s.properties !== undefined;
const scalarChoices = (s: JsonSchema): unknown[] | undefined =>
  s.enum ?? (s.const !== undefined ? [s.const] : s.anyOf?.every((o) => o.const !== undefined || o.enum) ? s.anyOf.flatMap((o) => o.enum ?? [o.const]) : undefined);

function typeOf(s: JsonSchema): string {
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && !isObject(s) && typeof s.additionalProperties === 'object') return `map of string to ${typeOf(s.additionalProperties)}`;
  if (s.anyOf) {
    const kinds = [...new Set(s.anyOf.map((o) => (o.const !== undefined ? typeof o.const : typeOf(o))))];
    return kinds.length === 1 ? kinds[0] : kinds.join(' or ');
  }
  return s.type === 'object' ? 'object' : (s.type ?? 'any');
}

function bounds(s: JsonSchema): string {
  const min = s.minimum !== undefined && s.minimum > -UNBOUNDED ? s.minimum : undefined;
  const max = s.maximum !== undefined && s.maximum < UNBOUNDED ? s.maximum : undefined;
  if (min !== undefined && max !== undefined) return `${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return max !== undefined ? `at most ${max}` : '';
}

function allowedOf(s: JsonSchema): string {
  const choices = scalarChoices(s);
  if (choices) return choices.map((c) => code(String(c))).join(', ');
  const parts: string[] = [];
  if (s.type === 'array') {
    if (s.minItems) parts.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
    const each = s.items && !isObject(s.items) ? allowedOf(s.items) : '';
    if (each) parts.push(`each: ${each}`);
    return parts.join('; ');
  }
  if (s.propertyNames?.pattern) parts.push(`keys match ${code(s.propertyNames.pattern)}`);
  if (s.pattern) parts.push(`matches ${code(s.pattern)}`);
  if (s.minLength) parts.push(`at least ${s.minLength} character${s.minLength === 1 ? '' : 's'}`);
  const range = bounds(s);
  if (range) parts.push(range);
  return parts.join('; ');
}

const defaultOf = (s: JsonSchema) => (s.default === undefined ? '' : code(typeof s.default === 'string' ? s.default : JSON.stringify(s.default)));

/** The property whose constant tells the branches of a union of objects apart (backend.type, runAs.nonRoot). */
function discriminator(options: JsonSchema[]): string | undefined {
  const first = options[0].properties ?? {};
  return Object.keys(first).find((k) => options.every((o) => o.properties?.[k]?.const !== undefined));
}

/** Every field of `schema` under `path`, parent before children, in the schema's order. */
export function fieldRows(schema: JsonSchema, path = '', required = true, condition = '', ownRow = path !== ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const row = (s: JsonSchema, type = typeOf(s)) => {
    if (!ownRow) return;
    if (!s.description) throw new Error(`config field ${path} has no description. Fix: add .describe('...') to it in config/schema.ts or config/catalog/schema.ts`);
    rows.push({ path, type, required: (required ? 'yes' : 'no') + condition, default: defaultOf(s), defaultValue: s.default, allowed: allowedOf(s), description: prose(s.description) });
  };
  const child = (s: JsonSchema, parent: JsonSchema, key: string, when = condition) => fieldRows(s, path ? `${path}.${key}` : key, parent.required?.includes(key) ?? false, when);
  const objects = schema.anyOf?.filter(isObject) ?? [];
  const lists = schema.anyOf?.filter((o) => o.type === 'array') ?? [];
  if (isObject(schema)) {
    row(schema);
    for (const [key, s] of Object.entries(schema.properties!)) rows.push(...child(s, schema, key));
  } else if (schema.anyOf && objects.length === schema.anyOf.length && discriminator(objects)) {
    // A union of objects told apart by one constant: its other fields, each with the branches it belongs to.
    const tag = discriminator(objects)!;
    const values = objects.map((o) => o.properties![tag].const);
    row(schema, 'object');
    rows.push({ path: `${path}.${tag}`, type: typeOf(objects[0].properties![tag]), required: 'yes' + condition, default: '', allowed: values.map((v) => code(String(v))).join(', '), description: objects.map((o) => `${code(String(o.properties![tag].const))}: ${prose(o.properties![tag].description ?? missing(`${path}.${tag}`))}`).join('. ') });
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o.properties!)))].filter((k) => k !== tag);
    for (const key of keys) {
      const having = objects.filter((o) => o.properties![key]);
      const when = having.length < objects.length ? ` (${tag}: ${having.map((o) => String(o.properties![tag].const)).join(', ')})` : '';
      rows.push(...child(having[0].properties![key], having[0], key, condition + when));
    }
  } else if (schema.anyOf && (objects.length || lists.length)) {
    // The catalog: a name, a { name, placement } mapping, or a list of services.
    row(schema, schema.anyOf.map((o) => (isObject(o) ? `{ ${Object.keys(o.properties!).join(', ')} }` : o.type === 'array' ? 'list' : typeOf(o))).join(' or '));
    for (const o of objects) for (const [key, s] of Object.entries(o.properties!)) rows.push(...child(s, o, key, ` (in the { ${Object.keys(o.properties!).join(', ')} } form)`));
    for (const l of lists) rows.push(...fieldRows(l.items!, `${path}[]`, true, condition));
  } else if (schema.type === 'array' && schema.items && (isObject(schema.items) || schema.items.anyOf?.some(isObject))) {
    // The list's own row stands for its entries too; their fields follow.
    row(schema, 'list');
    rows.push(...fieldRows(schema.items, `${path}[]`, true, condition, false));
  } else {
    row(schema);
  }
  return rows;
}

function missing(path: string): never {
  throw new Error(`config field ${path} has no description. Fix: add .describe('...') to it in config/schema.ts or config/catalog/schema.ts`);
}

export function sectionOf(path: string): string {
  const matches = SECTIONS.filter((s) => path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[]`));
  return matches.sort((a, b) => b.length - a.length)[0] ?? '';
}

const TABLE_HEAD = ['| field | type | required | default | allowed values | description |', '|---|---|---|---|---|---|'];

/** One line per rule; a rule split by the catalog's form (a list, or a shipped catalog placed) is listed once. */
function ruleLines(rules: RuleSpec[]): string[] {
  const lines = rules.map((r) => `- ${prose(r.about)} (reads ${r.needs.length > 5 ? 'the whole config' : r.needs.join(', ')})`);
  return [...new Set(lines)];
}

/** The whole of docs/config.md. */
export function configReference(schema: JsonSchema = configJsonSchema(), rules: RuleSpec[] = RULES): string {
  const rows = fieldRows(schema);
  const bySection = new Map<string, FieldRow[]>([['', []], ...SECTIONS.map((s) => [s, []] as [string, FieldRow[]])]);
  for (const r of rows) bySection.get(sectionOf(r.path))!.push(r);
  const out = [
    '# Configuration reference',
    '',
    generatedNotice('the config schema (config/schema.ts, config/catalog/schema.ts, config/catalog/shipped.ts) through zod\'s JSON Schema export'),
    '',
    'A config is YAML or JSON, selected with `MESH_CONFIG=path/to/mesh.yaml` (without it the demo config, `config/demo.ts`, is used). Paths read as in error messages: `accounts[].vpc.cidr` is the `cidr` of the `vpc` of every entry of `accounts`. "required: no" with a default means the default applies when the field is left out; a field marked with a condition, such as `(type: s3)`, exists only in that form. Quote account ids, Kubernetes versions and CPU or memory quantities in YAML (`id: "111111111111"`, `version: "1.35"`, `cpu: "500m"`).',
    '',
  ];
  for (const [section, list] of bySection) {
    if (list.length === 0) continue;
    const root = list.find((r) => r.path === section);
    out.push(`## ${section ? code(section) : 'Top level'}`, '');
    if (root) out.push(`${root.description}. Type: ${root.type}; required: ${root.required}${root.default ? `; default: ${root.default}` : ''}.`, '');
    out.push(...TABLE_HEAD);
    for (const r of list.filter((x) => x !== root)) out.push(`| ${[code(r.path), r.type, r.required, r.default, r.allowed, r.description].map(cell).join(' | ')} |`);
    out.push('');
  }
  out.push('## Checks across fields', '', 'After the schema, these rules relate fields to each other (overlapping ranges, references to accounts and services, engine support). Each problem names the field, the value and the fix; a rule whose fields did not parse is listed as not checked.', '', ...ruleLines(rules), '');
  return out.join('\n');
}
