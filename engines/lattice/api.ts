// The AWS Gateway API Controller's custom resources and the annotations it reads and writes,
// typed after aws/aws-application-networking-k8s v2.1.3 (helm/crds/*.yaml and
// pkg/controllers/route_controller.go) for the fields this project sets. A misspelt field is a
// compile error here, and the objects are checked against the CRDs' schemas in the tests.

/** Where the pinned controller's CRDs live upstream (checked against in the tests, never copied). */
export const CRD_SOURCE = { repo: 'aws/aws-application-networking-k8s', ref: 'v2.1.3', dir: 'helm/crds' } as const;

export const GATEWAY_API = 'gateway.networking.k8s.io/v1';
export const LATTICE_API = 'application-networking.k8s.aws/v1alpha1';
export const LATTICE_GATEWAY_CLASS = 'amazon-vpc-lattice';

/** Written by the controller on each route once its Lattice service exists. */
export const ROUTE_ANNOTATIONS = {
  serviceArn: 'application-networking.k8s.aws/lattice-service-arn',
  assignedDomain: 'application-networking.k8s.aws/lattice-assigned-domain-name',
  /**
   * Read by the controller: "true" creates the Lattice service without associating it with a
   * service network (docs/guides/standalone-services.md). Terraform associates it instead, by
   * the network's ARN, which is what works across accounts.
   */
  standalone: 'application-networking.k8s.aws/standalone',
} as const;

interface PolicyTargetRef {
  group: '' | 'gateway.networking.k8s.io';
  kind: 'Service' | 'HTTPRoute' | 'Gateway';
  name: string;
  namespace?: string;
}

interface Meta {
  name: string;
  namespace: string;
}

/** targetgrouppolicies.application-networking.k8s.aws: bounds as in the CRD's schema. */
export interface TargetGroupPolicy {
  apiVersion: typeof LATTICE_API;
  kind: 'TargetGroupPolicy';
  metadata: Meta;
  spec: {
    targetRef: PolicyTargetRef & { group: ''; kind: 'Service' };
    protocol: 'HTTP' | 'HTTPS' | 'TCP';
    protocolVersion: 'HTTP1' | 'HTTP2';
    healthCheck: {
      enabled: boolean;
      /** 5-300 */
      intervalSeconds: number;
      /** 1-120 */
      timeoutSeconds: number;
      /** 2-10 */
      healthyThresholdCount: number;
      /** 2-10 */
      unhealthyThresholdCount: number;
      path: string;
      port?: number;
      protocol: 'HTTP' | 'HTTPS';
      protocolVersion: 'HTTP1' | 'HTTP2';
      statusMatch: string;
    };
  };
}

/** iamauthpolicies.application-networking.k8s.aws: `policy` is the auth policy document as a string. */
export interface IAMAuthPolicy {
  apiVersion: typeof LATTICE_API;
  kind: 'IAMAuthPolicy';
  metadata: Meta;
  spec: { targetRef: PolicyTargetRef & { group: 'gateway.networking.k8s.io'; kind: 'HTTPRoute' }; policy: string };
}
