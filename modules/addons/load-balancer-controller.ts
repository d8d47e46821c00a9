import type { ITerraformDependable } from 'cdktf';
import { PodIdentityRole } from '../workload-identity';
import { type ClusterAddOn, type ClusterInfo, helmChart } from './addon';
import { CHARTS } from './charts';
import { LB_CONTROLLER_POLICY } from './lb-controller-policy';

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** The AWS Load Balancer Controller: turns Ingresses into ALBs in the cluster's public subnets. */
export class LoadBalancerControllerAddOn implements ClusterAddOn {
  readonly name = 'aws-load-balancer-controller';

  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const identity = new PodIdentityRole(cluster.scope, 'lb-controller-identity', {
      provider: cluster.aws,
      roleName: `${cluster.clusterName}-lb-controller`,
      accountId: cluster.accountId,
      clusterName: cluster.clusterName,
      clusterNameRef: cluster.clusterNameRef,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      policy: LB_CONTROLLER_POLICY,
    });
    const release = helmChart(cluster, 'aws-load-balancer-controller', CHARTS.loadBalancerController, {
      namespace: NAMESPACE,
      values: {
        clusterName: cluster.clusterName,
        // Set explicitly so the controller never needs instance metadata to find them.
        region: cluster.region,
        vpcId: cluster.vpcId,
        // Two replicas: webhook and reconciler survive a node drain.
        replicaCount: 2,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        // Without this the controller's webhook turns every Service of type LoadBalancer into
        // an NLB, which is not this project's decision to make for other workloads.
        enableServiceMutatorWebhook: false,
      },
      dependsOn: [identity.association],
    });
    return [release];
  }
}
