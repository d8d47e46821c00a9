import type { SynthResult } from './synth';
import { decide, identityPoliciesOf, podIdentitySession, type IamDocument } from './iam';
import { clusterName } from '../../config/naming';
import { accountByName } from '../../config/load';

const accountId = (app: SynthResult, name: string) => accountByName(app.config, name).id;
const clusterArn = (app: SynthResult, account: string) => `arn:aws:eks:${app.config.region}:${accountId(app, account)}:cluster/${clusterName(app.config, account)}`;

/** An account that is nobody's: where a same-account Lattice request is evaluated (see below). */
const ELSEWHERE = '000000000000';

/**
 * Whether `caller` may invoke `callee` through VPC Lattice. Lattice admits a request only when the
 * caller's identity policy, the service network's auth policy and the service's auth policy each
 * allow it explicitly, whatever the accounts (VPC Lattice user guide, "Control access to VPC
 * Lattice services using auth policies": "both auth policies and identity-based policies need to
 * have explicit allow statements"). That is IAM's rule for a request across accounts, so each auth
 * policy is asked with the caller's identity policy as a cross-account request; a callee in the
 * caller's own account is placed in an account nobody owns for the question, since IAM's
 * same-account rule (either policy suffices) is not the one Lattice applies.
 */
export async function latticeInvoke(app: SynthResult, docs: IamDocument[], caller: string, callee: string, session: Partial<{ namespace: string; cluster: string }> = {}): Promise<boolean> {
  const callerSpec = app.config.services.find((s) => s.name === caller)!;
  const calleeSpec = app.config.services.find((s) => s.name === callee)!;
  const roleArn = docs.find((d) => d.kind === 'trust' && d.roleArn!.endsWith(`:role/${clusterName(app.config, callerSpec.account)}-${caller}`))!.roleArn!;
  const calleeAccount = accountId(app, calleeSpec.account);
  const request = {
    ...podIdentitySession({ roleArn, clusterArn: session.cluster ?? clusterArn(app, callerSpec.account), namespace: session.namespace ?? app.config.mesh.namespace, serviceAccount: caller }),
    action: 'vpc-lattice-svcs:Invoke',
    resource: `arn:aws:vpc-lattice:${app.config.region}:${calleeAccount}:service/svc-0123456789abcdef0/api`,
    resourceAccount: calleeAccount === accountId(app, callerSpec.account) ? ELSEWHERE : calleeAccount,
  };
  const serviceAuth = docs.find((d) => d.kind === 'service-auth' && d.source.endsWith(`/iamauthpolicy-${callee}`));
  const networkAuth = docs.find((d) => d.kind === 'service-network-auth')!;
  if (!serviceAuth) return false; // not on Lattice: no auth policy admits anyone
  const identity = identityPoliciesOf(docs, roleArn);
  const decisions = await Promise.all([decide(request, { identity, resource: networkAuth.policy }), decide(request, { identity, resource: serviceAuth.policy })]);
  return decisions.every((d) => d === 'Allowed');
}

