import type { ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { INGRESS_GATEWAY, ISTIO_NETWORKING_API, namespacedHost } from './mesh-names';
import { serviceRoute } from './traffic-policy';

// A public service: an internet-facing ALB (AWS Load Balancer Controller Ingress) in front of the
// Istio ingress gateway's pods, and a VirtualService on the gateway's `public` Gateway that
// routes to the service. The gateway calls the service with mutual TLS as its own identity
// (ISTIO_MUTUAL), which the service's AuthorizationPolicy admits; an ALB straight to the pods
// could not pass STRICT mutual TLS. Both objects live in the gateway's namespace, where they are
// namespace-local (`exportTo: ["."]`) and cannot clash with the service's own objects.

/**
 * The ALB: listens on 80 only (the `no-public-ingress` control admits 80/443), sends to the
 * gateway pods' IPs (`target-type: ip`, so no NodePort is opened), and health-checks the
 * gateway's readiness endpoint rather than the app, since the ALB's targets are the gateway pods
 * (annotations: kubernetes-sigs/aws-load-balancer-controller@v3.5.0 docs/guide/ingress/annotations.md).
 */
export function publicIngress(s: ServiceSpec): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: s.name,
      namespace: INGRESS_GATEWAY.namespace,
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
        'alb.ingress.kubernetes.io/healthcheck-port': String(INGRESS_GATEWAY.statusPort),
        'alb.ingress.kubernetes.io/healthcheck-path': INGRESS_GATEWAY.readinessPath,
      },
    },
    spec: {
      ingressClassName: 'alb',
      rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: INGRESS_GATEWAY.name, port: { number: INGRESS_GATEWAY.httpPort } } } }] } }],
    },
  };
}

/**
 * Routes every request reaching the `public` Gateway to the service, with the service's own
 * timeout, retries and canary weights (the gateway is one more caller). `hosts: ["*"]`: the ALB
 * passes its own DNS name as Host, which is not known at synth; this is why an account can have
 * only one public service with this engine (catalog-fit.ts). A gateway sees VirtualServices
 * exported to its own namespace (istio/istio@1.30.3 pilot/pkg/model/push_context.go
 * VirtualServicesForGateway), which this one is by living there.
 */
export function publicVirtualService(s: ServiceSpec, serviceNamespace: string): KubeObject {
  return {
    apiVersion: ISTIO_NETWORKING_API,
    kind: 'VirtualService',
    metadata: { name: s.name, namespace: INGRESS_GATEWAY.namespace },
    spec: {
      hosts: ['*'],
      gateways: [namespacedHost(INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.gateway)],
      exportTo: ['.'],
      ...serviceRoute(s, serviceNamespace),
    },
  };
}
