import type { Construct } from 'constructs';
import { Token, type ITerraformDependable } from 'cdktf';
import { ProjectStack } from './project-stack';
import type { StackContext } from './context';
import type { ClusterStack } from './cluster-stack';
import type { ControllersStack } from './controllers-stack';
import type { ControlPlaneStack } from './control-plane-stack';
import type { SharedMeshStack } from './mesh-stack';
import { awsProviderFor } from './link/providers';
import { clusterProviders } from '../modules/cluster-access';
import { kubeObject } from '../modules/addons/addon';
import { PodIdentityRole } from '../modules/workload-identity';
import { UpstreamOutputs, publishOutputs } from './link/stack-link';
import type { OutputSpec } from '../contracts/outputs';
import { workloadsContract } from '../contracts/workloads';
import { checkAssumedOutputs, type AssumedOutput } from './link/published-output-check';
import { serviceObjects, versionName, type KubeObject } from '../modules/workloads/kube-objects';
import { engineFor } from '../engines/registry';
import { latticeServiceDashboard, type RoutedService } from '../modules/observability/lattice-service-dashboard';
import { replicasIn, runsIn, versionsOf } from '../config/catalog/schema';
import { alarmTopicFor } from '../config/sites';
import { regionReadySignals } from '../modules/observability/signals';
import { ServiceDashboard } from '../modules/service-dashboard';
import { resolveImage } from '../config/catalog/images';
import { iamRoleArn } from '../modules/limits/fit';
import { accountByName } from '../config/load';
import { clusterName, workloadsStackName } from '../config/naming';
import type { AccountConfig } from '../config/schema';

export interface WorkloadsUpstreams {
  cluster: ClusterStack;
  /** The last stack before the workloads in this cluster: the controllers, or the engine's control plane. */
  controllers: ControllersStack | ControlPlaneStack;
  mesh: SharedMeshStack;
}

/** The services of one account, their mesh routing (by engine), and the names of backends elsewhere. */
export class WorkloadsStack extends ProjectStack<Record<string, OutputSpec<Record<string, string>>>> {
  readonly outputContract;

  constructor(scope: Construct, ctx: StackContext, account: AccountConfig, upstream: WorkloadsUpstreams) {
    super(scope, workloadsStackName(account.name), ctx);
    const { config } = ctx;
    this.outputContract = workloadsContract(config, account.name, engineFor(config).endpointOutput(config, account.name));
    const engine = engineFor(config);
    const ns = config.mesh.namespace;
    const cluster = new UpstreamOutputs(this, upstream.cluster, ctx);
    const mesh = new UpstreamOutputs(this, upstream.mesh, ctx);
    this.addDependency(upstream.controllers);
    const name = clusterName(config, account.name);
    const aws = awsProviderFor(this, account, ctx);
    const { kubernetes } = clusterProviders(this, { name, endpoint: cluster.string('cluster_endpoint'), caData: cluster.string('cluster_ca_data'), region: account.region }, account);
    const kube = (id: string, o: KubeObject, deps: ITerraformDependable[] = []) => kubeObject(this, id, kubernetes, o, deps);
    const roleName = (service: string, cluster = name) => `${cluster}-${service}`;
    const endpointKey = engine.endpointOutput(config, account.name).key;
    const assumed: AssumedOutput[] = [];
    const calleeEndpoint = (s: { name: string; account: string }, derived: string) => {
      assumed.push({ producer: workloadsStackName(s.account), output: endpointKey, key: s.name, value: derived });
      return derived;
    };

    const serviceRoleArn = (s: { name: string; account: string }) => iamRoleArn(accountByName(config, s.account).id, roleName(s.name, clusterName(config, s.account)));
    const routing = engine.workloadRouting({
      scope: this,
      config,
      account,
      clusterName: name,
      namespace: ns,
      aws,
      mesh,
      kube,
      calleeEndpoint,
      // The same function names the role where it is created (PodIdentityRole), so the two agree when a long name is shortened.
      serviceRoleArn,
      identityOf: (s) => {
        const { id, region } = accountByName(config, s.account);
        return { service: s.name, accountId: id, roleArn: serviceRoleArn(s), clusterArn: `arn:aws:eks:${region}:${id}:cluster/${clusterName(config, s.account)}`, namespace: ns, serviceAccount: s.name };
      },
    });

    const imageOf = (image: string) => resolveImage(image, (repo) => cluster.entry('ecr_repository_urls', repo));
    const urls: Record<string, string> = {};
    const routedServices: RoutedService[] = [];
    // A service placed in several regions runs here with this site's replica count.
    for (const s of config.services.filter((x) => runsIn(x, account.name)).map((x) => ({ ...x, replicas: replicasIn(x, account.name) }))) {
      const identity = new PodIdentityRole(this, `${s.name}-identity`, {
        provider: aws,
        roleName: roleName(s.name),
        accountId: account.id,
        clusterName: name,
        clusterNameRef: cluster.string('cluster_name'),
        namespace: ns,
        serviceAccount: s.name,
        policy: routing.permissions(s),
      });
      const routed = routing.route(s);
      routedServices.push({ service: s.name, backendServices: versionsOf(s).map((v) => versionName(s, v.name)), routed });
      for (const o of serviceObjects(s, ns, imageOf)) {
        routing.decorate?.(s, o);
        const created = kube(`${o.kind.toLowerCase()}-${o.metadata.name}`, o, o.kind === 'Deployment' ? [...routed, identity.association] : []);
        if (o.kind === 'Ingress') {
          created.putWait({ fields: { 'status.loadBalancer.ingress[0].hostname': '^.+$' } });
          urls[s.name] = `http://${Token.asString(created.interpolationForAttribute('object.status.loadBalancer.ingress[0].hostname'))}`;
        }
      }
    }
    const topic = alarmTopicFor(config.observability, account.region, config.accounts.every((a) => a.region === config.region));
    // A service that also runs in other regions: its ready endpoints here, and an alarm when this
    // region has none (callers here then fail over). In this site's stack: an alarm reads only
    // metrics of its own region.
    const failingOver = config.services.filter((s) => runsIn(s, account.name) && new Set(s.placements.map((p) => p.region)).size > 1);
    if (failingOver.length > 0) {
      const signals = failingOver.map((s) => regionReadySignals({ clusterName: name, namespace: ns, service: s.name, region: account.region }));
      new ServiceDashboard(this, 'region-readiness', {
        provider: aws,
        dashboardName: `${name}-regions`,
        region: account.region,
        rows: signals.map((s) => s.panels),
        alarms: signals.flatMap((s) => s.alarms),
        alarmTopicArn: topic,
      });
    }
    // Where the engine put a service on VPC Lattice, its own metrics: ids exist only from here on.
    latticeServiceDashboard(this, { provider: aws, region: account.region, clusterName: name, thresholds: config.observability, alarmTopicArn: topic, services: routedServices });
    publishOutputs(this, { [endpointKey]: routing.endpoints(), public_urls: urls });
    checkAssumedOutputs(this, ctx, assumed);
  }
}
