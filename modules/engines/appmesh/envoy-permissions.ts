/**
 * What a meshed pod's service account needs: Envoy streams its configuration for virtual nodes
 * of this mesh only, and the injected X-Ray daemon sends traces (X-Ray has no resource-level
 * permissions, hence "*"). The ACM export actions are left out: mesh TLS is not enabled.
 */
export function envoyPermissions(region: string, meshOwnerId: string, meshName: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'EnvoyConfiguration', Effect: 'Allow', Action: 'appmesh:StreamAggregatedResources', Resource: `arn:aws:appmesh:${region}:${meshOwnerId}:mesh/${meshName}/virtualNode/*` },
      { Sid: 'XRayTraces', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], Resource: '*' },
    ],
  };
}
