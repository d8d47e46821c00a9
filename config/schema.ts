import { z } from 'zod';
import { EKS_VERSIONS, REGION_AZS } from './platform';
import { serviceSchema } from './catalog/schema';
import { placedCatalogSchema, SHIPPED_NAMES } from './catalog/shipped';
import { CONTROL_IDS } from './policy-ids';
import { brief, nearest } from './wording';

// The shape of a config. Field-level rules live here; rules that relate fields to each other
// (overlaps, references, ordering) live in ./rules.ts so each reads as one sentence. Every field
// carries its description (`.describe`), which `npm run docs` turns into docs/config.md: one
// source for the schema and its reference.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/;

// Parsed and checked (private, aligned, disjoint) by the rules, with ip-num.
const cidr = z.string();

const clusterSchema = z.strictObject({
  version: z
    .enum(EKS_VERSIONS, {
      error: (issue) =>
        `Kubernetes version ${JSON.stringify(issue.input)} is not one Amazon EKS offers. Fix: use one of ${EKS_VERSIONS.join(', ')}`,
    })
    .describe('Kubernetes minor version of the control plane; the managed add-ons follow it at pinned versions (config/versions.ts). Quote it in YAML ("1.35"). Move one minor at a time: docs/UPGRADE.md'),
  instanceTypes: z
    .array(z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, { error: 'is not an EC2 instance type. Fix: use e.g. "m6i.large"' }))
    .min(1)
    .describe("EC2 instance types of the managed node group, all of one CPU architecture: it picks the node AMI type (Graviton families get AL2023_ARM_64_STANDARD, others AL2023_x86_64_STANDARD)"),
  minSize: z.number().int().min(0).describe('Fewest nodes in the node group'),
  desiredSize: z.number().int().min(0).describe('Nodes at creation (minSize <= desiredSize <= maxSize); later changes are left to an autoscaler, Terraform ignores them'),
  maxSize: z.number().int().min(1).describe('Most nodes in the node group'),
  diskSizeGiB: z.number().int().min(20).max(16384).default(50).describe('Root volume of each node, in GiB (gp3, encrypted)'),
  publicAccessCidrs: z.array(cidr).default([]).describe('CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. 0.0.0.0/0 fails the eks-endpoint-private control'),
  privateAccess: z.boolean().default(true).describe("The API endpoint inside the VPC. With it off, publicAccessCidrs must list the deploying machine's range"),
  adminPrincipalArns: z
    .array(z.string().regex(PRINCIPAL_ARN, { error: 'is not an IAM role or user ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' }))
    .optional()
    .describe("IAM roles or users given cluster-admin through an EKS access entry. Unset: the account's roleArn, which the controllers and workloads stacks use to reach the cluster"),
  imdsHopLimit: z
    .union([z.literal(1), z.literal(2)])
    .default(2)
    .describe('Instance metadata hop limit of the nodes (IMDSv2 stays required). 2 lets the Container Insights agent read instance metadata from its pod, one hop further than the node; 1 blocks that'),
});

const vpcSchema = z.strictObject({
  cidr: cidr.describe("IPv4 range of the VPC, e.g. 10.192.0.0/16: private (RFC 1918 or 100.64.0.0/10), large enough for a public and a private subnet per AZ, overlapping no other account's"),
  azCount: z.number().int().min(1).describe('Availability zones used, each with a public and a private subnet; at most the zones config/platform.ts lists for the region'),
  natGateways: z.enum(['one-per-az', 'single']).default('one-per-az').describe('One NAT gateway per AZ survives an AZ outage; one in total is cheaper for a demo'),
  flowLogRetentionDays: z.number().int().min(1).default(90).describe("Days the VPC flow logs are kept; also the retention of the cluster's control-plane logs"),
  interfaceEndpoints: z
    .array(z.string().regex(/^[a-z0-9.-]+$/))
    .default(['ecr.api', 'ecr.dkr', 'sts', 'logs', 'eks-auth'])
    .describe('Interface endpoints (service name after com.amazonaws.<region>.) that keep image pulls, STS, Pod Identity and log delivery off the NAT path. Each costs per AZ-hour; trim the list for a throwaway demo'),
});

// The refinement admits exactly the regions of REGION_AZS; the meta repeats them as an enum so
// the generated reference lists them (a zod refinement has no JSON Schema of its own).
const regionSchema = z.string().refine((r) => r in REGION_AZS, {
  error: (i) => `region ${JSON.stringify(i.input)} is not in the known region list. Fix: use one of ${Object.keys(REGION_AZS).join(', ')} (or add it with its zones to config/platform.ts)`,
});

// A site is one VPC and one EKS cluster of an account in one region (config/sites.ts). An
// account holds one site in its home region (vpc + cluster) or several (clusters), one per region.
const siteSchema = z.strictObject({
  region: regionSchema.optional().meta({ description: "Region of this cluster and its VPC; unset, the account's region", enum: Object.keys(REGION_AZS) }),
  vpc: vpcSchema.describe("This cluster's VPC"),
  cluster: clusterSchema.describe('The EKS cluster and its managed node group'),
});

const accountSchema = z.strictObject({
  name: z
    .string()
    .regex(DNS_LABEL, { error: 'must be a short DNS label (a-z, 0-9, "-", at most 32 characters). Fix: e.g. "frontend"' })
    .describe("The account's name in stack names (cluster-<name>, ...) and wherever the config refers to it (mesh.owner, backend.account, a service's account)"),
  id: z
    .string()
    .regex(/^\d{12}$/, { error: (i) => `${JSON.stringify(i.input)} is not a 12-digit AWS account id. Fix: write the id as a string of exactly 12 digits, e.g. "111111111111"` })
    .describe("12-digit AWS account id, quoted in YAML. The account's providers refuse credentials of any other account (allowed_account_ids)"),
  roleArn: z
    .string()
    .regex(ROLE_ARN, { error: 'is not an IAM role ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' })
    .optional()
    .describe("Role the deploy assumes in this account (with the caller's credentials, or profile, as the source)"),
  profile: z.string().min(1).optional().describe('Named profile from ~/.aws/config, used instead of or as the source of roleArn'),
  region: regionSchema
    .optional()
    .meta({ description: "The account's home region: where its vpc + cluster (or a clusters entry without region) live; unset, the top-level region", enum: Object.keys(REGION_AZS) }),
  vpc: vpcSchema.optional().describe("The account's VPC, in its home region (or use clusters)"),
  cluster: clusterSchema.optional().describe("The account's EKS cluster and its managed node group, in its home region (or use clusters)"),
  clusters: z
    .array(siteSchema)
    .min(1)
    .optional()
    .describe('Instead of vpc + cluster: one entry per region (at most one per region). The home-region entry keeps the stack names cluster-<account>, ...; another region\'s are cluster-<account>-<region>, ...'),
  appMeshServiceLinkedRole: z
    .enum(['create', 'exists'])
    .default('create')
    .describe('App Mesh only. AWSServiceRoleForAppMesh exists once per account and creating it again fails: "exists" when the account has used App Mesh before (README, "Service-linked role")'),
});

const observabilitySchema = z.strictObject({
  alarm5xxPercent: z.number().min(0).max(100).default(5).describe('Alarm when 5xx responses exceed this share of requests (percent) over 5 minutes'),
  alarmP99LatencyMs: z.number().int().min(1).default(1000).describe("Alarm when a service's p99 latency exceeds this many milliseconds over 5 minutes"),
  alarmTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, { error: 'is not an SNS topic ARN. Fix: arn:aws:sns:<region>:<account>:<topic>' })
    .optional()
    .describe('Existing SNS topic to notify; without it alarms only change state on the dashboards'),
  alarmTopicArns: z
    .record(
      z.string(),
      z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, { error: 'is not an SNS topic ARN. Fix: arn:aws:sns:<region>:<account>:<topic>' }),
    )
    .optional()
    .describe("Clusters in several regions: the topic of each region (region → topic ARN, the topic in that region). A region not listed uses alarmTopicArn when that topic is in the region"),
  logRetentionDays: z.number().int().min(1).default(30).describe("Days the mesh's own logs are kept (the Lattice service network's access logs)"),
});

const backendSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local').describe('State files on this machine, one per stack, under state/ (MESH_STATE_DIR)') }),
  z.strictObject({
    type: z.literal('s3').describe('State in an S3 bucket that the bootstrap stack creates first, with S3-native locking'),
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'is not a valid S3 bucket name. Fix: 3-63 lower-case letters, digits, "." or "-"' })
      .describe('Name of the state bucket the bootstrap stack creates (versioned, KMS-encrypted, TLS-only)'),
    region: z.string().describe('Region of the state bucket'),
    account: z.string().describe('Name (not id) of the account, under accounts, that holds the bucket; the bootstrap stack creates it there'),
    roleArn: z
      .string()
      .regex(ROLE_ARN, { error: 'is not an IAM role ARN. Fix: use arn:aws:iam::<account-id>:role/<name>' })
      .optional()
      .describe('Role every stack assumes to read and write its state; unset, the caller\'s own credentials'),
    keyPrefix: z.string().default('mesh').describe('Prefix of the state objects: each stack writes <keyPrefix>/<stack>.tfstate'),
  }),
]);

export const configSchema = z.strictObject({
  project: z
    .string()
    .regex(DNS_LABEL, { error: 'must be a short DNS label. Fix: e.g. "meshdemo"' })
    .default('meshdemo')
    .describe('Prefix of every name this project creates, so two installs can share an account'),
  // The refinement admits exactly the regions of REGION_AZS; the meta repeats them as an enum so
  // the generated reference lists them (a zod refinement has no JSON Schema of its own).
  region: regionSchema.meta({ description: 'AWS region of every stack (the state bucket may be elsewhere: backend.region) whose account or cluster names none; a region whose zones config/platform.ts lists', enum: Object.keys(REGION_AZS) }),
  accounts: z
    .array(accountSchema)
    .min(2, { error: 'a multi-account mesh needs at least two accounts. Fix: add an account' })
    .describe('The AWS accounts of the mesh, each with its own VPC and EKS cluster'),
  mesh: z
    .strictObject({
      // Which names are engines is the registry's to say (engines/registry.ts): it is checked with
      // the engine rules, so adding an engine touches no config code.
      engine: z
        .string({ error: (i) => `${brief(i.input)} is not a mesh engine name. Fix: write the engine's name as a string` })
        .default('lattice')
        .describe('How services in different accounts reach each other: the name of an engine in engines/registry.ts. "lattice" (Amazon VPC Lattice, AWS\'s stated path for EKS after App Mesh) is the default; "appmesh" (discontinued by AWS on 2026-09-30) is kept, built and tested for review and migration, not deployable; "istio" (Istio in sidecar mode, one control plane per cluster, federated from the catalog, one AWS Private CA root) calls across accounts over the VPC peering'),
      owner: z.string().describe('Name of the account, under accounts, that owns the mesh and shares it with the others through AWS RAM'),
      name: z
        .string()
        .regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/, { error: 'is not a valid mesh name. Fix: letters, digits, "-" and "_"' })
        .describe('Name of the App Mesh mesh or the Lattice service network (Lattice: a-z, 0-9 and single "-"); with Istio, part of the Private CA root\'s name'),
      sameOrganization: z
        .boolean()
        .default(false)
        .describe("true: the accounts are in one AWS Organization with RAM sharing on, so shares need no invitation. false: each member's stack accepts the RAM invitation"),
      namespace: z.string().regex(DNS_LABEL).default('yelb').describe('Kubernetes namespace of the workloads, in every cluster'),
    })
    .describe('The shared mesh: its engine and the account that owns it'),
  network: z
    .strictObject({
      peering: z
        .enum(['auto', 'owner-only', 'none'])
        .optional()
        .describe('"auto": every member peers with the owner and with each account it calls. "owner-only": only the hub links; peering is not transitive, so member-to-member calls have no path. "none": no peering. Unset: "auto" for App Mesh, whose calls ride the peering, "none" for Lattice, which carries cross-account calls itself'),
    })
    .default({})
    .describe('Links between the VPCs'),
  observability: observabilitySchema
    .default({ alarm5xxPercent: 5, alarmP99LatencyMs: 1000, logRetentionDays: 30 })
    .describe('Alarm thresholds, where alarms go, and log retention'),
  catalog: z
    .union([z.enum(SHIPPED_NAMES), placedCatalogSchema, z.array(serviceSchema)], {
      error: (i) => {
        const near = typeof i.input === 'string' ? nearest(i.input, [...SHIPPED_NAMES]) : undefined;
        return `${brief(i.input)} is not a catalog. Fix: ${near ? `did you mean ${near}? ` : ''}use yelb or chain, { name: chain, placement: { <service>: <account> } }, or a list of services`;
      },
    })
    .default('yelb')
    .describe('The services: a shipped catalog by name (yelb or chain), the same placed on this config\'s accounts ({ name, placement }), or a list of services (fields under catalog[])'),
  backend: backendSchema.default({ type: 'local' }).describe('Where Terraform keeps the state of each stack'),
  tags: z.record(z.string(), z.string()).default({}).describe('Tags on every AWS resource, next to MeshProject and MeshAccount (provider default_tags)'),
  policy: z
    .strictObject({
      waivers: z
        .array(
          z.strictObject({
            control: z
              .enum(CONTROL_IDS, { error: (i) => `${JSON.stringify(i.input)} is not a policy control. Fix: use one of ${CONTROL_IDS.join(', ')}` })
              .describe('Id of the security control to waive (README, "Security policy at synth")'),
            resource: z
              .string()
              .regex(/^[a-z0-9-]+\/\S+$/, { error: 'is not a resource path. Fix: copy the path the violation message names, e.g. "workloads-backend/deployment-yelb-db"' })
              .describe('The resource path the violation printed, <stack>/<construct path>'),
            reason: z
              .string()
              .trim()
              .min(20, { error: 'is too short to explain a security exception. Fix: say why the control cannot hold and what limits the risk (20 characters or more)' })
              .describe('Why the control cannot hold and what limits the risk (20 characters or more)'),
          }),
        )
        .default([])
        .describe('Knowing exceptions to the security controls, one resource each. Every synth prints the waivers in force, and a waiver that matches nothing fails the synth'),
    })
    .default({ waivers: [] })
    .describe('Exceptions to the security controls run at every synth (app/policy/)'),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
/** An account as written: one site (vpc + cluster) or several (clusters). */
export type AccountEntry = ParsedConfig['accounts'][number];
export type ClusterConfig = z.output<typeof clusterSchema>;
export type VpcConfig = z.output<typeof vpcSchema>;
/**
 * One site: a VPC and an EKS cluster of an account in one region (config/sites.ts). `name` is
 * the site key (the account's name in its home region, <account>-<region> elsewhere) that names
 * its stacks and cluster; `account` is the account's own name.
 */
export type AccountConfig = Omit<AccountEntry, 'vpc' | 'cluster' | 'clusters' | 'region'> & { vpc: VpcConfig; cluster: ClusterConfig; region: string; account: string; home: boolean };
export type BackendConfig = ParsedConfig['backend'];

/** The peering mode in force: the configured one, or the engine's default ("auto" where its calls ride the peering). */
export const peeringMode = (cfg: Pick<ParsedConfig, 'network'>, callsNeedPeering: boolean) => cfg.network.peering ?? (callsNeedPeering ? 'auto' : 'none');
