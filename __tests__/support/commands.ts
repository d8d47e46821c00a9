import { parse } from 'shell-quote';
import { checkPassthrough, waveRuns } from '../../scripts/deploy/waves';
import { parseArgs } from '../../scripts/deploy/cli';
import type { StackManifest } from '../../app/order';

// The commands a document shows (README sh blocks, inline `npx cdktf ...` code, workflow steps),
// parsed as a shell parses them (shell-quote) and checked against a synthesized stack graph with
// cdktf-cli 0.21.0's own stack selection and dependency checks, so "the README's command works"
// means what cdktf would do with it, not what we think it does.

interface CliStack {
  name: string;
  dependencies: string[];
}
interface CdktfStackHelpers {
  getSingleStack(stacks: CliStack[], stackName?: string, targetAction?: string): CliStack;
  getMultipleStacks(stacks: CliStack[], patterns?: string[], targetAction?: string): CliStack[];
  checkIfAllDependenciesAreIncluded(stacksToRun: CliStack[]): void;
  checkIfAllDependantsAreIncluded(stacksToRun: CliStack[], allStacks: CliStack[]): void;
}
// Loaded by path: the package has no entry point for these (its index loads the whole CLI).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktf: CdktfStackHelpers = require('@cdktf/cli-core/src/lib/helpers/stack-helpers');

export interface Command {
  /** Where it was found, for messages: "README.md sh block 3" and the line. */
  where: string;
  /** Commands of one block share exported variables and the order of what they deploy. */
  block: string;
  /** Variables in force: exported earlier in the block, or set on the command itself. */
  env: Record<string, string>;
  argv: string[];
  /** Unquoted glob patterns, which a shell may expand before cdktf sees them. */
  unquotedGlobs: string[];
  comment?: string;
}

type Entry = ReturnType<typeof parse>[number];

/** One shell line (continuations joined) into its commands, as a shell splits it at `&&`, `;` and `||`. */
function commandsOfLine(line: string, block: string, where: string, exported: Record<string, string>): Command[] {
  const entries: Entry[] = parse(line, (key) => `$${key}`);
  const comment = entries.find((e): e is { comment: string } => typeof e === 'object' && 'comment' in e)?.comment;
  const commands: Command[] = [];
  let current: Entry[] = [];
  const flush = () => {
    const words = current;
    current = [];
    const env: Record<string, string> = { ...exported };
    let i = 0;
    for (; i < words.length && typeof words[i] === 'string' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i] as string); i++) {
      const [k, ...v] = (words[i] as string).split('=');
      env[k] = v.join('=');
    }
    const rest = words.slice(i);
    if (rest.length === 0) return;
    const argv = rest.map((w) => (typeof w === 'string' ? w : 'pattern' in w ? w.pattern : ''));
    if (argv[0] === 'export') {
      for (const assignment of argv.slice(1)) {
        const [k, ...v] = assignment.split('=');
        exported[k] = v.join('=');
      }
    }
    const unquotedGlobs = rest.filter((w): w is { op: 'glob'; pattern: string } => typeof w === 'object' && 'pattern' in w).map((w) => w.pattern);
    commands.push({ where, block, env, argv, unquotedGlobs, comment });
  };
  for (const e of entries) {
    if (typeof e === 'object' && 'comment' in e) continue;
    if (typeof e === 'object' && 'op' in e && e.op !== 'glob') flush();
    else current.push(e);
  }
  flush();
  return commands;
}

/** The commands of a shell script (a workflow step's `run`), with the variables it starts with. */
export function commandsOfScript(script: string, block: string, env: Record<string, string> = {}): Command[] {
  const exported = { ...env };
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((line) => commandsOfLine(line, block, `${block}: ${line.trim()}`, exported));
}

/** Every command of the ```sh blocks, and every inline code span that runs `npx cdktf` or `npm run`. */
export function commandsOfMarkdown(markdown: string, file = 'README.md'): Command[] {
  const commands: Command[] = [];
  const blocks = [...markdown.matchAll(/^```(sh|bash|shell)\n([\s\S]*?)^```/gm)];
  blocks.forEach((m, i) => {
    const block = `${file} sh block ${i + 1}`;
    const exported: Record<string, string> = {};
    const lines = m[2].replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim());
    for (const line of lines) commands.push(...commandsOfLine(line, block, `${block}: ${line.trim()}`, exported));
  });
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  [...prose.matchAll(/`((?:npx cdktf|npm run) [^`]*)`/g)].forEach((m, i) => {
    if (m[1].includes('<')) return; // a placeholder, like `npx cdktf diff <stack>`: a pattern, not a command
    commands.push(...commandsOfLine(m[1], `${file} inline ${i + 1}`, `${file} inline code: ${m[1]}`, {}));
  });
  return commands;
}

export interface Graph {
  name: string;
  manifest: StackManifest;
}

/** cdktf options of deploy, destroy, diff and output that take a value (cdktf <verb> --help). */
const VALUED = new Set(['-a', '--app', '-o', '--output', '--outputs-file', '--parallelism', '--terraform-parallelism', '--var', '--var-file', '--log-level']);

function positionals(args: string[]): { stacks: string[]; flags: string[] } {
  const stacks: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('-')) {
      flags.push(args[i]);
      if (VALUED.has(args[i])) i++;
    } else stacks.push(args[i]);
  }
  return { stacks, flags };
}

const S3_ONLY = /S3 backend only/i;

/**
 * What would go wrong running `commands` in order against `graph`: one message per problem,
 * naming the command. Commands of one block are a sequence: a stack deployed (destroyed) after
 * one it depends on (that depends on it) in the same block is out of order, as is a block that
 * starts from scratch (deploys `network`) without deploying what `network` needs first.
 */
export function checkCommands(commands: Command[], graph: Graph, scripts: Record<string, string>): string[] {
  const problems: string[] = [];
  const all: CliStack[] = Object.entries(graph.manifest.stacks).map(([name, s]) => ({ name, dependencies: s.dependencies }));
  const byName = new Map(all.map((s) => [s.name, s]));
  const dependants = (name: string) => all.filter((s) => s.dependencies.includes(name)).map((s) => s.name);
  const blocks = new Map<string, Command[]>();
  for (const c of commands) blocks.set(c.block, [...(blocks.get(c.block) ?? []), c]);

  for (const cmds of blocks.values()) {
    // Per block, in order: what each deploy/destroy command selects, and whether it lifts cdktf's checks.
    const steps: { c: Command; action: 'deploy' | 'destroy'; stacks: string[]; ignoring: boolean }[] = [];
    for (const c of cmds) {
      const fail = (why: string) => problems.push(`[${graph.name}] ${c.where}: ${why}`);
      const [program, ...args] = c.argv;
      const cdktfArgs = program === 'npx' && args[0] === 'cdktf' ? args.slice(1) : program === 'cdktf' ? args : undefined;
      if ((cdktfArgs || program === 'terraform') && !c.block.includes(' inline ') && c.env.CHECKPOINT_DISABLE !== '1') {
        fail('starts cdktf or Terraform without CHECKPOINT_DISABLE=1 (set it on the command or export it earlier in the block): offline, both print ENOTFOUND checkpoint-api.hashicorp.com');
      }
      for (const glob of c.unquotedGlobs) fail(`the glob ${glob} is unquoted: a shell expands it against files. Quote it: '${glob}'`);
      if (program === 'npm' && args[0] === 'run') {
        const script = args[1];
        if (!scripts[script]) {
          fail(`npm run ${script}: package.json has no such script`);
          continue;
        }
        if (script === 'deploy' || script === 'destroy') {
          const extra = args.slice(2)[0] === '--' ? args.slice(3) : args.slice(2);
          try {
            const parsed = parseArgs([script, ...extra]);
            const passthrough = checkPassthrough(parsed.action, parsed.passthrough, Object.keys(graph.manifest.stacks));
            const runs = waveRuns(parsed.action, graph.manifest, { includeBootstrap: parsed.includeBootstrap, passthrough });
            // A dry run changes nothing, so it takes no place in the block's order.
            if (!parsed.dryRun) steps.push(...runs.map((r) => ({ c, action: parsed.action, stacks: r.stacks, ignoring: true })));
          } catch (e) {
            fail((e as Error).message);
          }
        }
        continue;
      }
      if (!cdktfArgs) continue;
      if (c.comment && S3_ONLY.test(c.comment) && !byName.has('bootstrap')) continue;
      const [verb, ...rest] = cdktfArgs;
      const { stacks: patterns, flags } = positionals(rest);
      try {
        if (verb === 'diff' || verb === 'plan') cdktf.getSingleStack(all, patterns[0], verb);
        if (verb === 'output' || verb === 'outputs') cdktf.getMultipleStacks(all, patterns, verb);
        if (verb === 'deploy' || verb === 'apply' || verb === 'destroy') {
          const selected = cdktf.getMultipleStacks(all, patterns, verb);
          const ignoring = flags.includes('--ignore-missing-stack-dependencies');
          if (!ignoring && verb === 'destroy') cdktf.checkIfAllDependantsAreIncluded(selected, all);
          if (!ignoring && verb !== 'destroy') cdktf.checkIfAllDependenciesAreIncluded(selected);
          steps.push({ c, action: verb === 'destroy' ? 'destroy' : 'deploy', stacks: selected.map((s) => s.name), ignoring });
        }
      } catch (e) {
        fail((e as Error).message);
      }
    }

    // Order within the block. A stack needs (deploy: its dependencies; destroy: its dependants)
    // done by an earlier step, or by the same step when cdktf orders it (no --ignore-... flag).
    for (const action of ['deploy', 'destroy'] as const) {
      const mine = steps.filter((s) => s.action === action);
      const needs = (name: string) => (action === 'deploy' ? byName.get(name)!.dependencies : dependants(name));
      const fromScratch = action === 'deploy' ? mine.some((s) => s.stacks.some((n) => needs(n).every((d) => d === 'bootstrap'))) : true;
      mine.forEach((step, i) => {
        const before = new Set(mine.slice(0, i).flatMap((s) => s.stacks));
        const later = new Set(mine.slice(i + 1).flatMap((s) => s.stacks));
        for (const name of step.stacks) {
          for (const need of needs(name)) {
            const done = before.has(need) || (!step.ignoring && step.stacks.includes(need));
            const why = action === 'deploy' ? `${name} depends on ${need}` : `${need} depends on ${name}`;
            if (step.ignoring && step.stacks.includes(need)) problems.push(`[${graph.name}] ${step.c.where}: ${why}, but with --ignore-missing-stack-dependencies cdktf starts every named stack at once. Fix: ${action} ${need} in an earlier command`);
            else if (later.has(need)) problems.push(`[${graph.name}] ${step.c.where}: ${why}, which this block ${action}s later. Fix: ${action} ${need} first`);
            else if (!done && fromScratch && action === 'deploy') problems.push(`[${graph.name}] ${step.c.where}: ${why}, which this block never deploys. Fix: deploy ${need} first`);
            else if (!done && action === 'destroy') problems.push(`[${graph.name}] ${step.c.where}: ${why}, which is not destroyed before it. Fix: destroy ${need} first`);
          }
        }
      });
    }
  }
  return problems;
}
