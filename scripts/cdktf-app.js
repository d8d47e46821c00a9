// The app cdktf.json runs for `cdktf synth`, `diff`, `deploy`, `list`, ...: main.ts straight from
// the sources, each file transpiled as it loads (sucrase: TypeScript syntax removed, no type
// check, which `npm test` does), so these commands never run a stale build and need none.
// Plain JavaScript: it is what makes TypeScript loadable.
try {
  require.resolve('sucrase/register/ts');
} catch {
  console.error('The project dependencies are not installed (no sucrase in node_modules). Fix: run npm ci in the project folder');
  process.exit(1);
}
require('sucrase/register/ts');
require('../main.ts');
