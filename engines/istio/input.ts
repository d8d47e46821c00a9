import { Token } from 'cdktf';
import { Validator } from 'ip-num';

// What the Istio engine's per-cluster builders take: one plain object, filled by the engine from
// the config and the other stacks' outputs. The problems are returned in the shape of the
// config's problems ({ path, message with "Fix: ..." }) so the engine can report them with the
// rest of the config before anything is synthesized; the builders also refuse bad input
// themselves, so no half-built object ever leaves them.

export interface ResourceSpec {
  cpu: string;
  memory: string;
}

export interface ProxyResources {
  requests: ResourceSpec;
  limits: ResourceSpec;
}

export interface IstioClusterInput {
  /** The project name: Istio's mesh ID, the same in every cluster. */
  project: string;
  /** The account this cluster belongs to (its name in the config). */
  account: string;
  /** The EKS cluster name: Istio's cluster ID (`source_cluster`/`destination_cluster` in metrics). */
  clusterName: string;
  region: string;
  /** This cluster's SPIFFE trust domain, e.g. `backend.meshdemo.mesh` (see `meshTrustDomain`). */
  trustDomain: string;
  /** Every member account's trust domain, this one's included: whose certificates this cluster accepts. */
  trustDomains: readonly string[];
  /** The PCA root certificate (public, PEM), or the Terraform reference that will hold it. */
  rootCaPem: string;
  /** The VPC CIDRs of the accounts that call services of this cluster (east-west NLB source ranges). */
  callerCidrs: readonly string[];
  /** Istio's image hub and tag (config/versions.ts ISTIO_IMAGES). */
  images: { hub: string; tag: string };
  /** The sidecars' resources; the chart's defaults (100m/128Mi requests, 2 CPU/1 GiB limits) are sized for larger pods. */
  proxyResources?: ProxyResources;
  /** istiod's requests; the chart's default (500m/2 GiB) is sized for large meshes. */
  istiodResources?: ResourceSpec;
}

/** One problem with the input, shaped like the config's problems. */
export interface InputProblem {
  path: string[];
  message: string;
}

/** `<account>.<project>.mesh`: one trust domain per account, so identities of different accounts never compare equal. */
export const meshTrustDomain = (project: string, account: string) => `${account}.${project}.mesh`;

/** A value Terraform fills in at apply time (a cdktf token or a `${...}` expression): not checkable at synth. */
export const isTerraformReference = (value: string) => Token.isUnresolved(value) || /^\$\{[^}]+\}$/.test(value);

/**
 * The SPIFFE trust domain grammar: lowercase letters, digits, dots, dashes and underscores
 * (https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md, section 2.1).
 */
const TRUST_DOMAIN = /^[a-z0-9._-]+$/;
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+?\r?\n-----END CERTIFICATE-----\s*$/;

const problem = (path: string[], value: unknown, why: string, fix: string): InputProblem => ({ path, message: `${JSON.stringify(value)} ${why}. Fix: ${fix}` });

export function trustDomainProblems(input: Pick<IstioClusterInput, 'trustDomain' | 'trustDomains'>): InputProblem[] {
  const problems: InputProblem[] = [];
  input.trustDomains.forEach((td, i) => {
    if (!TRUST_DOMAIN.test(td)) problems.push(problem(['trustDomains', String(i)], td, 'is not a SPIFFE trust domain (lowercase letters, digits, ".", "-", "_")', 'derive it with meshTrustDomain(project, account)'));
    if (input.trustDomains.indexOf(td) < i) problems.push(problem(['trustDomains', String(i)], td, 'is listed twice', 'list each account\'s trust domain once'));
  });
  if (!input.trustDomains.includes(input.trustDomain)) {
    problems.push(problem(['trustDomain'], input.trustDomain, 'is not among trustDomains, so this cluster would reject its own workloads', 'add it to trustDomains'));
  }
  return problems;
}

export function callerCidrProblems(cidrs: readonly string[]): InputProblem[] {
  if (cidrs.length === 0) {
    // Without source ranges the load balancer controller opens the NLB to 0.0.0.0/0
    // (pkg/service/model_build_managed_sg.go, buildCIDRsFromSourceRanges, v3.5.0).
    return [problem(['callerCidrs'], [], 'is empty: the east-west load balancer would accept any source', 'give the VPC CIDRs of the accounts that call this one, or deploy no east-west gateway where nothing calls in')];
  }
  return cidrs.flatMap((cidr, i) => {
    const [valid] = Validator.isValidIPv4CidrRange(cidr);
    if (!valid) return [problem(['callerCidrs', String(i)], cidr, 'is not a canonical IPv4 CIDR', 'use the caller VPC\'s CIDR, e.g. 10.192.0.0/16')];
    if (cidr.endsWith('/0')) return [problem(['callerCidrs', String(i)], cidr, 'opens the east-west gateway to every address', 'use the caller VPC\'s CIDR, e.g. 10.192.0.0/16')];
    return [];
  });
}

export function rootCaProblems(pem: string): InputProblem[] {
  if (/PRIVATE KEY/.test(pem)) return [{ path: ['rootCaPem'], message: 'holds a private key. Fix: pass only the root certificate; the root key stays in AWS Private CA' }];
  if (isTerraformReference(pem) || PEM_CERTIFICATE.test(pem)) return [];
  return [problem(['rootCaPem'], pem.slice(0, 40), 'is neither a PEM certificate nor a Terraform reference', 'pass the mesh stack\'s root certificate output')];
}

/** Everything wrong with a cluster's input; empty when the builders can run. */
export function istioInputProblems(input: IstioClusterInput): InputProblem[] {
  const problems: InputProblem[] = [...trustDomainProblems(input), ...rootCaProblems(input.rootCaPem)];
  for (const key of ['project', 'account', 'clusterName', 'region'] as const) {
    if (!input[key]) problems.push(problem([key], input[key], 'is empty', `set ${key}`));
  }
  if (!input.images.hub) problems.push(problem(['images', 'hub'], input.images.hub, 'is empty', 'pass ISTIO_IMAGES.hub'));
  if (!input.images.tag || input.images.tag === 'latest') problems.push(problem(['images', 'tag'], input.images.tag, 'is not a pinned version', 'pass ISTIO_IMAGES.tag'));
  return problems;
}

/** Throws one error naming every problem, in the config's wording, when there are any. */
export function assertNoProblems(what: string, problems: InputProblem[]): void {
  if (problems.length === 0) return;
  throw new Error([`Invalid ${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, ...problems.map((p) => `  - ${p.path.join('.')}: ${p.message}`)].join('\n'));
}
