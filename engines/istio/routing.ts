import type { ITerraformDependable } from 'cdktf';
import type { WorkloadRouting, WorkloadScope } from '../engine';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { istioWorkloadObjects } from './workload-objects';
import { publicIngress } from './public-ingress';
import { remoteBackends } from './federation';
import { meshAccounts } from './cluster-input';
import { serviceHost } from './mesh-names';

/** Terraform ids of the objects of one workloads stack; namespaces are part of them, as two objects may share a name. */
const objectId = (o: KubeObject) => `istio-${o.kind.toLowerCase()}-${o.metadata.namespace}-${o.metadata.name}`;

/**
 * The Istio objects of one account's services, created in its workloads stack. A caller reaches
 * a backend in another account by the backend's plain Kubernetes name: the ServiceEntry of that
 * name (./federation.ts) points at the callee's east-west gateway, whose name is derived from the
 * config, so callers never wait for callees.
 */
export function istioRouting(w: WorkloadScope): WorkloadRouting {
  const { config, account, namespace } = w;
  const accounts = meshAccounts(config);
  // The public Ingress is the workloads stack's own object, rewritten by `decorate` (it waits for
  // the ALB's name there); every other object is created here.
  const objects = istioWorkloadObjects({ account: account.name, namespace, services: config.services, accounts }).filter((o) => o.kind !== 'Ingress');
  const created = objects.map((o) => w.kube(objectId(o), o));
  // Each remote backend's name as the callee's stack publishes it (a Terraform check compares).
  for (const b of remoteBackends(config.services, account.name)) w.calleeEndpoint(b, serviceHost(b, namespace));

  const here = config.services.filter((s) => s.account === account.name);
  return {
    // Istio needs no AWS permission in the service's own role: certificates come from istiod.
    permissions: () => undefined,
    // Pods start only once deny-by-default, their callers' policy and their egress limits exist,
    // so no pod ever serves without its AuthorizationPolicy.
    route: (): ITerraformDependable[] => created,
    // The ALB goes to the ingress gateway, which calls the service with mutual TLS; an ALB straight
    // to the pods could not pass STRICT mTLS (./public-ingress.ts).
    decorate(s, object) {
      if (object.kind !== 'Ingress') return;
      const rewritten = publicIngress(s);
      for (const key of Object.keys(object)) delete object[key];
      Object.assign(object, rewritten);
    },
    endpoints: () => Object.fromEntries(here.map((s) => [s.name, serviceHost(s, namespace)])),
  };
}
