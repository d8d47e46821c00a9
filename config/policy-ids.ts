/**
 * The id of every security control. Kept apart from the controls themselves so the config
 * schema can check a waiver's control without loading the checks.
 */
export const CONTROL_IDS = [
  'eks-secrets-encryption',
  'eks-endpoint-private',
  'eks-control-plane-logs',
  'node-imdsv2',
  'node-volume-encryption',
  'kms-key-rotation',
  'log-group-retention-encryption',
  'vpc-flow-logs',
  'default-security-group-closed',
  'no-public-ingress',
  'iam-no-full-admin',
  'workload-role-bound',
  'ecr-hardened',
  'state-bucket-hardened',
  'output-no-secrets',
  'mesh-deny-by-default',
  'container-non-root-limits',
  'namespace-pod-security',
  'istio-strict-mtls',
  'istio-authorization-per-service',
  'no-ca-private-key',
] as const;

export type ControlId = (typeof CONTROL_IDS)[number];
