import type { Control, Finding } from '../control';
import { blocks, type KubeObject, type PolicyInput, type Resource } from '../model';

// Istio's two guarantees, checked on what Terraform applies: every sidecar refuses plaintext
// (PeerAuthentication STRICT in the root namespace, istio/api@1.30.3
// security/v1beta1/peer_authentication.proto: a policy there with no selector is mesh-wide, and a
// narrower one overrides it), and every service admits only callers named in an ALLOW policy
// (security/v1beta1/authorization_policy.proto: with no ALLOW policy applying to a workload,
// everything is allowed; `spec: {}` in a namespace allows nothing). Both apply to a cluster
// only when that cluster runs istiod; the other engines are not affected.

/** istiod's root namespace, where mesh-wide policies live (meshConfig.rootNamespace's default). */
const ROOT_NAMESPACE = 'istio-system';
const ISTIOD_CHART = 'istiod';


/** The account a stack belongs to: the `<account>` in `…-<account>` for which a `cluster-<account>` stack exists. */
function accountOf(stack: string, accounts: string[]): string | undefined {
  return accounts.filter((a) => stack.endsWith(`-${a}`)).sort((a, b) => b.length - a.length)[0];
}

function clusterAccounts(input: PolicyInput): string[] {
  return input.stacks.map((s) => s.name).filter((n) => n.startsWith('cluster-')).map((n) => n.slice('cluster-'.length));
}

/** The istiod release of each account that runs one. */
function istiodByAccount(input: PolicyInput): Map<string, Resource> {
  const accounts = clusterAccounts(input);
  const found = new Map<string, Resource>();
  for (const r of input.resources('helm_release').filter((r) => r.body.chart === ISTIOD_CHART)) {
    const account = accountOf(r.stack, accounts);
    if (account) found.set(account, r);
  }
  return found;
}

const inAccount = (input: PolicyInput, account: string, o: KubeObject) => accountOf(o.resource.stack, clusterAccounts(input)) === account;

const weakModes = (spec: any): string[] => {
  const modes = [spec?.mtls?.mode, ...Object.values<any>(spec?.portLevelMtls ?? {}).map((p) => p?.mode)];
  return modes.filter((m) => m !== undefined && m !== 'STRICT' && m !== 'UNSET');
};

export const istioStrictMtls: Control = {
  id: 'istio-strict-mtls',
  reason: 'Without mesh-wide STRICT mutual TLS a sidecar also accepts plaintext, and a caller no policy can identify.',
  fix: 'a PeerAuthentication "default" in istio-system with spec.mtls.mode STRICT and no selector (engines/istio/mesh-wide-objects.ts strictMtls), and no PERMISSIVE or DISABLE anywhere',
  check(input) {
    const findings: Finding[] = [];
    const peers = input.kubeObjects('PeerAuthentication');
    for (const [account, istiod] of istiodByAccount(input)) {
      const meshWide = peers.filter((o) => inAccount(input, account, o) && o.manifest.metadata?.namespace === ROOT_NAMESPACE && !o.manifest.spec?.selector);
      if (!meshWide.some((o) => o.manifest.spec?.mtls?.mode === 'STRICT')) {
        findings.push({ resource: istiod.path, problem: `cluster of ${account} runs istiod but has no mesh-wide PeerAuthentication with mtls.mode STRICT in ${ROOT_NAMESPACE}` });
      }
    }
    for (const { resource, manifest } of peers) {
      const weak = weakModes(manifest.spec);
      if (weak.length) findings.push({ resource: resource.path, problem: `PeerAuthentication allows ${[...new Set(weak)].join(', ')}, which overrides STRICT where it applies` });
    }
    return findings;
  },
};

const applies = (policy: any, podLabels: Record<string, string>) => Object.entries<string>(policy.spec?.selector?.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v);
const isAllowNothing = (policy: any) => (policy.spec?.action ?? 'ALLOW') === 'ALLOW' && !policy.spec?.selector && blocks(policy.spec?.rules).length === 0;

/** A rule that any caller matches: no `from`, or a source with no principals, or a `*` principal. */
function admitsAnyone(rule: any): boolean {
  const from = blocks(rule?.from);
  if (from.length === 0) return true;
  return from.some((f: any) => {
    const principals = blocks(f?.source?.principals);
    return principals.length === 0 || principals.includes('*');
  });
}

/** Namespaces whose pods get a sidecar, in accounts that run istiod. */
function meshedNamespaces(input: PolicyInput, accounts: Set<string>): Array<{ account: string; name: string; resource: Resource }> {
  const all = clusterAccounts(input);
  return input.kubeObjects('Namespace').flatMap(({ resource, manifest }) => {
    const account = accountOf(resource.stack, all);
    const labels: Record<string, string> = manifest.metadata?.labels ?? {};
    const injected = labels['istio-injection'] === 'enabled' || labels['istio.io/rev'] !== undefined;
    return account && accounts.has(account) && injected ? [{ account, name: manifest.metadata.name, resource }] : [];
  });
}

export const istioAuthorizationPerService: Control = {
  id: 'istio-authorization-per-service',
  reason: 'Istio admits every caller of a workload that no ALLOW policy selects; deny-by-default needs allow-nothing per namespace and a policy naming the callers of each service.',
  fix: 'an AuthorizationPolicy "allow-nothing" (spec: {}) in each injected namespace and one ALLOW policy per service listing its callers\' principals (engines/istio/authorization.ts)',
  check(input) {
    const accounts = new Set(istiodByAccount(input).keys());
    if (accounts.size === 0) return [];
    const policies = input.kubeObjects('AuthorizationPolicy');
    const findings: Finding[] = [];
    for (const ns of meshedNamespaces(input, accounts)) {
      const here = policies.filter((p) => p.manifest.metadata?.namespace === ns.name && inAccount(input, ns.account, p));
      if (!here.some((p) => isAllowNothing(p.manifest))) findings.push({ resource: ns.resource.path, problem: `namespace ${ns.name} has no allow-nothing AuthorizationPolicy, so a workload no policy selects admits every caller` });
      const services = input.kubeObjects('Service').filter((s) => s.manifest.metadata?.namespace === ns.name && inAccount(input, ns.account, s));
      for (const { resource, manifest } of services) {
        const podLabels: Record<string, string> = manifest.spec?.selector ?? {};
        const own = here.filter((p) => p.manifest.spec?.selector && (p.manifest.spec?.action ?? 'ALLOW') === 'ALLOW' && applies(p.manifest, podLabels));
        if (Object.keys(podLabels).length && own.length === 0) findings.push({ resource: resource.path, problem: `Service ${manifest.metadata.name} has no AuthorizationPolicy of its own naming its callers` });
      }
      for (const { resource, manifest } of here) {
        if ((manifest.spec?.action ?? 'ALLOW') === 'ALLOW' && blocks(manifest.spec?.rules).some(admitsAnyone)) {
          findings.push({ resource: resource.path, problem: `AuthorizationPolicy ${manifest.metadata.name} has a rule any caller matches (no principals, or "*")` });
        }
      }
    }
    return findings;
  },
};

export const ISTIO_CONTROLS = [istioStrictMtls, istioAuthorizationPerService];
