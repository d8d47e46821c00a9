import { findingsOf, problemsOf, type Control, type Finding } from '../control';
import { blocks, isTrue, type PolicyInput } from '../model';

export const kmsKeyRotation: Control = {
  id: 'kms-key-rotation',
  reason: 'Yearly rotation limits how much data one key version protects, and auditors expect it.',
  fix: 'set enable_key_rotation true on the aws_kms_key (the kms-key module does)',
  check: (input) =>
    findingsOf(input.resources('aws_kms_key'), (key) => {
      // Rotation exists only for symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
      const spec = key.body.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      return spec === 'SYMMETRIC_DEFAULT' && !isTrue(key.body.enable_key_rotation) ? 'key rotation is off' : undefined;
    }),
};

export const logGroupRetentionEncryption: Control = {
  id: 'log-group-retention-encryption',
  reason: 'Logs without retention grow and bill forever; logs without a KMS key are readable to anyone with logs:Get*.',
  fix: 'set retention_in_days and kms_key_id on the aws_cloudwatch_log_group (the log-group module does)',
  check: (input) =>
    findingsOf(input.resources('aws_cloudwatch_log_group'), (group) => {
      const missing = [!(Number(group.body.retention_in_days) > 0) && 'retention_in_days', !group.body.kms_key_id && 'kms_key_id'].filter(Boolean);
      return missing.length ? `has no ${missing.join(' and no ')}` : undefined;
    }),
};

export const ecrHardened: Control = {
  id: 'ecr-hardened',
  reason: 'Images are what runs: scan them on push, never let a tag move under a running Deployment, encrypt them with our key.',
  fix: 'set image_scanning_configuration.scan_on_push true, image_tag_mutability "IMMUTABLE" and encryption_configuration encryption_type "KMS"',
  check: (input) =>
    findingsOf(input.resources('aws_ecr_repository'), (repo) =>
      problemsOf(
        !isTrue(blocks(repo.body.image_scanning_configuration)[0]?.scan_on_push) && 'images are not scanned on push',
        repo.body.image_tag_mutability !== 'IMMUTABLE' && 'tags are mutable',
        blocks(repo.body.encryption_configuration)[0]?.encryption_type !== 'KMS' && 'images are not encrypted with KMS',
      ),
    ),
};

function bucketProblems(input: PolicyInput): Finding[] {
  return findingsOf(input.resources('aws_s3_bucket'), (bucket) => {
    const related = (type: string) => input.referencing(type, bucket, 'bucket');
    const encrypted = related('aws_s3_bucket_server_side_encryption_configuration').some((c) => blocks(c.body.rule).some((r) => blocks(r.apply_server_side_encryption_by_default)[0]?.sse_algorithm));
    const versioned = related('aws_s3_bucket_versioning').some((v) => blocks(v.body.versioning_configuration)[0]?.status === 'Enabled');
    const blocked = related('aws_s3_bucket_public_access_block').some((b) => ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => isTrue(b.body[k])));
    return problemsOf(!encrypted && 'not encrypted', !versioned && 'not versioned', !blocked && 'public access not fully blocked');
  });
}

/** Each stack's own S3 backend block: state carries every resource attribute, secrets included. */
function backendProblems(input: PolicyInput): Finding[] {
  return input.stacks.flatMap((stack) => {
    const s3 = stack.json.terraform?.backend?.s3;
    return s3 && !isTrue(s3.encrypt) ? [{ resource: `${stack.name}/backend`, problem: 'S3 backend does not set encrypt', fix: 'set encrypt: true on the S3 backend (the state-backend module does)' }] : [];
  });
}

export const stateBucketHardened: Control = {
  id: 'state-bucket-hardened',
  reason: 'Terraform state holds every attribute of every resource; a readable or overwritable state bucket leaks or breaks all of it.',
  fix: 'give the bucket server-side encryption, versioning "Enabled" and a public access block with all four settings true (the bootstrap stack does)',
  check: (input) => [...bucketProblems(input), ...backendProblems(input)],
};

export const DATA_CONTROLS = [kmsKeyRotation, logGroupRetentionEncryption, ecrHardened, stateBucketHardened];
