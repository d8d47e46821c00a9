// A deliberately small evaluator of Istio AuthorizationPolicies, for the fields this project
// emits and nothing else. No maintained evaluator of Istio policies exists outside istiod and
// Envoy (Go and C++, neither runnable here), so this follows the documented rules
// (istio/api@1.30.3 security/v1beta1/authorization_policy.proto):
// - a policy applies to a workload in its namespace when it has no selector or its
//   `selector.matchLabels` are all on the workload;
// - with no DENY or CUSTOM policy: allowed if no ALLOW policy applies, else allowed if at least
//   one applying ALLOW policy has a rule that matches, else denied;
// - a policy without rules never matches; a rule matches when one of its `from` and one of its
//   `to` match (an absent list matches anything); a source matches when its principal is listed;
//   an operation when its port is listed;
// - string matches are exact, `*` alone (presence), `x*` (prefix) or `*x` (suffix).
// Any field outside that set makes it throw, so it can never silently ignore part of a policy.

export interface Request {
  namespace: string;
  /** Labels of the workload receiving the request. */
  labels: Record<string, string>;
  /** The caller's identity as a principal (`<trust domain>/ns/<ns>/sa/<sa>`). */
  principal: string;
  port: number;
}

const KNOWN = {
  spec: ['selector', 'action', 'rules'],
  rule: ['from', 'to'],
  source: ['principals'],
  operation: ['ports'],
};

function only(what: keyof typeof KNOWN, value: Record<string, unknown>) {
  const extra = Object.keys(value).filter((k) => !KNOWN[what].includes(k));
  if (extra.length) throw new Error(`istio-authz: ${what} field(s) ${extra.join(', ')} are not evaluated here`);
}

export function stringMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value.length > 0;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

const anyOrNone = <T>(list: T[] | undefined, test: (x: T) => boolean) => list === undefined || list.some(test);

function ruleMatches(rule: any, req: Request): boolean {
  only('rule', rule);
  const from = anyOrNone(rule.from, (f: any) => {
    only('source', f.source ?? {});
    return anyOrNone(f.source?.principals, (p: string) => stringMatches(p, req.principal));
  });
  const to = anyOrNone(rule.to, (t: any) => {
    only('operation', t.operation ?? {});
    return anyOrNone(t.operation?.ports, (p: string) => stringMatches(p, String(req.port)));
  });
  return from && to;
}

/** Whether the policies admit the request. */
export function allows(policies: Array<Record<string, any>>, req: Request): boolean {
  const applying = policies.filter((p) => {
    if (p.kind !== 'AuthorizationPolicy' || p.metadata.namespace !== req.namespace) return false;
    only('spec', p.spec);
    if ((p.spec.action ?? 'ALLOW') !== 'ALLOW') throw new Error(`istio-authz: action ${p.spec.action} is not evaluated here`);
    const selector: Record<string, string> = p.spec.selector?.matchLabels ?? {};
    return Object.entries(selector).every(([k, v]) => req.labels[k] === v);
  });
  if (applying.length === 0) return true;
  return applying.some((p) => (p.spec.rules ?? []).some((r: any) => ruleMatches(r, req)));
}
