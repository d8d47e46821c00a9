import type { ServiceSpec } from '../../config/catalog/schema';
import type { KubeObject } from '../../modules/workloads/kube-objects';
import { ISTIO_SECURITY_API, ingressGatewayPrincipal, principal, type MeshAccount } from './mesh-names';

// Who may call whom, from the catalog: deny by default in the workload namespace, and one ALLOW
// policy per service naming exactly the identities of its declared callers (and of the account's
// public ingress gateway for a public service), on the service's port only.
//
// Istio's evaluation (istio/api@1.30.3 security/v1beta1/authorization_policy.proto, top
// comment): with no DENY or CUSTOM policy, a request to a workload is allowed if no ALLOW policy
// applies to it, or if one of the ALLOW policies that apply matches it; else it is denied.

/** The namespace-wide policy that matches nothing: once it applies, only explicit ALLOWs admit. */
export const ALLOW_NOTHING = 'allow-nothing';

/** Name of a service's ALLOW policy; the suffix keeps it apart from `allow-nothing` whatever the service is called. */
export const callersPolicyName = (s: Pick<ServiceSpec, 'name'>) => `${s.name}-callers`;

export const callersOf = (services: ServiceSpec[], target: Pick<ServiceSpec, 'name'>) => services.filter((s) => s.backends.includes(target.name));

/**
 * `spec: {}` is an ALLOW policy whose rules never match: "It allows nothing and effectively
 * denies all requests to workloads in namespace foo" (authorization_policy.proto). It lives in
 * the workload namespace, not the root namespace, where it would also bind the ingress and
 * east-west gateways and close their listeners.
 */
export function allowNothing(namespace: string): KubeObject {
  return { apiVersion: ISTIO_SECURITY_API, kind: 'AuthorizationPolicy', metadata: { name: ALLOW_NOTHING, namespace }, spec: {} };
}

/**
 * The principals allowed to call `s`, sorted: each caller's ServiceAccount in its own account's
 * trust domain, plus the ingress gateway of `s`'s account when `s` is public.
 *
 * Principals, not `source.serviceAccounts`: the latter matches `<ns>/<sa>` in any trust domain
 * (istio/istio@1.30.3 pilot/pkg/security/authz/model/generator.go serviceAccountRegex,
 * `spiffe://.+/ns/<ns>/...`), so a same-named ServiceAccount in another account's cluster would
 * pass. A principal without `*` is matched exactly
 * as `spiffe://<value>` (same file, srcPrincipalGenerator); ours never carry one.
 */
export function allowedPrincipals(s: ServiceSpec, services: ServiceSpec[], namespace: string, accounts: Record<string, MeshAccount>): string[] {
  const trustDomain = (account: string) => {
    const a = accounts[account];
    if (!a) throw new Error(`no mesh account "${account}" in the Istio workload input (service ${s.name})`);
    return a.trustDomain;
  };
  // Every site a caller runs in has its own trust domain (one istiod per cluster). A caller
  // placed where `s` also runs calls its local copy, so naming it in every copy's policy admits
  // no one the catalog does not declare as a caller.
  const callers = callersOf(services, s).flatMap((c) => c.placements.map((p) => principal(trustDomain(p.site), namespace, c.name)));
  const ingress = s.exposure === 'public' ? s.placements.map((p) => ingressGatewayPrincipal(trustDomain(p.site))) : [];
  return [...new Set([...callers, ...ingress])].sort();
}

/**
 * The ALLOW policy of one service. A service nobody calls gets one with no rules, which matches
 * nothing ("If not set, the match will never occur", AuthorizationPolicy.rules), so every
 * service carries a policy of its own. `ports` is the port of the connection at the workload
 * (Operation.ports), which is the container port: the catalog serves on `port` end to end.
 */
export function callersPolicy(s: ServiceSpec, services: ServiceSpec[], namespace: string, accounts: Record<string, MeshAccount>): KubeObject {
  const principals = allowedPrincipals(s, services, namespace, accounts);
  return {
    apiVersion: ISTIO_SECURITY_API,
    kind: 'AuthorizationPolicy',
    metadata: { name: callersPolicyName(s), namespace },
    spec: {
      selector: { matchLabels: { app: s.name } },
      action: 'ALLOW',
      ...(principals.length ? { rules: [{ from: [{ source: { principals } }], to: [{ operation: { ports: [String(s.port)] } }] }] } : {}),
    },
  };
}
