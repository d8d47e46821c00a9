// ARNs of App Mesh resources in a mesh shared through RAM.
//
// A resource's ARN carries the account that owns the resource, and, when that is not the mesh
// owner, the mesh is named `<mesh>@<mesh owner>`:
// - aws/aws-app-mesh-controller-for-k8s v1.13.3, pkg/conversions/arns_conversion_test.go: the
//   shared-mesh form `arn:aws:appmesh:us-west-2:000000000000:mesh/mesh-name@111111111111/virtualNode/vn-name`;
// - the same controller, pkg/inject/envoy.go `getAugmentedMeshName`: a member's Envoy names its
//   mesh `<mesh>@<owner>` in APPMESH_RESOURCE_ARN (as AWS's cross-account example does,
//   aws-app-mesh-examples blogs/ecs-cross-account, `mesh/${MeshName}@${MeshOwner}/virtualNode/...`);
// - App Mesh API reference, ResourceMetadata: `resourceOwner` is the account that created the
//   resource, `meshOwner` the account that owns the mesh; IAM evaluates the resource's own ARN
//   (Service Authorization Reference, App Mesh: `arn:${Partition}:appmesh:${Region}:${Account}:mesh/${MeshName}/virtualNode/${VirtualNodeName}`).

export interface MeshCoordinates {
  region: string;
  meshName: string;
  meshOwnerId: string;
}

/** The mesh itself: always the owner's. */
export const meshArn = (m: MeshCoordinates) => `arn:aws:appmesh:${m.region}:${m.meshOwnerId}:mesh/${m.meshName}`;

/**
 * The prefix of every resource `resourceOwnerId` creates in the mesh: the mesh's own ARN for the
 * owner, `arn:aws:appmesh:<region>:<member>:mesh/<mesh>@<owner>` for a member.
 */
export function meshResourcePrefix(m: MeshCoordinates, resourceOwnerId: string): string {
  const mesh = resourceOwnerId === m.meshOwnerId ? m.meshName : `${m.meshName}@${m.meshOwnerId}`;
  return `arn:aws:appmesh:${m.region}:${resourceOwnerId}:mesh/${mesh}`;
}

export const meshResourceArn = (m: MeshCoordinates, resourceOwnerId: string, kind: 'virtualNode' | 'virtualService' | 'virtualRouter', name: string) =>
  `${meshResourcePrefix(m, resourceOwnerId)}/${kind}/${name}`;
