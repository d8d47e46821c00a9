import { meshResourceArn, type MeshCoordinates } from './arns';

/**
 * What a meshed pod's service account needs: Envoy streams its configuration for this account's
 * virtual nodes of this mesh only (the ARN form of ./arns.ts: in a member account the mesh is
 * `<mesh>@<owner>`), and the injected X-Ray daemon sends traces (X-Ray has no resource-level
 * permissions, hence "*"). The ACM export actions are left out: mesh TLS is not enabled.
 */
export function envoyPermissions(mesh: MeshCoordinates, accountId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnvoyConfiguration', Effect: 'Allow', Action: 'appmesh:StreamAggregatedResources', Resource: meshResourceArn(mesh, accountId, 'virtualNode', '*') },
      { Sid: 'XRayTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*' },
    ],
  };
}
