import * as YAML from 'yaml';
import { run } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

// What the API server checks of a custom resource beyond a plain JSON Schema validation: the CEL
// rules of its CustomResourceDefinition, and the fields the schema does not know.
//
// CEL rules (`x-kubernetes-validations`), which the API server evaluates on create and update
// and a JSON Schema validator ignores, are run by a maintained CEL
// implementation (@bufbuild/cel, with the strings extension that Kubernetes also enables).
// `self` is the value at the rule's place in the object, as the API server binds it; integer
// fields become CEL ints and objects CEL maps, so `has()`, `size()` and comparisons behave as
// there. Transition rules (`oldSelf`) have no meaning for a new object and are not run.

export interface CelViolation {
  path: string;
  rule: string;
  message: string;
}

/** The openAPIV3Schema of one served version of one kind in a CRD file. */
export function crdSchema(crdYaml: string, kind: string, version: string): Record<string, any> {
  const crd = YAML.parseAllDocuments(crdYaml)
    .map((d) => d.toJS())
    .find((d) => d?.kind === 'CustomResourceDefinition' && d.spec?.names?.kind === kind);
  const served = crd?.spec.versions.find((v: any) => v.name === version);
  if (!served) throw new Error(`no served ${kind} ${version} in the CRD file`);
  return served.schema.openAPIV3Schema;
}

const childSchema = (schema: Record<string, any> | undefined, key: string) => schema?.properties?.[key] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);

/** A JSON value as CEL sees it under `schema`. */
function toCel(value: unknown, schema: Record<string, any> | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v, childSchema(schema, k))]));
  if (typeof value === 'number' && schema?.type === 'integer') return BigInt(value);
  return value;
}

/** Every CEL rule of `schema` that `value` breaks (or on which evaluation fails), with where. */
export function celViolations(schema: Record<string, any>, value: unknown, path = ''): CelViolation[] {
  const found: CelViolation[] = [];
  for (const r of schema['x-kubernetes-validations'] ?? []) {
    if (/\boldSelf\b/.test(r.rule)) continue;
    let ok: unknown;
    try {
      ok = run(r.rule, { self: toCel(value, schema) as any }, { funcs: strings });
    } catch (e) {
      ok = `error: ${(e as Error).message}`;
    }
    if (ok !== true) found.push({ path: path || '(root)', rule: r.rule, message: `${r.message ?? 'failed'}${ok === false ? '' : ` (${String(ok)})`}` });
  }
  if (Array.isArray(value)) value.forEach((v, i) => schema.items && found.push(...celViolations(schema.items, v, `${path}[${i}]`)));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const child = childSchema(schema, k);
      if (child) found.push(...celViolations(child, v, `${path}.${k}`));
    }
  }
  return found;
}

/**
 * The schema as the API server applies it to fields it does not know: a structural schema prunes
 * them (or, with strict field validation, rejects them), so a misspelt field would vanish
 * without a word. Here each object that lists its properties and neither allows additional ones
 * nor preserves unknown fields gets `additionalProperties: false`, so a JSON Schema validator
 * reports them instead; apiVersion, kind and metadata are every object's.
 */
export function withUnknownFieldsRejected(schema: Record<string, any>): Record<string, any> {
  const strict = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strict);
    if (node === null || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strict(s)])) : strict(v)])) as Record<string, any>;
    if (copy.properties && copy.additionalProperties === undefined && !copy['x-kubernetes-preserve-unknown-fields']) copy.additionalProperties = false;
    return copy;
  };
  const root = strict(schema) as Record<string, any>;
  root.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...root.properties };
  return root;
}
