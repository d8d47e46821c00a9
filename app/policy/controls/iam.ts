import { findingsOf, type Control, type Finding } from '../control';
import { blocks, refersTo, type PolicyInput, type Resource } from '../model';

/**
 * A policy as cdktf writes it is JSON with Terraform interpolations inside its strings, and an
 * interpolation may hold quotes of its own (`"${replace(x, "https://", "")}:sub"`). Each
 * `${…}` is swapped for a quote-free stand-in so the document parses; undefined when it does not.
 */
export function parsePolicy(text: unknown): any | undefined {
  if (typeof text !== 'string') return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let quoted = false;
      let j = i + 1;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '"' && text[j - 1] !== '\\') quoted = !quoted;
        else if (!quoted && c === '{') depth++;
        else if (!quoted && c === '}' && --depth === 0) break;
      }
      out += '<ref>';
      i = j;
    } else out += text[i];
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

const statements = (doc: any): any[] => blocks(doc?.Statement);
const has = (value: unknown, wanted: string[]) => blocks(value).some((v) => wanted.includes(v));

const POLICY_ATTRIBUTES: Record<string, string> = { aws_iam_role_policy: 'policy', aws_iam_policy: 'policy', aws_iam_user_policy: 'policy', aws_iam_group_policy: 'policy' };
const ATTACHMENTS = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];

function adminProblem(doc: any): string | undefined {
  if (!doc) return 'its policy is not a JSON document this check can read';
  const admin = statements(doc).find((s) => s.Effect === 'Allow' && has(s.Resource, ['*']) && (has(s.Action, ['*', '*:*']) || s.NotAction !== undefined));
  if (!admin) return undefined;
  return admin.NotAction !== undefined ? 'allows everything but NotAction on Resource "*"' : 'allows Action "*" on Resource "*"';
}

export const iamNoFullAdmin: Control = {
  id: 'iam-no-full-admin',
  reason: 'A role allowed every action on every resource turns any compromise of it into a compromise of the account.',
  fix: 'list the actions and resources the role needs (the controller policies show how), or split the role',
  check(input) {
    const policies = Object.entries(POLICY_ATTRIBUTES).flatMap(([type, attribute]) => findingsOf(input.resources(type), (r) => adminProblem(parsePolicy(r.body[attribute]))));
    const inline = findingsOf(input.resources('aws_iam_role'), (role) => blocks(role.body.inline_policy).map((p) => adminProblem(parsePolicy(p.policy))).find(Boolean));
    const managed = findingsOf(
      [...ATTACHMENTS.flatMap((t) => input.resources(t)), ...input.resources('aws_iam_role')],
      (r) => [r.body.policy_arn, ...blocks(r.body.managed_policy_arns)].find((arn) => typeof arn === 'string' && arn.endsWith(':policy/AdministratorAccess')) && 'attaches AdministratorAccess',
    );
    return [...policies, ...inline, ...managed];
  },
};

const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:[a-z0-9.-]+:[a-z0-9.-]+$/;
const NAME = /^[a-z0-9.-]+$/;

function singleValue(conditions: Record<string, any> | undefined, key: (k: string) => boolean): string | undefined {
  const matches = Object.entries(conditions ?? {}).filter(([k]) => key(k));
  if (matches.length !== 1) return undefined;
  const values = blocks(matches[0][1]);
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

function irsaProblem(statement: any): string | undefined {
  const subject = singleValue(statement.Condition?.StringEquals, (k) => k.endsWith(':sub'));
  if (!subject || !SERVICE_ACCOUNT_SUBJECT.test(subject)) return 'web-identity trust is not bound by StringEquals <issuer>:sub to one system:serviceaccount:<namespace>:<name>';
  if (Object.keys(statement.Condition?.StringLike ?? {}).some((k) => k.endsWith(':sub'))) return 'web-identity trust also matches :sub with StringLike wildcards';
  return undefined;
}

/** Pod Identity tags the session with the pod's namespace and service account; the trust must pin both. */
function podIdentityProblem(input: PolicyInput, role: Resource, statement: any): string | undefined {
  const equals = statement.Condition?.StringEquals;
  const namespace = singleValue(equals, (k) => k === 'aws:RequestTag/kubernetes-namespace');
  const account = singleValue(equals, (k) => k === 'aws:RequestTag/kubernetes-service-account');
  if (!namespace || !account || !NAME.test(namespace) || !NAME.test(account)) {
    return 'Pod Identity trust does not pin aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account to one value each';
  }
  const stray = input
    .resources('aws_eks_pod_identity_association')
    .filter((a) => a.stack === role.stack && refersTo(a.body.role_arn, role) && (a.body.namespace !== namespace || a.body.service_account !== account));
  return stray.length ? `is associated with ${stray.map((a) => `${a.body.namespace}/${a.body.service_account}`).join(', ')} but its trust names ${namespace}/${account}` : undefined;
}

export const workloadRoleBound: Control = {
  id: 'workload-role-bound',
  reason: 'A pod role any service account can assume hands its permissions to every pod in the cluster.',
  fix: 'build the role with workload-identity\'s boundRole, which pins the trust to exactly one namespace and service account',
  check: (input) =>
    input.resources('aws_iam_role').flatMap((role): Finding[] => {
      const doc = parsePolicy(role.body.assume_role_policy);
      if (!doc) return [{ resource: role.path, problem: 'its trust policy is not a JSON document this check can read' }];
      return statements(doc)
        .filter((s) => s.Effect === 'Allow')
        .map((s) => {
          if (s.Principal?.Federated !== undefined || has(s.Action, ['sts:AssumeRoleWithWebIdentity'])) return irsaProblem(s);
          if (has(s.Principal?.Service, ['pods.eks.amazonaws.com'])) return podIdentityProblem(input, role, s);
          return undefined;
        })
        .filter((p): p is string => Boolean(p))
        .map((problem) => ({ resource: role.path, problem }));
    }),
};

export const IAM_CONTROLS = [iamNoFullAdmin, workloadRoleBound];
