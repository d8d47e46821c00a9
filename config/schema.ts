import { z } from 'zod';
import { EKS_VERSIONS, REGION_AZS } from './platform';
import { serviceSchema } from './catalog/schema';
import { placedCatalogSchema, SHIPPED_NAMES } from './catalog/shipped';
import { CONTROL_IDS } from './policy-ids';
import { brief, nearest } from './wording';

// The shape of a config. Field-level rules live here; rules that relate fields to each other
// (overlaps, references, ordering) live in ./rules.ts so each reads as one sentence.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;

const cidr = z.string();

const clusterSchema = z.strictObject({
  version: z.enum(EKS_VERSIONS, {
    error: (issue) =>
      `Kubernetes version ${JSON.stringify(issue.input)} is not one Amazon EKS offers. Fix: use one of ${EKS_VERSIONS.join(', ')}`,
  }),
  instanceTypes: z.array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, { error: 'is not an EC2 instance type. Fix: use e.g. "m6i.large"' })).min(1),
  minSize: z.number().int().min(0),
  desiredSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50),
  /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
  publicAccessCidrs: z.array(cidr).default([]),
  privateAccess: z.boolean().default(true),
  /**
   * IAM principals given cluster-admin through an EKS access entry. Defaults to the account's
   * deploy role, which the controllers and workloads stacks use to reach the cluster.
   */
  adminPrincipalArns: z.array(z.string().regex(PRINCIPAL_ARN, { error: 'is not an IAM role or user ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' })).optional(),
  /**
   * 2 because the CloudWatch agent of Container Insights reads instance metadata from a pod,
   * which is one hop further than the node; 1 blocks that. IMDSv2 stays required either way.
   */
  imdsHopLimit: z.union([z.literal(1), z.literal(2)]).default(2),
});

const vpcSchema = z.strictObject({
  cidr,
  azCount: z.number().int().min(1),
  /** One NAT gateway per AZ survives an AZ outage; one in total is cheaper for a demo. */
  natGateways: z.enum(['one-per-az', 'single']).default('one-per-az'),
  flowLogRetentionDays: z.number().int().min(1).default(90),
  /**
   * Interface endpoints keep image pulls, STS, Pod Identity and log delivery off the NAT path.
   * Each costs per AZ-hour; trim the list for a throwaway demo.
   */
  interfaceEndpoints: z.array(z.string().regex(/^[a-z0-9.-]+$/)).default(['ecr.api', 'ecr.dkr', 'sts', 'logs', 'eks-auth']),
});

const accountSchema = z.strictObject({
  name: z.string().regex(DNS_LABEL, { error: 'must be a short DNS label (a-z, 0-9, "-", at most 32 characters). Fix: e.g. "frontend"' }),
  id: z.string().regex(/^\d{12}$/, { error: (i) => `${JSON.stringify(i.input)} is not a 12-digit AWS account id. Fix: write the id as a string of exactly 12 digits, e.g. "111111111111"` }),
  /** Role the deploy assumes in this account (with the caller's credentials as the source). */
  roleArn: z.string().regex(ROLE_ARN, { error: 'is not an IAM role ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' }).optional(),
  /** Named profile from ~/.aws/config, used instead of or as the source of roleArn. */
  profile: z.string().min(1).optional(),
  vpc: vpcSchema,
  cluster: clusterSchema,
  /**
   * AWSServiceRoleForAppMesh exists once per account; creating it again fails. "exists" when
   * the account has used App Mesh before (see README, "Service-linked role").
   */
  appMeshServiceLinkedRole: z.enum(['create', 'exists']).default('create'),
});

const observabilitySchema = z.strictObject({
  /** Alarm when 5xx responses exceed this share of requests (percent) over 5 minutes. */
  alarm5xxPercent: z.number().min(0).max(100).default(5),
  /** Alarm when a service's p99 latency exceeds this many milliseconds over 5 minutes. */
  alarmP99LatencyMs: z.number().int().min(1).default(1000),
  /** Existing SNS topic to notify; without it alarms only change state on the dashboard. */
  alarmTopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, { error: 'is not an SNS topic ARN. Fix: arn:aws:sns:<region>:<account>:<topic>' }).optional(),
  logRetentionDays: z.number().int().min(1).default(30),
});

const backendSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'is not a valid S3 bucket name. Fix: 3-63 lower-case letters, digits, "." or "-"' }),
    region: z.string(),
    /** Name (not id) of the account, under accounts, that holds the bucket; the bootstrap stack creates it there. */
    account: z.string(),
    roleArn: z.string().regex(ROLE_ARN, { error: 'is not an IAM role ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' }).optional(),
    keyPrefix: z.string().default('mesh'),
  }),
]);

export const configSchema = z.strictObject({
  /** Prefix of every name this project creates, so two installs can share an account. */
  project: z.string().regex(DNS_LABEL, { error: 'must be a short DNS label. Fix: e.g. "meshdemo"' }).default('meshdemo'),
  region: z.string().refine((r) => r in REGION_AZS, {
    error: (i) => `region ${JSON.stringify(i.input)} is not in the known region list. Fix: use one of ${Object.keys(REGION_AZS).join(', ')} (or add it with its zones to config/platform.ts)`,
  }),
  accounts: z.array(accountSchema).min(2, { error: 'a multi-account mesh needs at least two accounts. Fix: add an account' }),
  mesh: z.strictObject({
    /**
     * Amazon VPC Lattice (the default: AWS's stated path for EKS after App Mesh) or App Mesh,
     * which AWS discontinued on 2026-09-30 and which is kept, built and tested, for existing installs.
     */
    engine: z.enum(['appmesh', 'lattice'], { error: (i) => `${JSON.stringify(i.input)} is not a mesh engine. Fix: use "lattice" or "appmesh"` }).default('lattice'),
    owner: z.string(),
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/, { error: 'is not a valid mesh name. Fix: letters, digits, "-" and "_"' }),
    /** false: accounts are standalone, so RAM invitations must be accepted by each member. */
    sameOrganization: z.boolean().default(false),
    namespace: z.string().regex(DNS_LABEL).default('yelb'),
  }),
  network: z
    .strictObject({
      /**
       * "auto": every member peers with the owner and with each account it calls. "owner-only":
       * only the hub links; peering is not transitive, so member-to-member calls have no path.
       * "none": no peering. Unset, it follows the engine: "auto" for App Mesh, whose calls
       * ride the peering, "none" for Lattice, which carries cross-account calls itself.
       */
      peering: z.enum(['auto', 'owner-only', 'none']).optional(),
    })
    .default({}),
  observability: observabilitySchema.default({ alarm5xxPercent: 5, alarmP99LatencyMs: 1000, logRetentionDays: 30 }),
  /** A shipped catalog by name, the same placed on this config's accounts, or a list of services. */
  catalog: z
    .union([z.enum(SHIPPED_NAMES), placedCatalogSchema, z.array(serviceSchema)], {
      error: (i) => {
        const near = typeof i.input === 'string' ? nearest(i.input, [...SHIPPED_NAMES]) : undefined;
        return `${brief(i.input)} is not a catalog. Fix: ${near ? `did you mean ${near}? ` : ''}use yelb or chain, { name: chain, placement: { <service>: <account> } }, or a list of services`;
      },
    })
    .default('yelb'),
  backend: backendSchema.default({ type: 'local' }),
  tags: z.record(z.string(), z.string()).default({}),
  policy: z
    .strictObject({
      /**
       * Knowing exceptions to the security controls (policy/), one resource each. Every synth
       * prints the waivers in force, and a waiver that matches nothing fails the synth.
       */
      waivers: z
        .array(
          z.strictObject({
            control: z.enum(CONTROL_IDS, { error: (i) => `${JSON.stringify(i.input)} is not a policy control. Fix: use one of ${CONTROL_IDS.join(', ')}` }),
            resource: z.string().regex(/^[a-z0-9-]+\/\S+$/, { error: 'is not a resource path. Fix: copy the path the violation message names, e.g. "workloads-backend/deployment-yelb-db"' }),
            reason: z.string().trim().min(20, { error: 'is too short to explain a security exception. Fix: say why the control cannot hold and what limits the risk (20 characters or more)' }),
          }),
        )
        .default([]),
    })
    .default({ waivers: [] }),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type AccountConfig = ParsedConfig['accounts'][number];
export type ClusterConfig = AccountConfig['cluster'];
export type BackendConfig = ParsedConfig['backend'];

/** The peering mode in force: the configured one, or the engine's default. */
export const peeringMode = (cfg: Pick<ParsedConfig, 'network' | 'mesh'>) => cfg.network.peering ?? (cfg.mesh.engine === 'lattice' ? 'none' : 'auto');
