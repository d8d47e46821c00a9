import { INSTANCE_FAMILY_ARCHITECTURE, amiTypeFor } from '../config/instance-families';
import { validateConfig } from '../app/config';
import { ConfigError } from '../config/errors';
import { synthConfig, demoWith } from './support/synth';

describe('node groups boot the AMI type of their instances\' architecture', () => {
  test('the table agrees with the naming convention AWS documents: a "g" after the generation means Graviton', () => {
    // EC2 instance type naming conventions (family, generation, processor and capabilities, e.g.
    // c7gn = c, 7, Graviton, network); a1 is the first Graviton generation. Families whose names
    // do not follow the scheme (p6-b200, u7i-12tb) are left out of this cross-check.
    const checked = [...INSTANCE_FAMILY_ARCHITECTURE].filter(([family]) => /^[a-z]+\d{1,2}[a-z-]*$/.test(family));
    expect(checked.length).toBeGreaterThan(150);
    for (const [family, arch] of checked) {
      const capabilities = family.replace(/^[a-z]+\d{1,2}/, '');
      expect([family, arch]).toEqual([family, family === 'a1' || capabilities.includes('g') ? 'arm64' : 'x86_64']);
    }
  });

  test.each([
    [['m6i.large'], 'AL2023_x86_64_STANDARD'],
    [['m7g.large', 'c7g.xlarge'], 'AL2023_ARM_64_STANDARD'],
    [['c7i-flex.large', 'm7a.large'], 'AL2023_x86_64_STANDARD'],
    [['t4g.medium'], 'AL2023_ARM_64_STANDARD'],
  ])('%j → %s', (types, ami) => {
    expect(amiTypeFor(types)).toBe(ami);
  });

  test('a Graviton account gets the ARM AMI on its node group, the others keep x86', () => {
    const app = synthConfig(demoWith((c) => (c.accounts[1].cluster.instanceTypes = ['m7g.large', 'm7g.xlarge'])));
    expect(app.stack('cluster-backend').only('aws_eks_node_group')).toMatchObject({ ami_type: 'AL2023_ARM_64_STANDARD', instance_types: ['m7g.large', 'm7g.xlarge'] });
    expect(app.stack('cluster-frontend').only('aws_eks_node_group').ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  test('mixing architectures in one node group, or an unknown family, stops validation at that index', () => {
    const problems = (types: string[]) => {
      try {
        validateConfig(demoWith((c) => (c.accounts[0].cluster.instanceTypes = types)));
      } catch (e) {
        return (e as ConfigError).problems.map((p) => [p.path.join('.'), p.message]);
      }
      return [];
    };
    expect(problems(['m6i.large', 'm6i.xlarge', 'm7g.large'])).toEqual([
      ['accounts.0.cluster.instanceTypes.2', expect.stringMatching(/^"m7g\.large" is arm64 but "m6i\.large" \(instanceTypes\[0\]\) is x86_64; .*Fix: list instance types of one architecture/)],
    ]);
    expect(problems(['zz9.large'])).toEqual([['accounts.0.cluster.instanceTypes.0', expect.stringMatching(/"zz9\.large" is not an EC2 instance family in the architecture table .*Fix: .*add "zz9"/)]]);
  });
});
