import { findingsOf, type Control } from '../control';
import { blocks, isTrue, openCidrs, type PolicyInput, type Resource } from '../model';

/** The control-plane logs an incident review needs: who called the API, what it did, how they signed in. */
const REQUIRED_LOG_TYPES = ['api', 'audit', 'authenticator'];

export const eksSecretsEncryption: Control = {
  id: 'eks-secrets-encryption',
  reason: 'Kubernetes Secrets sit in etcd; envelope encryption with a customer KMS key keeps them unreadable without that key.',
  fix: 'give aws_eks_cluster an encryption_config with resources ["secrets"] and provider.key_arn set to a KMS key',
  check: (input) =>
    findingsOf(input.resources('aws_eks_cluster'), (cluster) => {
      const config = blocks(cluster.body.encryption_config)[0];
      if (!config) return 'has no encryption_config';
      if (!blocks(config.resources).includes('secrets')) return 'encryption_config does not cover "secrets"';
      if (!blocks(config.provider)[0]?.key_arn) return 'encryption_config names no KMS key';
      return undefined;
    }),
};

export const eksEndpointPrivate: Control = {
  id: 'eks-endpoint-private',
  reason: 'An API endpoint reachable from the whole internet is one leaked credential away from the cluster.',
  fix: 'set cluster.privateAccess: true and either an empty cluster.publicAccessCidrs (public endpoint off) or only your admin networks',
  check: (input) =>
    findingsOf(input.resources('aws_eks_cluster'), (cluster) => {
      const vpc = blocks(cluster.body.vpc_config)[0] ?? {};
      if (!isTrue(vpc.endpoint_private_access)) return 'private endpoint access is off';
      // The provider's default for endpoint_public_access is true, so unset counts as public.
      if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === 'false') return undefined;
      const cidrs = blocks(vpc.public_access_cidrs);
      if (cidrs.length === 0) return 'public endpoint is on with no public_access_cidrs (AWS then allows 0.0.0.0/0)';
      const open = openCidrs(cidrs);
      return open.length ? `public endpoint is open to ${open.join(', ')}` : undefined;
    }),
};

export const eksControlPlaneLogs: Control = {
  id: 'eks-control-plane-logs',
  reason: 'Without api, audit and authenticator logs there is no record of who changed what in the cluster.',
  fix: `add ${REQUIRED_LOG_TYPES.join(', ')} to aws_eks_cluster.enabled_cluster_log_types`,
  check: (input) =>
    findingsOf(input.resources('aws_eks_cluster'), (cluster) => {
      const missing = REQUIRED_LOG_TYPES.filter((t) => !blocks(cluster.body.enabled_cluster_log_types).includes(t));
      return missing.length ? `control-plane log types ${missing.join(', ')} are not enabled` : undefined;
    }),
};

/**
 * Node settings live in the launch template; a node group without one gets EKS's defaults
 * (IMDSv1 allowed, root volume encrypted only if the account says so), which both node controls reject.
 */
function nodeTemplates(input: PolicyInput, problemOf: (template: Resource) => string | undefined) {
  const groups = findingsOf(input.resources('aws_eks_node_group'), (group) => {
    const ref = blocks(group.body.launch_template)[0];
    if (!ref) return 'has no launch template, so EKS default node settings apply';
    return input.referencedBy(ref, group.stack, 'aws_launch_template') ? undefined : 'uses a launch template this project does not define, which cannot be checked';
  });
  return [...groups, ...findingsOf(input.resources('aws_launch_template'), problemOf)];
}

export const nodeImdsV2: Control = {
  id: 'node-imdsv2',
  reason: 'IMDSv1 lets any SSRF in a pod read the node role credentials; IMDSv2 session tokens and a hop limit of at most 2 stop that.',
  fix: 'give every node group a launch template with metadata_options.http_tokens "required" and http_put_response_hop_limit 1 or 2',
  check: (input) =>
    nodeTemplates(input, (template) => {
      const options = blocks(template.body.metadata_options)[0] ?? {};
      if (options.http_tokens !== 'required') return `metadata_options.http_tokens is ${JSON.stringify(options.http_tokens ?? 'unset')}, not "required"`;
      const hops = Number(options.http_put_response_hop_limit ?? 1);
      return hops > 2 ? `metadata_options.http_put_response_hop_limit is ${hops}; more than 2 lets metadata leave the pod network` : undefined;
    }),
};

export const nodeVolumeEncryption: Control = {
  id: 'node-volume-encryption',
  reason: 'Node disks hold image layers, emptyDirs and logs; they must be encrypted whatever the account-level EBS default is.',
  fix: 'give every node group a launch template whose block_device_mappings set ebs.encrypted true',
  check: (input) =>
    nodeTemplates(input, (template) => {
      const mappings = blocks(template.body.block_device_mappings);
      if (mappings.length === 0) return 'has no block_device_mappings, so the root volume follows the account default';
      const plain = mappings.filter((m) => !isTrue(blocks(m.ebs)[0]?.encrypted));
      return plain.length ? `volume ${plain.map((m) => m.device_name).join(', ')} is not encrypted` : undefined;
    }),
};

export const EKS_CONTROLS = [eksSecretsEncryption, eksEndpointPrivate, eksControlPlaneLogs, nodeImdsV2, nodeVolumeEncryption];
