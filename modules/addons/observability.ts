import type { ITerraformDependable } from 'cdktf';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { PodIdentityRole } from '../workload-identity';
import { type ClusterAddOn, type ClusterHandle, kubeObject } from './addon';
import { EKS_ADDON_VERSIONS } from '../../config/versions';
import { SCRAPER, envoyScraperObjects } from './envoy-metrics';
import { ServiceDashboard } from '../service-dashboard';

const AGENT_POLICIES = ['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess'];

/**
 * Container Insights through the managed add-on (agent + Fluent Bit), a Prometheus-mode agent
 * for Envoy's metrics, and a dashboard with alarms per cluster. Each agent's IAM is bound to
 * its own service account; nothing is granted to the nodes.
 */
export class ObservabilityAddOn implements ClusterAddOn {
  readonly name = 'observability';

  constructor(private readonly services: string[]) {}

  deploy(cluster: ClusterHandle): ITerraformDependable[] {
    const { account, config } = cluster;
    const identity = (id: string, serviceAccount: string) =>
      new PodIdentityRole(cluster.scope, id, {
        provider: cluster.aws,
        roleName: `${cluster.clusterName}-${serviceAccount}`,
        accountId: account.id,
        clusterName: cluster.clusterName,
        clusterNameRef: cluster.clusterNameRef,
        namespace: 'amazon-cloudwatch',
        serviceAccount,
        managedPolicyArns: AGENT_POLICIES,
      });
    const agent = identity('cloudwatch-agent-identity', 'cloudwatch-agent');
    const insights = new EksAddon(cluster.scope, 'container-insights', {
      provider: cluster.aws,
      clusterName: cluster.clusterNameRef,
      addonName: 'amazon-cloudwatch-observability',
      addonVersion: EKS_ADDON_VERSIONS[account.cluster.version]['amazon-cloudwatch-observability'],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      dependsOn: [agent.association],
    });
    const scraperIdentity = identity('envoy-scraper-identity', SCRAPER.serviceAccount);
    const scraper = envoyScraperObjects(cluster.clusterName, config.region).map((object) =>
      kubeObject(cluster.scope, `envoy-scraper-${object.kind.toLowerCase()}-${object.metadata.name}`, cluster.kubernetes, object, [insights, scraperIdentity.association]),
    );
    new ServiceDashboard(cluster.scope, 'dashboard', {
      provider: cluster.aws,
      clusterName: cluster.clusterName,
      region: config.region,
      namespace: config.mesh.namespace,
      services: this.services,
      thresholds: config.observability,
    });
    return [insights, ...scraper];
  }
}
