import type { ITerraformDependable } from 'cdktf';
import { PodIdentityRole } from '../../modules/workload-identity';
import { type ClusterAddOn, type ClusterInfo, helmChart, namespace, podSecurityLabels } from '../../modules/addons/addon';
import { CHARTS } from '../../modules/addons/charts';
import { meshArn, meshResourcePrefix, type MeshCoordinates } from './arns';

const NAMESPACE = 'appmesh-system';
const SERVICE_ACCOUNT = 'appmesh-controller';

/**
 * The controller's own policy (config/iam/controller-iam-policy.json of
 * aws/aws-app-mesh-controller-for-k8s) narrowed to this deployment: App Mesh actions only on this
 * mesh and its children, no Create/Update/DeleteMesh (the mesh is Terraform's, see the mesh
 * stack), and no ACM/ACM-PCA reads because mesh TLS is not enabled. Cloud Map and the Route 53
 * health checks stay as upstream. Replaces AWSAppMeshFullAccess + AWSCloudMapFullAccess on nodes.
 * The mesh is the owner's; what this account's controller creates in it carries this account's
 * ARN form (./arns.ts), so in a member account the children are under `mesh/<mesh>@<owner>`.
 */
export function appMeshControllerPolicy(mesh: MeshCoordinates, accountId: string) {
  const children = meshResourcePrefix(mesh, accountId);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AppMeshInThisMesh',
        Effect: 'Allow',
        Action: [
          'appmesh:DescribeMesh',
          'appmesh:CreateVirtualNode', 'appmesh:DescribeVirtualNode', 'appmesh:UpdateVirtualNode', 'appmesh:DeleteVirtualNode', 'appmesh:ListVirtualNodes',
          'appmesh:CreateVirtualService', 'appmesh:DescribeVirtualService', 'appmesh:UpdateVirtualService', 'appmesh:DeleteVirtualService', 'appmesh:ListVirtualServices',
          'appmesh:CreateVirtualRouter', 'appmesh:DescribeVirtualRouter', 'appmesh:UpdateVirtualRouter', 'appmesh:DeleteVirtualRouter', 'appmesh:ListVirtualRouters',
          'appmesh:CreateRoute', 'appmesh:DescribeRoute', 'appmesh:UpdateRoute', 'appmesh:DeleteRoute', 'appmesh:ListRoutes',
          'appmesh:CreateVirtualGateway', 'appmesh:DescribeVirtualGateway', 'appmesh:UpdateVirtualGateway', 'appmesh:DeleteVirtualGateway', 'appmesh:ListVirtualGateways',
          'appmesh:CreateGatewayRoute', 'appmesh:DescribeGatewayRoute', 'appmesh:UpdateGatewayRoute', 'appmesh:DeleteGatewayRoute', 'appmesh:ListGatewayRoutes',
        ],
        Resource: [meshArn(mesh), `${children}/*`],
      },
      // Listing meshes is account-wide; it has no resource to scope to.
      { Sid: 'ListMeshes', Effect: 'Allow', Action: 'appmesh:ListMeshes', Resource: '*' },
      {
        Sid: 'CloudMapDiscovery',
        Effect: 'Allow',
        Action: [
          'servicediscovery:CreateService', 'servicediscovery:DeleteService', 'servicediscovery:GetService', 'servicediscovery:GetInstance',
          'servicediscovery:RegisterInstance', 'servicediscovery:DeregisterInstance', 'servicediscovery:ListInstances', 'servicediscovery:ListNamespaces',
          'servicediscovery:ListServices', 'servicediscovery:GetInstancesHealthStatus', 'servicediscovery:UpdateInstanceCustomHealthStatus',
          'servicediscovery:GetOperation',
          'route53:GetHealthCheck', 'route53:CreateHealthCheck', 'route53:UpdateHealthCheck', 'route53:ChangeResourceRecordSets', 'route53:DeleteHealthCheck',
        ],
        // Cloud Map and Route 53 health-check actions have no resource-level scoping that
        // survives instance registration, so these stay on "*" (as in the controller's policy).
        Resource: '*',
      },
      {
        Sid: 'ServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: 'arn:aws:iam::*:role/aws-service-role/appmesh.amazonaws.com/AWSServiceRoleForAppMesh',
        Condition: { StringLike: { 'iam:AWSServiceName': ['appmesh.amazonaws.com'] } },
      },
    ],
  };
}

/** The App Mesh controller: CRDs first (from the same pinned chart), IAM bound to its service account, X-Ray tracing on. */
export class AppMeshControllerAddOn implements ClusterAddOn {
  readonly name = 'appmesh-controller';

  constructor(private readonly mesh: { ownerAccountId: string; name: string }) {}


  deploy(cluster: ClusterInfo): ITerraformDependable[] {
    const ns = namespace(cluster, 'appmesh-system-ns', NAMESPACE, { name: NAMESPACE, ...podSecurityLabels({ enforce: 'baseline', warnAndAudit: 'restricted' }) });
    const identity = new PodIdentityRole(cluster.scope, 'appmesh-controller-identity', {
      provider: cluster.aws,
      roleName: `${cluster.clusterName}-appmesh-controller`,
      accountId: cluster.accountId,
      clusterName: cluster.clusterName,
      clusterNameRef: cluster.clusterNameRef,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      policy: appMeshControllerPolicy({ region: cluster.region, meshName: this.mesh.name, meshOwnerId: this.mesh.ownerAccountId }, cluster.accountId),
    });
    const release = helmChart(cluster, 'appmesh-controller', CHARTS.appmeshController, {
      namespace: NAMESPACE,
      values: {
        region: cluster.region,
        accountId: cluster.accountId,
        clusterName: cluster.clusterName,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
        // The controller injects an X-Ray daemon sidecar next to each Envoy; Envoy sends its
        // spans to it on localhost, and it signs them with the pod's own service-account role.
        tracing: { enabled: true, provider: 'x-ray' },
      },
      // The role must be associated before the controller pod starts, or it runs without credentials.
      dependsOn: [ns, identity.association],
    });
    return [release];
  }
}
