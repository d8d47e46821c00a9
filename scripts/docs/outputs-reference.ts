import { readManifest, readStackJson } from '../../app/synth-output';
import { stackWaves } from '../../app/order';
import { cell, code, generatedNotice, prose } from './markdown';

// docs/outputs.md, generated from synthesized output: every `output` block of every stack, with
// the description the stack's contract gives it (modules/stack-link.ts publishes both), read
// from several configs so that outputs of either engine and of the S3 backend's bootstrap stack
// all appear. The example shows what the value is made of, with Terraform references written as
// <resource_type.attribute>.

/** One synthesized config the reference reads. */
export interface OutputSource {
  /** How the reference names it, e.g. "the demo". */
  label: string;
  engine: string;
  backend: string;
  accounts: string[];
  outdir: string;
}

interface Seen {
  description: string;
  sensitive: boolean;
  /** The first value that shows its shape (a non-empty map when there is one). */
  value: unknown;
  sources: OutputSource[];
}

/** `cluster-frontend` → `cluster-<account>`: output names are the same for every stack of a kind. */
export const stackKind = (stack: string, accounts: string[]) => {
  const account = accounts.find((a) => stack.endsWith(`-${a}`));
  return account ? `${stack.slice(0, -account.length - 1)}-<account>` : stack;
};

const REFERENCE = /\$\{(?:data\.)?([a-z0-9_]+)\.[A-Za-z0-9_-]+\.([^}]+)\}/g;

/** What a synthesized value is made of: references shown as <type.attribute>, any other expression as <computed>. */
export function valueShape(value: unknown, keysShown = 2): string {
  if (typeof value === 'string') return JSON.stringify(value.replace(REFERENCE, '<$1.$2>').replace(/\$\{[^}]*\}/g, '<computed>'));
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${valueShape(value[0], keysShown)}${value.length > 1 ? ', …' : ''}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const shown = entries.slice(0, keysShown).map(([k, v]) => `${JSON.stringify(k)}: ${valueShape(v, keysShown)}`);
    return `{ ${shown.join(', ')}${entries.length > keysShown ? ', …' : ''} }`;
  }
  return JSON.stringify(value);
}

const isEmpty = (v: unknown) => v !== null && typeof v === 'object' && Object.keys(v).length === 0;

/** When an output exists: always, or the engine or backend of the sources that publish it. */
function when(seen: OutputSource[], all: OutputSource[]): string {
  if (seen.length === all.length) return 'always';
  for (const key of ['engine', 'backend'] as const) {
    const values = new Set(seen.map((s) => s[key]));
    if (values.size === 1 && all.every((s) => seen.includes(s) === values.has(s[key]))) return `${key === 'engine' ? 'mesh.engine' : 'backend.type'}: ${[...values][0]}`;
  }
  return seen.map((s) => s.label).join(', ');
}

/** Every output of every stack kind in the sources, kinds in deploy order. */
export function collectOutputs(sources: OutputSource[]): { order: string[]; kinds: Map<string, Map<string, Seen>> } {
  const kinds = new Map<string, Map<string, Seen>>();
  const dependencies = new Map<string, Set<string>>();
  for (const source of sources) {
    const manifest = readManifest(source.outdir);
    for (const [stack, entry] of Object.entries(manifest.stacks)) {
      const kind = stackKind(stack, source.accounts);
      const deps = dependencies.get(kind) ?? new Set<string>();
      entry.dependencies.forEach((d) => deps.add(stackKind(d, source.accounts)));
      dependencies.set(kind, deps);
      const outputs = kinds.get(kind) ?? new Map<string, Seen>();
      kinds.set(kind, outputs);
      for (const [name, output] of Object.entries<any>(readStackJson(source.outdir, manifest, stack).output ?? {})) {
        if (!output.description) throw new Error(`output ${name} of stack ${stack} has no description. Fix: describe it in its stack's output contract`);
        const seen = outputs.get(name);
        if (!seen) {
          outputs.set(name, { description: output.description, sensitive: output.sensitive === true, value: output.value, sources: [source] });
          continue;
        }
        if (seen.description !== output.description) throw new Error(`output ${name} of ${kind} has two descriptions ("${seen.description}", "${output.description}"). Fix: give it one description in its stack's output contract`);
        if (!seen.sources.includes(source)) seen.sources.push(source);
        if (isEmpty(seen.value) && !isEmpty(output.value)) seen.value = output.value;
      }
    }
  }
  const order = stackWaves({ stacks: Object.fromEntries([...dependencies].map(([k, d]) => [k, { dependencies: [...d].filter((x) => x !== k) }])) }).flat();
  return { order, kinds };
}

/** The whole of docs/outputs.md. */
export function outputsReference(sources: OutputSource[]): string {
  const { order, kinds } = collectOutputs(sources);
  const out = [
    '# Stack outputs',
    '',
    generatedNotice(`the synthesized output of ${sources.map((s) => s.label).join(', ')}`),
    '',
    'Each stack publishes the outputs of its contract (`stacks/*-stack.ts`, `stacks/mesh-contract.ts`); the stacks that read them do so through `terraform_remote_state`. Output names are the same for every stack of a kind: `cluster-<account>` stands for `cluster-frontend`, `cluster-backend` and so on. Read them with `npx cdktf output <stack>` after a deploy. In the examples, `<aws_vpc.id>` stands for the attribute of the resource the output publishes; `{}` is a map that the configs above leave empty.',
    '',
  ];
  for (const kind of order) {
    const outputs = kinds.get(kind)!;
    const stackSources = sources.filter((s) => hasStack(s, kind));
    out.push(`## ${code(kind)}`, '');
    if (stackSources.length < sources.length) out.push(`Only with ${when(stackSources, sources)}.`, '');
    if (outputs.size === 0) {
      out.push('No outputs.', '');
      continue;
    }
    out.push('| output | description | published | example value |', '|---|---|---|---|');
    for (const [name, seen] of [...outputs].sort(([a], [b]) => a.localeCompare(b))) {
      const description = prose(seen.description) + (seen.sensitive ? ' (sensitive)' : '');
      out.push(`| ${[code(name), description, when(seen.sources, stackSources), code(valueShape(seen.value))].map(cell).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function hasStack(source: OutputSource, kind: string): boolean {
  return Object.keys(readManifest(source.outdir).stacks).some((s) => stackKind(s, source.accounts) === kind);
}
