import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { DataAwsResourcegroupstaggingapiResources } from '@cdktf/provider-aws/lib/data-aws-resourcegroupstaggingapi-resources';
import type { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

// The ids VPC Lattice metrics are published under (modules/observability/metrics.ts) exist only
// once the AWS Gateway API controller has turned an HTTPRoute into a Lattice service. Terraform
// reads them here, in the workloads stack that owns the route. Facts from
// aws/aws-application-networking-k8s v2.1.3:
// - pkg/controllers/route_controller.go annotates the route with the service's ARN
//   (`application-networking.k8s.aws/lattice-service-arn`) in the same patch as its domain, which
//   the route already waits for, after the whole model (target groups first) was deployed
//   (pkg/deploy/stack_deployer.go);
// - pkg/model/lattice/targetgroup.go names target groups with a random suffix, but tags each
//   with the cluster, the backend Service and the route that use it.

export const LATTICE_SERVICE_ARN_ANNOTATION = 'application-networking.k8s.aws/lattice-service-arn';

const TAG = 'application-networking.k8s.aws/';
/** What a target group id resolves to until the Tagging API lists the group: an alarm on it fires. */
export const TARGET_GROUP_NOT_FOUND = 'tg-not-found';

/** The resource id at the end of a Lattice ARN (`…:service/svc-…` → `svc-…`). */
const idOf = (arn: string) => Fn.element(Fn.split('/', arn), 1);

export interface LatticeIdsProps {
  provider: AwsProvider;
  /** The HTTPRoute as Terraform created it. */
  route: Manifest;
  clusterName: string;
  namespace: string;
  routeName: string;
  /** The Kubernetes Services the route sends to (one per version). */
  backendServices: string[];
}

export class LatticeServiceIds extends Construct {
  readonly serviceId: string;
  readonly targetGroups: Array<{ name: string; id: string }>;

  constructor(scope: Construct, id: string, p: LatticeIdsProps) {
    super(scope, id);
    this.serviceId = idOf(Token.asString(p.route.interpolationForAttribute(`object.metadata.annotations["${LATTICE_SERVICE_ARN_ANNOTATION}"]`)));
    this.targetGroups = p.backendServices.map((service) => {
      const found = new DataAwsResourcegroupstaggingapiResources(this, `tg-${service}`, {
        provider: p.provider,
        resourceTypeFilters: ['vpc-lattice:targetgroup'],
        tagFilter: [
          { key: `${TAG}ClusterName`, values: [p.clusterName] },
          { key: `${TAG}ServiceName`, values: [service] },
          { key: `${TAG}ServiceNamespace`, values: [p.namespace] },
          { key: `${TAG}RouteName`, values: [p.routeName] },
          { key: `${TAG}RouteNamespace`, values: [p.namespace] },
        ],
        // Read after the route exists (on the first apply, during it), when its groups do.
        dependsOn: [p.route],
      });
      // The Tagging API can lag behind a new group; until it lists it, the alarm watches a group
      // that has no data and fires, and the next apply of this stack picks the id up.
      return { name: service, id: Token.asString(Fn.try([idOf(found.resourceTagMappingList.get(0).resourceArn), TARGET_GROUP_NOT_FOUND])) };
    });
  }
}
