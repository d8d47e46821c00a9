import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { validateConfig } from '../app/config';
import { demoWith } from './support/synth';
import { yelbCatalog } from '../config/catalog/yelb';

// The README's YAML must work when pasted. A block with `accounts` is a whole config and must
// validate as it stands; a smaller block is a fragment of one (a `policy:` section, say) and must
// validate merged into the demo config. An inline `versions: [...]` example is checked the same way.

const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README YAML', () => {
  test('the README has YAML blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  test.each(blocks.map((b, i) => [i + 1, b] as const))('block %i parses and validates', (_i, text) => {
    const doc = YAML.parse(text);
    const config = doc.accounts ? doc : { ...demoWith(), ...doc };
    expect(() => validateConfig(config)).not.toThrow();
  });

  test('the canary example validates on the shipped Yelb catalog', () => {
    const inline = readme.match(/give the service `versions: (\[[^`]+\])`/);
    expect(inline).not.toBeNull();
    const versions = YAML.parse(inline![1]);
    const config = demoWith((c) => {
      c.catalog = yelbCatalog.map((s) => (s.name === 'yelb-appserver' ? { ...s, versions } : s));
    });
    expect(() => validateConfig(config)).not.toThrow();
  });

  test('a broken block would fail: the check is not vacuous', () => {
    expect(() => validateConfig({ ...YAML.parse(blocks[0]), observability: { alarmTopicArn: 'arn:aws:sns:...' } })).toThrow(/alarmTopicArn/);
  });
});
