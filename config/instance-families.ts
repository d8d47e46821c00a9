import { sitesWithPaths } from './sites';
import type { Problem } from './errors';
import type { ParsedConfig } from './schema';

// The CPU architecture of every EC2 instance family, so a node group gets the EKS AMI type its
// instances can boot. One table, from one dated source: the instance-type reference that
// aws/karpenter-provider-aws generates from EC2 DescribeInstanceTypes (its label
// kubernetes.io/arch), website/content/en/v1.14/reference/instance-types.md at commit 692ccdd
// (2026-07-11), read 2026-11-25. A family missing here stops synthesis until it is added.

export type Architecture = 'arm64' | 'x86_64';

/** AWS Graviton families (arm64). */
const ARM64_FAMILIES = [
  'a1', 'c6g', 'c6gd', 'c6gn', 'c7g', 'c7gd', 'c7gn', 'c8g', 'c8gb', 'c8gd', 'c8gn', 'c9g', 'c9gd',
  'g5g', 'hpc7g', 'i4g', 'i8g', 'i8ge', 'im4gn', 'is4gen', 'm6g', 'm6gd', 'm7g', 'm7gd', 'm8g',
  'm8gb', 'm8gd', 'm8gn', 'm9g', 'm9gd', 'r6g', 'r6gd', 'r7g', 'r7gd', 'r8g', 'r8gb', 'r8gd',
  'r8gn', 't4g', 'x2gd', 'x8g',
];

/** Intel and AMD families (x86_64). */
const X86_64_FAMILIES = [
  'c1', 'c3', 'c4', 'c5', 'c5a', 'c5ad', 'c5d', 'c5n', 'c6a', 'c6i', 'c6id', 'c6in', 'c7a', 'c7i',
  'c7i-flex', 'c8a', 'c8i', 'c8i-flex', 'c8ib', 'c8id', 'c8in', 'c8ine', 'd2', 'd3', 'd3en',
  'dl2q', 'f2', 'g4ad', 'g4dn', 'g5', 'g6', 'g6e', 'g6f', 'g7', 'g7e', 'gr6', 'gr6f', 'h1',
  'hpc6a', 'hpc6id', 'hpc7a', 'hpc8a', 'i2', 'i3', 'i3en', 'i4i', 'i7i', 'i7ie', 'inf1', 'inf2',
  'm1', 'm2', 'm3', 'm4', 'm5', 'm5a', 'm5ad', 'm5d', 'm5dn', 'm5n', 'm5zn', 'm6a', 'm6i', 'm6id',
  'm6idn', 'm6in', 'm7a', 'm7i', 'm7i-flex', 'm8a', 'm8azn', 'm8i', 'm8i-flex', 'm8ib', 'm8id',
  'm8idb', 'm8idn', 'm8in', 'm8ine', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en', 'p6-b200',
  'p6-b300', 'r3', 'r4', 'r5', 'r5a', 'r5ad', 'r5b', 'r5d', 'r5dn', 'r5n', 'r6a', 'r6i', 'r6id',
  'r6idn', 'r6in', 'r7a', 'r7i', 'r7iz', 'r8a', 'r8i', 'r8i-flex', 'r8ib', 'r8id', 'r8idb',
  'r8idn', 'r8in', 't1', 't2', 't3', 't3a', 'trn1', 'trn1n', 'trn2', 'u-3tb1', 'u-6tb1',
  'u7i-12tb', 'u7i-6tb', 'u7i-8tb', 'u7in-16tb', 'u7in-24tb', 'u7in-32tb', 'vt1', 'x1', 'x1e',
  'x2idn', 'x2iedn', 'x2iezn', 'x8aedz', 'x8i', 'z1d',
];

export const INSTANCE_FAMILY_ARCHITECTURE: ReadonlyMap<string, Architecture> = new Map([
  ...ARM64_FAMILIES.map((f) => [f, 'arm64'] as const),
  ...X86_64_FAMILIES.map((f) => [f, 'x86_64'] as const),
]);

/**
 * The Amazon Linux 2023 AMI type EKS managed node groups use for an architecture (EKS API,
 * CreateNodegroup "amiType"; EKS rejects a node group whose instance types do not match it).
 */
export const AMI_TYPES: Record<Architecture, string> = { arm64: 'AL2023_ARM_64_STANDARD', x86_64: 'AL2023_x86_64_STANDARD' };

/** The family of an instance type: everything before the first "." ("c7i-flex.large" → "c7i-flex"). */
export const familyOf = (instanceType: string) => instanceType.split('.')[0];

export const architectureOf = (instanceType: string) => INSTANCE_FAMILY_ARCHITECTURE.get(familyOf(instanceType));

/** The AMI type for a node group's instance types; the rule below guarantees they agree. */
export function amiTypeFor(instanceTypes: readonly string[]): string {
  const architectures = [...new Set(instanceTypes.map(architectureOf))];
  if (architectures.length !== 1 || !architectures[0]) throw new Error(`instance types ${instanceTypes.join(', ')} do not share one known architecture (the config rules should have stopped this)`);
  return AMI_TYPES[architectures[0]];
}

/** Every instance type is a known family, and one node group's types share an architecture. */
export function instanceTypeProblems(cfg: ParsedConfig): Problem[] {
  return sitesWithPaths(cfg).flatMap(({ site: a, path: at }) => {
    const types = a.cluster.instanceTypes;
    const path = (j: number) => [...at, 'cluster', 'instanceTypes', j];
    const unknown = types.flatMap((t, j): Problem[] =>
      architectureOf(t)
        ? []
        : [{ path: path(j), message: `"${t}" is not an EC2 instance family in the architecture table (config/instance-families.ts), so its AMI type is unknown. Fix: use a listed family such as m6i or m7g, or add "${familyOf(t)}" with its architecture` }],
    );
    if (unknown.length) return unknown;
    const first = architectureOf(types[0])!;
    return types.flatMap((t, j): Problem[] => {
      const arch = architectureOf(t)!;
      return arch === first
        ? []
        : [{ path: path(j), message: `"${t}" is ${arch} but "${types[0]}" (instanceTypes[0]) is ${first}; a node group boots one AMI type (${AMI_TYPES[first]} or ${AMI_TYPES[arch]}). Fix: list instance types of one architecture, e.g. all Graviton (m7g, c7g) or all x86 (m6i, c6i)` }];
    });
  });
}
