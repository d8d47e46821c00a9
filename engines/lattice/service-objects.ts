import type { ServiceSpec } from '../../config/catalog/schema';
import { GATEWAY_API, LATTICE_API, ROUTE_ANNOTATIONS, type IAMAuthPolicy, type TargetGroupPolicy } from './api';

// The Kubernetes objects that put one catalog service on VPC Lattice, and its auth policy.

/** Who calls: everything a Lattice auth policy can check about an EKS Pod Identity session. */
export interface CallerIdentity {
  service: string;
  accountId: string;
  roleArn: string;
  clusterArn: string;
  namespace: string;
  serviceAccount: string;
}

/** The HTTPRoute of a service: its custom domain, standalone (Terraform associates it), weighted versions. */
export function httpRoute(props: { service: ServiceSpec; namespace: string; gateway: string; domain: string; backends: Array<{ name: string; weight?: number }> }) {
  const { service: s } = props;
  return {
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: { name: s.name, namespace: props.namespace, annotations: { [ROUTE_ANNOTATIONS.standalone]: 'true' } },
    spec: {
      // The controller makes the first hostname the Lattice service's custom domain
      // (pkg/gateway/model_build_lattice_service.go); Lattice routes on it, and it is the Host the
      // caller's signer signs.
      hostnames: [props.domain],
      parentRefs: [{ name: props.gateway, sectionName: `http-${s.port}` }],
      rules: [{ backendRefs: props.backends.map((b) => ({ name: b.name, kind: 'Service', port: s.port, ...(b.weight !== undefined ? { weight: b.weight } : {}) })) }],
    },
  };
}

/**
 * Health checks of the target group the controller makes for one Kubernetes Service, from the
 * catalog. Without it, controller v2.1.3 checks `GET /` and expects 200, which an app without a
 * "/" route (Yelb's app server) fails, so Lattice would route nothing.
 */
export function targetGroupPolicy(s: ServiceSpec, kubeService: string, namespace: string): TargetGroupPolicy {
  if (s.healthCheck.type !== 'http') throw new Error(`${s.name}: a Lattice target group needs an http health check (the engine's catalog rule rejects this config)`);
  const check = s.healthCheck;
  return {
    apiVersion: LATTICE_API,
    kind: 'TargetGroupPolicy',
    metadata: { name: kubeService, namespace },
    spec: {
      targetRef: { group: '', kind: 'Service', name: kubeService },
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      healthCheck: {
        enabled: true,
        intervalSeconds: check.intervalSeconds,
        timeoutSeconds: check.timeoutSeconds,
        healthyThresholdCount: check.healthyThreshold,
        unhealthyThresholdCount: check.unhealthyThreshold,
        path: check.path,
        port: s.port,
        protocol: 'HTTP',
        protocolVersion: 'HTTP1',
        // The catalog promises a 2xx; Lattice's matcher takes a range.
        statusMatch: '200-299',
      },
    },
  };
}

const sidOf = (service: string) => `Caller${service.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`;

/**
 * Admits exactly the declared callers, without naming any principal that must already exist:
 * Principal "*" narrowed by conditions on the caller's role ARN and on the session tags EKS Pod
 * Identity puts on every session (`eks-cluster-arn`, `kubernetes-namespace`,
 * `kubernetes-service-account`; EKS user guide, "Define permissions for EKS Pod Identities to
 * assume roles based on tags"), as in AWS's "Secure cross-cluster communication in EKS with VPC
 * Lattice and Pod Identity IAM session tags". A policy naming a role in `Principal` is rejected
 * until that role exists, which made every callee deploy after its callers; conditions are plain
 * string matches, so callee and caller deploy side by side.
 */
export function serviceAuthPolicy(callers: CallerIdentity[]) {
  return {
    Version: '2012-10-17',
    Statement: callers.map((c) => ({
      Sid: sidOf(c.service),
      Effect: 'Allow',
      Principal: '*',
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': c.roleArn },
        StringEquals: {
          'aws:PrincipalAccount': c.accountId,
          'aws:PrincipalTag/eks-cluster-arn': c.clusterArn,
          'aws:PrincipalTag/kubernetes-namespace': c.namespace,
          'aws:PrincipalTag/kubernetes-service-account': c.serviceAccount,
        },
      },
    })),
  };
}

export function iamAuthPolicy(routeName: string, namespace: string, callers: CallerIdentity[]): IAMAuthPolicy {
  return {
    apiVersion: LATTICE_API,
    kind: 'IAMAuthPolicy',
    metadata: { name: routeName, namespace },
    spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }, policy: JSON.stringify(serviceAuthPolicy(callers)) },
  };
}
