import { scaleConfig, SCALE_REGIONS } from '../config/scale';
import { synthConfig } from './support/synth';
import { colocatedFailoverProblems, failoverProblems } from '../engines/istio/locality';
import { validateConfig } from '../app/config';

// The benchmark's generated configs must be configs a user could deploy: with either engine
// they pass validation and every service lands in its account's workloads stack. A small one
// stands for the large ones (same generator, same rules).

describe('the scale benchmark config', () => {
  const accounts = 3;
  const services = 9;

  test.each(['lattice', 'appmesh'] as const)('synthesizes with %s, every service deployed in its account', (engine) => {
    const input = scaleConfig(accounts, services);
    input.mesh = { ...input.mesh, engine };
    const out = synthConfig(input);
    const deployed = out.stackNames
      .filter((s) => s.startsWith('workloads-'))
      .flatMap((s) => out.stack(s).resourceList('kubernetes_manifest').map((m) => m.manifest))
      .filter((m) => m.kind === 'Deployment')
      .map((m) => m.metadata.name);
    expect(deployed.sort()).toEqual((input.catalog as any[]).map((s) => s.name).sort());
  });

  test('each service answers its own health check: httpd on its port serves index.html for "/"', () => {
    for (const s of scaleConfig(accounts, services).catalog as any[]) {
      expect(s.command).toEqual(['httpd', '-f', '-p', String(s.port), '-h', '/www']);
      expect(s.files).toEqual([{ path: '/www/index.html', content: expect.any(String) }]);
      expect(s.healthCheck).toMatchObject({ type: 'http', path: '/' });
    }
  });

  test('the 3-region variant spreads accounts over three regions, runs some services in two of them, and passes every rule, the engine\'s included', () => {
    const input = scaleConfig(10, 100, 3);
    expect(input.mesh?.engine).toBe('istio');
    // validateConfig runs the engine's rules too: no caller shares a site with a copy of its multi-region backend.
    const config = validateConfig(input);
    expect(new Set(config.accounts.map((a) => a.region))).toEqual(new Set(SCALE_REGIONS));
    const multi = config.services.filter((s) => s.placements.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(4);
    multi.forEach((s) => expect(new Set(s.placements.map((p) => p.region)).size).toBe(2));
    expect(colocatedFailoverProblems(config.services)).toEqual([]);
    expect(failoverProblems(config.services)).toEqual([]);
  });
});
