import { validateConfig } from '../config/load';
import { scaleConfig } from '../config/scale';

// The generated configs `npm run bench` synthesizes must be valid with the default engine,
// or the benchmark stops at its first scale scenario.
test.each([
  [10, 50],
  [10, 100],
])('the %ix%i scale config validates with the default engine', (accounts, services) => {
  const config = validateConfig(scaleConfig(accounts, services));
  expect(config.mesh.engine).toBe('lattice');
  expect(config.services).toHaveLength(services);
  expect(new Set(config.services.map((s) => s.account)).size).toBe(accounts);
});
