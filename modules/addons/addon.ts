import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import * as YAML from 'yaml';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Release } from '@cdktf/provider-helm/lib/release';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { ChartPin } from './charts';

/**
 * Everything an add-on may use of the cluster it is deployed to, and nothing of the app's
 * config: what an add-on needs beyond this it takes in its own constructor props.
 */
export interface ClusterInfo {
  scope: Construct;
  accountName: string;
  accountId: string;
  region: string;
  /** The literal name (for IAM conditions); `clusterNameRef` carries the dependency on the cluster stack. */
  clusterName: string;
  clusterNameRef: string;
  vpcId: string;
  nodeSecurityGroupId: string;
  aws: AwsProvider;
  kubernetes: KubernetesProvider;
  helm: HelmProvider;
}

/**
 * The contract every controller add-on keeps: given a cluster, create its IAM, namespace and
 * chart, and return what later resources must wait for.
 */
export interface ClusterAddOn {
  readonly name: string;
  deploy(cluster: ClusterInfo): ITerraformDependable[];
}

/** Pod Security Standards level per label; `enforce` blocks, `warn`/`audit` only report. */
export interface PodSecurity {
  enforce: 'privileged' | 'baseline' | 'restricted';
  warnAndAudit: 'baseline' | 'restricted';
}

export function podSecurityLabels(level: PodSecurity): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level.enforce,
    'pod-security.kubernetes.io/warn': level.warnAndAudit,
    'pod-security.kubernetes.io/audit': level.warnAndAudit,
  };
}

/** A Kubernetes object as Terraform manages it; every object of the project goes through here. */
export function kubeObject(scope: Construct, id: string, provider: KubernetesProvider, object: Record<string, any>, dependsOn: ITerraformDependable[] = []): Manifest {
  return new Manifest(scope, id, { provider, manifest: object, dependsOn });
}

export function namespace(cluster: ClusterInfo, id: string, name: string, labels: Record<string, string>, dependsOn: ITerraformDependable[] = []): Manifest {
  return kubeObject(cluster.scope, id, cluster.kubernetes, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, dependsOn);
}

/**
 * A pinned chart with typed values, serialized as YAML (never string-templated). The release is
 * named after the chart unless `release` says otherwise (two releases of one chart in a cluster).
 */
export function helmChart(cluster: ClusterInfo, id: string, pin: ChartPin, props: { namespace: string; values: Record<string, unknown>; dependsOn: ITerraformDependable[]; release?: string }): Release {
  return new Release(cluster.scope, id, {
    provider: cluster.helm,
    name: props.release ?? pin.chart,
    repository: pin.repository,
    chart: pin.chart,
    version: pin.version,
    namespace: props.namespace,
    values: [YAML.stringify(props.values)],
    // Roll back a failed upgrade instead of leaving a half-applied release.
    atomic: true,
    cleanupOnFail: true,
    wait: true,
    timeout: 600,
    dependsOn: props.dependsOn,
  });
}
