import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { EKS_ADDON_VERSIONS, GATEWAY_API_CRDS_URL, GATEWAY_API_VERSION, type EksAddonName } from '../config/versions';
import { CHARTS } from '../modules/addons/charts';
import { synthConfig, demoWith } from './support/synth';

// docs/UPGRADE.md tells operators what Terraform does and does not do during an upgrade. Each
// such statement is checked here against the synthesized stacks, so a change to the stacks that
// makes the notes wrong fails a test instead of misleading someone mid-upgrade.

const notes = fs.readFileSync(path.resolve('docs/UPGRADE.md'), 'utf8');
const app = synthConfig(demoWith());
const version = app.config.accounts[0].cluster.version;
const cluster = app.stack('cluster-frontend');
const controllers = app.stack('controllers-frontend');

describe('docs/UPGRADE.md rests on what the stacks do', () => {
  test('every add-on of the cluster stack refers to the cluster, so one apply moves the control plane before any add-on', () => {
    const addons = cluster.resourceList('aws_eks_addon');
    expect(addons.map((a) => a.cluster_name)).toEqual(addons.map(() => expect.stringMatching(/^\$\{aws_eks_cluster\.[^.]+\.name\}$/)));
    const pinned = Object.entries(EKS_ADDON_VERSIONS[version]).filter(([name]) => name !== 'amazon-cloudwatch-observability');
    expect(Object.fromEntries(addons.map((a) => [a.addon_name, a.addon_version]))).toEqual(Object.fromEntries(pinned));
    expect(notes).toContain('Every add-on in this stack refers to the cluster');
  });

  test('Terraform leaves the nodes\' Kubernetes version alone: the node group sets neither version nor release_version', () => {
    const group = cluster.only('aws_eks_node_group');
    expect(group.version).toBeUndefined();
    expect(group.release_version).toBeUndefined();
    expect(group.update_config).toEqual({ max_unavailable: 1 });
    expect(notes).toContain('aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <nodegroup> --kubernetes-version');
  });

  test('the CloudWatch observability add-on follows the cluster\'s version from the controllers stack', () => {
    const addon = controllers.only('aws_eks_addon');
    expect([addon.addon_name, addon.addon_version]).toEqual(['amazon-cloudwatch-observability', EKS_ADDON_VERSIONS[version]['amazon-cloudwatch-observability']]);
    for (const name of Object.keys(EKS_ADDON_VERSIONS[version]) as EksAddonName[]) expect(notes).toContain(`\`${name}\``);
  });

  test('the Lattice controller is installed after the Gateway API CRDs, as the Deployment the notes scale to zero', () => {
    const release = controllers.only('helm_release', (r) => r.chart === CHARTS.latticeController.chart);
    expect(release.depends_on).toContain('kubernetes_manifest.gateway-api-crd');
    expect(Object.values(controllers.data('http')).map((d: any) => d.url)).toEqual([GATEWAY_API_CRDS_URL]);
    // The chart names its Deployment by its "app.fullname" rule (helm/templates/_helpers.tpl at
    // v2.1.3): the release name when it contains the chart's name, else "<release>-<chart>".
    const deployment = release.name.includes(release.chart) ? release.name : `${release.name}-${release.chart}`;
    expect(notes).toContain(`kubectl -n ${release.namespace} scale deployment ${deployment} --replicas=0`);
    expect(notes).toContain(`deployment.replicas: ${YAML.parse(release.values[0]).deployment.replicas}`);
  });

  test('the notes name the pins in force', () => {
    expect(notes).toContain(`today ${GATEWAY_API_VERSION}`);
    expect(notes).toContain(`controller ${CHARTS.latticeController.version}`);
  });
});

describe('user docs', () => {
  const files = ['README.md', 'CHANGELOG.md', ...fs.readdirSync('docs').map((f) => `docs/${f}`), ...(fs.readdirSync('examples', { recursive: true }) as string[]).map((f) => `examples/${f}`).filter((f) => fs.statSync(f).isFile())];

  test('refer to no issue or pull-request numbers: they mean nothing to a reader outside the team', () => {
    const found = files.flatMap((file) =>
      fs
        .readFileSync(path.resolve(file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\b(issue|pull request|PR)\s*#?\d+|(^|[\s(])#\d+\b/i.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(files).toContain('CHANGELOG.md');
    expect(found).toEqual([]);
  });
});
