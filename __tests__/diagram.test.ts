import * as fs from 'fs';
import * as path from 'path';
import { demoDiagram, mermaidFromOutput, readmeWithDiagram } from '../scripts/diagram';
import { synthConfig, appMeshDemoWith } from './support/synth';

describe('architecture diagram', () => {
  test("the README's diagram is the one the demo config's synthesized output draws (run npm run diagram)", () => {
    const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
    expect(readmeWithDiagram(readme, demoDiagram())).toBe(readme);
  });

  test('with App Mesh it shows accounts, VPCs, peering, clusters, the shared mesh, controllers and calls across accounts', () => {
    const diagram = mermaidFromOutput(synthConfig(appMeshDemoWith()).outdir);
    expect(diagram).toContain('subgraph frontend["frontend account 111111111111"]');
    expect(diagram).toContain('frontend_vpc <-. "VPC peering" .-> backend_vpc');
    expect(diagram).toContain('App Mesh yelb (egress DROP_ALL)');
    expect(diagram).toContain('mesh -. "RAM share" .-> backend_eks');
    expect(diagram).toContain('appmesh-controller<br/>aws-load-balancer-controller');
    expect(diagram).toContain('svc_yelb_ui ==> svc_yelb_appserver');
  });

  test('the demo (Lattice) draws the service network and no peering, with the same calls', () => {
    const diagram = demoDiagram();
    expect(diagram).toContain('VPC Lattice service network yelb (AWS_IAM)');
    expect(diagram).not.toContain('VPC peering');
    expect(diagram).toContain('svc_yelb_ui ==> svc_yelb_appserver');
    expect(diagram).toContain('svc_yelb_appserver ==> svc_yelb_db');
  });
});
