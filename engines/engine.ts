import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { MeshConfig } from '../config/load';
import type { AccountConfig, ParsedConfig } from '../config/schema';
import type { Problem } from '../config/errors';
import type { ServiceSpec } from '../config/catalog/schema';
import type { ClusterAddOn } from '../modules/addons/addon';
import type { OutputReader } from '../contracts/outputs';
import type { KubeObject } from '../modules/workloads/kube-objects';
import type { Signals, Thresholds } from '../modules/observability/signals';
import type { NetworkContract } from '../contracts/network';
import type { ClusterContract } from '../contracts/cluster';
import type { MeshContract } from '../contracts/mesh';

// A mesh engine is everything that differs between App Mesh and VPC Lattice: the shared mesh in
// the owner account, the mesh part of every cluster's controllers, and the routing objects next
// to the workloads. Accounts, clusters, the catalog and observability do not change with it.
// A third engine is one new folder implementing this interface, plus a line in ./registry.ts.

/** An engine's name in `mesh.engine`; the registry (./registry.ts) is the list of valid ones. */
export type EngineName = string;

/** What the mesh stack offers an engine; upstream readers add the stack dependency when first used. */
export interface MeshBuild {
  scope: Construct;
  config: MeshConfig;
  providers: Map<string, AwsProvider>;
  network(): OutputReader<NetworkContract>;
  cluster(account: string): OutputReader<ClusterContract>;
}

/** The values of the mesh stack's outputs. */
export type MeshOutputValues = { [K in keyof MeshContract]: unknown };

/** What a workloads stack offers an engine. */
export interface WorkloadScope {
  scope: Construct;
  config: MeshConfig;
  account: AccountConfig;
  clusterName: string;
  namespace: string;
  aws: AwsProvider;
  mesh: OutputReader<MeshContract>;
  /** Creates a Kubernetes object in this cluster. */
  kube(id: string, object: KubeObject, dependsOn?: ITerraformDependable[]): Manifest;
  /**
   * Records that this stack uses `derived` as the endpoint of `service`, a backend in another
   * account, and returns it. Engines derive endpoints from the config (an App Mesh ARN under the
   * mesh's, a Lattice custom domain), so callers never wait for callees; a Terraform check
   * compares the value with what the callee's stack publishes.
   */
  calleeEndpoint(service: ServiceSpec, derived: string): string;
  /** IAM role ARN the workloads stack gives a service's account (deterministic, by name). */
  serviceRoleArn(service: ServiceSpec): string;
  /** Everything known at synth about the EKS Pod Identity session a service's pods run as. */
  identityOf(service: ServiceSpec): { service: string; accountId: string; roleArn: string; clusterArn: string; namespace: string; serviceAccount: string };
}

export interface WorkloadRouting {
  /** IAM policy the service's own role needs for the engine (Envoy config, signing, tracing), if any. */
  permissions(service: ServiceSpec): { Version: string; Statement: object[] } | undefined;
  /** Creates the routing objects of one service; returns what its pods must wait for. */
  route(service: ServiceSpec): ITerraformDependable[];
  /**
   * Adjusts an object of the service before it is created (a Deployment's sidecars and host
   * aliases, a public Ingress aimed at the engine's own gateway); optional.
   */
  decorate?(service: ServiceSpec, object: KubeObject): void;
  /** Endpoint per service of this account, published for callers in other accounts. */
  endpoints(): Record<string, string>;
}

/** One cluster, as its dashboard and alarms see it. */
export interface ClusterScope {
  /** The whole catalog: a caller's backends may live in other accounts. */
  services: ServiceSpec[];
  account: string;
  clusterName: string;
  namespace: string;
  thresholds: Thresholds;
}

export interface MeshEngine {
  readonly name: EngineName;
  /** Printed once at every synth with this engine (a discontinued service, say); none when absent. */
  readonly notice?: string;
  /** Whether cross-account calls ride VPC peering (App Mesh) or the engine's own network (Lattice). */
  readonly callsNeedPeering: boolean;
  /**
   * Whether one mesh can hold clusters in several regions. false where the shared mesh and its
   * RAM share are regional (an App Mesh, a Lattice service network): every site must then be in
   * the mesh owner's region, and synthesis stops otherwise (engines/region-rules.ts).
   */
  readonly spansRegions: boolean;
  /** What the shared mesh is, for messages: "VPC Lattice service network", "App Mesh mesh". */
  readonly meshKind?: string;
  /**
   * The port a caller in another account opens to reach `service` over the peering: the
   * service's own by default; an engine that funnels calls through a gateway names the gateway's.
   */
  peerPort?(service: ServiceSpec): number;
  /** Mock ARN and id of the shared mesh (what stands in for the mesh stack's outputs before it exists). */
  meshMocks(config: MeshConfig, ownerAccountId: string): { arn: string; id: string };
  /** Output of each workloads stack that callers read, with its mock. */
  endpointOutput(config: MeshConfig, account: string): { key: string; description: string; mock: Record<string, string> };
  /** Catalog features this engine cannot express, as config problems. */
  unsupported(config: ParsedConfig, services: ServiceSpec[]): Problem[];
  buildSharedMesh(build: MeshBuild): MeshOutputValues;
  controllerAddOns(mesh: OutputReader<MeshContract>, config: MeshConfig): ClusterAddOn[];
  /**
   * An engine that runs its own control plane in every cluster (a CA, istiod, gateways) returns
   * its parts as add-ons. They get a stack per cluster between the controllers, whose CRDs they
   * use, and the workloads, which wait for them. Engines without one leave this out.
   */
  controlPlaneAddOns?(mesh: OutputReader<MeshContract>, config: MeshConfig, account: AccountConfig): ClusterAddOn[];
  /**
   * What the controllers stack of one cluster can watch, knowing only the config: the series
   * the engine's proxies publish, as dashboard rows and alarms.
   */
  clusterSignals(cluster: ClusterScope): Signals[];
  /** Labels of the workload namespace, Pod Security levels included. */
  namespaceLabels(config: MeshConfig): Record<string, string>;
  workloadRouting(scope: WorkloadScope): WorkloadRouting;
}
