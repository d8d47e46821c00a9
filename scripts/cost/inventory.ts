import { readManifest, readStackJson } from '../../app/synth-output';

// What the cost rules read: every resource of every synthesized stack, with each Kubernetes
// object of a kubernetes_manifest as a kind of its own (an HTTPRoute becomes a Lattice service, an
// Ingress an ALB), and the lookups a rule needs across resources (references, subnets, owners).

/** The kind of a Kubernetes object whose manifest Terraform computes at plan time. */
export const PLAN_TIME = '(known at plan time)';

export interface SynthesizedStack {
  name: string;
  json: any;
}

export interface Item {
  stack: string;
  /** A Terraform resource type, or kubernetes_manifest/<Kind> for a Kubernetes object. */
  kind: string;
  /** The logical id in the stack. */
  id: string;
  /** The resource's arguments, or the Kubernetes object itself (the arguments while it is known only at plan time). */
  attrs: any;
  /** The account the resource lives in: its provider alias, else the stack's name after the first "-". */
  account?: string;
}

/** Every stack of a synth output folder, in the manifest's order. */
export function readSynthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifest = readManifest(outdir);
  return Object.keys(manifest.stacks).map((name) => ({ name, json: readStackJson(outdir, manifest, name) }));
}

function accountOf(stack: string, attrs: any): string | undefined {
  const alias = typeof attrs?.provider === 'string' ? attrs.provider.split('.')[1] : undefined;
  if (alias) return alias;
  const dash = stack.indexOf('-');
  return dash > 0 ? stack.slice(dash + 1) : undefined;
}

/** `${aws_launch_template.nodes_template_313A6F59.id}` → its type and logical id. */
export function parseReference(value: unknown): { type: string; id: string } | undefined {
  const match = typeof value === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
  return match ? { type: match[1], id: match[2] } : undefined;
}

export class SynthView {
  readonly items: Item[];

  constructor(readonly stacks: SynthesizedStack[]) {
    this.items = stacks.flatMap((s) =>
      Object.entries<Record<string, any>>(s.json.resource ?? {}).flatMap(([type, byId]) =>
        Object.entries(byId).map(([id, attrs]): Item => {
          const account = accountOf(s.name, attrs);
          if (type === 'kubernetes_manifest') {
            // A manifest that is an expression (for_each over a decoded document) is only known at plan time.
            if (typeof attrs.manifest !== 'object') return { stack: s.name, kind: `kubernetes_manifest/${PLAN_TIME}`, id, attrs, account };
            return { stack: s.name, kind: `kubernetes_manifest/${attrs.manifest.kind}`, id, attrs: attrs.manifest, account };
          }
          return { stack: s.name, kind: type, id, attrs, account };
        }),
      ),
    );
  }

  /** The resource a same-stack reference points at. */
  resolve(stack: string, reference: unknown): Item | undefined {
    const ref = parseReference(reference);
    return ref && this.items.find((i) => i.stack === stack && i.kind === ref.type && i.id === ref.id);
  }

  of(kind: string, where: (i: Item) => boolean = () => true): Item[] {
    return this.items.filter((i) => i.kind === kind && where(i));
  }

  /**
   * Subnets of `account` carrying `tag` = "1": the AWS Load Balancer Controller places an
   * internet-facing load balancer in the subnets tagged kubernetes.io/role/elb, one per
   * Availability Zone (its docs, "Subnet Discovery").
   */
  taggedSubnets(account: string | undefined, tag: string): Item[] {
    return this.of('aws_subnet', (s) => s.account === account && s.attrs.tags?.[tag] === '1');
  }

  /** Whether a log group receives what another resource (a flow log, an access log subscription) delivers. */
  deliveredBy(group: Item, kind: string, field: string): boolean {
    return this.of(kind, (i) => i.stack === group.stack && this.resolve(i.stack, i.attrs[field]) === group).length > 0;
  }
}
