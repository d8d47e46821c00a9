import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { configSchema } from '../config/schema';
import { validateConfig } from '../app/config';
import { demoConfig } from '../config/demo';
import { REGION_AZS, EKS_VERSIONS } from '../config/platform';
import { serviceSchema } from '../config/catalog/schema';
import { buildStacks } from '../app/app';
import { configReference, fieldRows, configJsonSchema, type FieldRow } from '../scripts/docs/config-reference';
import { outputsReference, stackKind, valueShape } from '../scripts/docs/outputs-reference';
import { withOutputSources } from '../scripts/docs/cli';
import { demoWith, scratchDir } from './support/synth';

// The generated references: fresh (regenerated and compared, like the README's diagram), complete
// (every field of the zod schema, every output of every stack contract), and right (a default in
// the reference is what the parser fills in when the field is left out).

const read = (file: string) => fs.readFileSync(path.resolve(file), 'utf8');
const stale = (file: string, generated: string) => (read(file) === generated ? [] : [`${file} is out of date. Fix: run npm run docs and commit the result`]);

describe('docs/config.md', () => {
  const rows = fieldRows(configJsonSchema());
  const byPath = new Map(rows.map((r) => [r.path, r]));

  test('is what npm run docs generates from the schema', () => {
    expect(stale('docs/config.md', configReference())).toEqual([]);
  });

  test('has a row for every field of the zod schema, each with a description', () => {
    const shapes: Array<[string, Record<string, unknown>]> = [
      ['', configSchema.shape],
      ['accounts[].', configSchema.shape.accounts.element.shape],
      ['accounts[].vpc.', configSchema.shape.accounts.element.shape.vpc.unwrap().shape],
      ['accounts[].cluster.', configSchema.shape.accounts.element.shape.cluster.unwrap().shape],
      ['accounts[].clusters[].', configSchema.shape.accounts.element.shape.clusters.unwrap().element.shape],
      ['mesh.', configSchema.shape.mesh.shape],
      ['catalog[].', serviceSchema.shape],
    ];
    const fields = shapes.flatMap(([prefix, shape]) => Object.keys(shape).map((k) => `${prefix}${k}`));
    expect(fields.length).toBeGreaterThan(40);
    expect(fields.filter((f) => !byPath.has(f))).toEqual([]);
    expect(rows.filter((r) => r.description.length < 10).map((r) => r.path)).toEqual([]);
  });

  test('groups the rows under the sections a platform engineer looks for', () => {
    const headings = read('docs/config.md').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    expect(headings).toEqual(['Top level', ...['accounts', 'accounts[].vpc', 'accounts[].cluster', 'mesh', 'network', 'observability', 'catalog', 'catalog[]', 'backend', 'policy'].map((s) => `\`${s}\``), 'Checks across fields']);
  });

  test('every default is what the parser fills in when the field is left out', () => {
    // Every optional object present, so that each field with a default has a parent to sit in;
    // the second base holds the { name, placement } form of the catalog.
    const service = {
      name: 'web', account: 'frontend', port: 8080, protocol: 'http', requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' },
      healthCheck: { type: 'http', path: '/healthz' }, traffic: { retries: { attempts: 2, perTryTimeoutMs: 100 }, connectionPool: { maxConnections: 5 } },
      versions: [{ name: 'v1', weight: 100 }], runAs: { nonRoot: true, user: 1000, readOnlyRootFilesystem: true }, files: [{ path: '/etc/web.conf', content: 'x' }],
    };
    const bases = [
      demoWith((c) => Object.assign(c, { catalog: [service], network: {}, observability: {}, backend: { type: 's3', bucket: 'meshdemo-state', region: 'us-west-2', account: 'frontend' }, policy: { waivers: [] } })),
      demoWith((c) => (c.catalog = { name: 'chain' })),
      // The multi-region form of an account: its sites under clusters.
      demoWith((c) => {
        const { vpc, cluster, ...rest } = c.accounts[0];
        c.accounts[0] = { ...rest, clusters: [{ vpc, cluster }] };
      }),
    ];
    const segments = (p: string) => p.split('.').flatMap((s) => (s.endsWith('[]') ? [s.slice(0, -2), 0] : [s]));
    const parentOf = (input: any, p: string) => segments(p).slice(0, -1).reduce((o: any, k) => (o === undefined || o === null || typeof o !== 'object' ? undefined : o[k]), input);
    const checked = new Set<string>();
    for (const row of rows.filter((r) => r.defaultValue !== undefined)) {
      for (const base of bases) {
        const key = segments(row.path).at(-1) as string;
        const omitted: any = structuredClone(base);
        const parent = parentOf(omitted, row.path);
        if (!parent || Array.isArray(parent) || typeof parent !== 'object') continue;
        // A field of one form of a union (backend.bucket with type: s3) only where the base has that form.
        const form = / \((\w+): ([\w, ]+)\)$/.exec(row.required);
        if (form && !form[2].split(', ').includes(String(parent[form[1]]))) continue;
        delete parent[key];
        const written: any = structuredClone(omitted);
        parentOf(written, row.path)[key] = structuredClone(row.defaultValue);
        expect([row.path, configSchema.parse(omitted)]).toEqual([row.path, configSchema.parse(written)]);
        checked.add(row.path);
      }
    }
    expect(rows.filter((r) => r.defaultValue !== undefined && !checked.has(r.path)).map((r) => r.path)).toEqual([]);
    expect(checked.size).toBeGreaterThan(30);
  });

  test('allowed values are the ones the parser accepts: regions and Kubernetes versions', () => {
    const allowed = (r: FieldRow) => r.allowed.split(', ').map((v) => v.replace(/`/g, ''));
    expect(allowed(byPath.get('region')!)).toEqual(Object.keys(REGION_AZS));
    expect(allowed(byPath.get('accounts[].cluster.version')!)).toEqual([...EKS_VERSIONS]);
    expect(configSchema.shape.region.safeParse('us-west-1').success).toBe(false);
    expect(Object.keys(REGION_AZS).every((r) => configSchema.shape.region.safeParse(r).success)).toBe(true);
  });

  test('a union of objects lists the fields of each form with the form they belong to', () => {
    expect(byPath.get('backend.type')!.allowed).toBe('`local`, `s3`');
    expect(byPath.get('backend.bucket')!.required).toBe('yes (type: s3)');
    expect(byPath.get('catalog[].healthCheck.path')!.required).toBe('yes (type: http)');
    expect(byPath.get('catalog[].runAs.reason')!.required).toBe('yes (nonRoot: false)');
    expect(byPath.get('catalog.placement')!.required).toBe('no (in the { name, placement, traffic } form)');
  });

  test('a field without a description stops the generation, naming the field', () => {
    const schema = { type: 'object', properties: { mesh: { type: 'object', description: 'the mesh', properties: { name: { type: 'string' } } } } };
    expect(() => fieldRows(schema)).toThrow("config field mesh.name has no description. Fix: add .describe('...') to it");
  });
});

describe('docs/outputs.md', () => {
  let generated = '';
  beforeAll(() => {
    generated = withOutputSources(outputsReference);
  }, 60000);

  test('is what npm run docs generates from the synthesized output', () => {
    expect(stale('docs/outputs.md', generated)).toEqual([]);
  });

  test('lists every output of every stack contract of the demo under its stack kind, with its description', () => {
    const config = validateConfig(demoConfig);
    const dir = scratchDir('mesh-docs-contracts-');
    const built = buildStacks(new App({ outdir: path.join(dir, 'cdktf.out') }), config, { offlinePlan: false, stateDir: path.join(dir, 'state') });
    const stacks = [built.network, built.mesh, ...built.clusters.values(), ...built.controllers.values(), ...built.workloads.values()];
    const sections = new Map(generated.split('\n## ').slice(1).map((s) => [s.slice(1, s.indexOf('`', 1)), s]));
    const missing = stacks.flatMap((stack) =>
      Object.entries(stack.outputContract as Record<string, { description: string }>).flatMap(([name, spec]) => {
        const section = sections.get(stackKind(stack.node.id, config.accounts.map((a) => a.name))) ?? '';
        // The row as a reader sees it: Markdown escapes removed.
        const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`))?.replace(/\\([<>*|\\])/g, '$1');
        return row?.includes(`| ${spec.description} |`) ? [] : [`${stack.node.id}.${name}`];
      }),
    );
    expect(stacks.length).toBe(8);
    expect(missing).toEqual([]);
  });

  test('says which outputs exist only with one engine, and that bootstrap exists only with the S3 backend', () => {
    expect(generated).toMatch(/## `bootstrap`\n\nOnly with backend.type: s3\./);
    expect(generated).toMatch(/\| `virtual_service_arns` \| [^|]+ \| mesh.engine: appmesh \|/);
    expect(generated).toMatch(/\| `lattice_service_domains` \| [^|]+ \| mesh.engine: lattice \|/);
    expect(generated.indexOf('## `bootstrap`')).toBeLessThan(generated.indexOf('## `network`'));
    expect(generated.indexOf('## `controllers-<account>`')).toBeLessThan(generated.indexOf('## `workloads-<account>`'));
  });

  test('example values name the resource attribute an output publishes', () => {
    expect(valueShape('${aws_vpc.frontend-vpc_732064FA.id}')).toBe('"<aws_vpc.id>"');
    expect(valueShape('${data.aws_region.current.name}')).toBe('"<aws_region.name>"');
    expect(valueShape('http://${lookup(var.x, "y")}')).toBe('"http://<computed>"');
    expect(valueShape({ a: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'], b: [], c: 'x' })).toBe('{ "a": ["<aws_subnet.id>", …], "b": [], … }');
    expect(stackKind('workloads-us-east', ['us', 'us-east'])).toBe('workloads-<account>');
    expect(stackKind('network', ['frontend'])).toBe('network');
  });
});
