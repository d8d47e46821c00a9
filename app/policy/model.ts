import { readManifest, readStackJson } from '../synth-output';

/** A stack as `cdktf synth` wrote it: its name and its Terraform JSON (cdk.tf.json). */
export interface SynthesizedStack {
  name: string;
  json: Record<string, any>;
}

/** One Terraform resource, with the construct path a user sees in messages and names in waivers. */
export interface Resource {
  stack: string;
  type: string;
  name: string;
  /** The construct path cdktf records, e.g. `cluster-frontend/control-plane/cluster`. */
  path: string;
  body: Record<string, any>;
}

/** A Kubernetes object Terraform manages through `kubernetes_manifest`. */
export interface KubeObject {
  resource: Resource;
  manifest: Record<string, any>;
}

/** Terraform JSON writes a nested block as an object or as a list of them; this reads both. */
export function blocks(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** CIDRs that mean "anyone on the internet". */
export const OPEN_TO_ALL = ['0.0.0.0/0', '::/0'];

/** The CIDRs among `cidrs` (a value or a list) that open to the whole internet. */
export const openCidrs = (...cidrs: unknown[]): string[] => cidrs.flatMap(blocks).filter((c) => OPEN_TO_ALL.includes(c));

/** Terraform JSON may carry a boolean as `true` or `"true"`. */
export const isTrue = (value: unknown) => value === true || value === 'true';

/** Whether a value (an attribute, a list of them, a nested block) refers to `target`. */
export function refersTo(value: unknown, target: Resource): boolean {
  return JSON.stringify(value ?? null).includes(`${target.type}.${target.name}.`);
}

/** Read-only questions the controls ask of everything one synth produced. */
export class PolicyInput {
  private readonly byType = new Map<string, Resource[]>();

  constructor(readonly stacks: SynthesizedStack[]) {
    const all = stacks.flatMap((stack) =>
      Object.entries(stack.json.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName as Record<string, any>).map(([name, body]) => ({
          stack: stack.name,
          type,
          name,
          path: body?.['//']?.metadata?.path ?? `${stack.name}/${type}.${name}`,
          body,
        })),
      ),
    );
    for (const r of all) this.byType.set(r.type, [...(this.byType.get(r.type) ?? []), r]);
  }

  resources(type: string): Resource[] {
    return this.byType.get(type) ?? [];
  }

  /** Resources of `type` in the same stack as `target` whose `attribute` refers to it. */
  referencing(type: string, target: Resource, attribute: string): Resource[] {
    return this.resources(type).filter((r) => r.stack === target.stack && refersTo(r.body[attribute], target));
  }

  /** The resource of `type` in `stack` that `value` refers to, if any. */
  referencedBy(value: unknown, stack: string, type: string): Resource | undefined {
    return this.resources(type).find((r) => r.stack === stack && refersTo(value, r));
  }

  kubeObjects(...kinds: string[]): KubeObject[] {
    return this.resources('kubernetes_manifest')
      .map((resource) => ({ resource, manifest: resource.body.manifest ?? {} }))
      .filter((o) => kinds.length === 0 || kinds.includes(o.manifest.kind));
  }
}

/** Every stack of a synthesized cdktf output folder, in manifest order. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = readManifest(outdir);
  return Object.keys(manifest.stacks).map((name) => ({ name, json: readStackJson(outdir, manifest, name) }));
}
