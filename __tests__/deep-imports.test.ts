import { execFileSync } from 'child_process';
import * as fs from 'fs';

// Importing a provider package root loads every resource class (hundreds of MB, seconds per
// process); only deep paths like '@cdktf/provider-aws/lib/vpc' are allowed.
const ROOT_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktf\/provider-(?:aws|kubernetes|helm|http)(?:\/lib)?['"]/;

function trackedTypeScript(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { encoding: 'utf8' });
  return out.split('\n').filter((f) => f && fs.existsSync(f));
}

describe('provider imports', () => {
  test('the rule recognises root imports and accepts deep ones', () => {
    expect(ROOT_IMPORT.test("import { Vpc } from '@cdktf/provider-aws';")).toBe(true);
    expect(ROOT_IMPORT.test("const k = require('@cdktf/provider-kubernetes')")).toBe(true);
    expect(ROOT_IMPORT.test("import * as aws from '@cdktf/provider-aws/lib'")).toBe(true);
    expect(ROOT_IMPORT.test("import { Vpc } from '@cdktf/provider-aws/lib/vpc';")).toBe(false);
  });

  test('no source file imports a provider package root', () => {
    const offenders = trackedTypeScript().flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter((l) => ROOT_IMPORT.test(l.text) && !l.file.endsWith('deep-imports.test.ts')),
    );
    expect(offenders).toEqual([]);
    expect(trackedTypeScript().length).toBeGreaterThan(10);
  });
});
