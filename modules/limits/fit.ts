import { createHash } from 'crypto';
import { LIMITS, type LimitId } from './table';

// Shortening a derived name that is past its limit, the same way wherever it is derived: the
// role a workloads stack creates and the role ARN a caller's auth policy names go through the
// same function, so they cannot disagree.

/** Tag that keeps the full name of a resource whose name was shortened. */
export const FULL_NAME_TAG = 'MeshFullName';

const HASH_LENGTH = 8;

/**
 * `full` when it fits the limit; otherwise its start, "-" and 8 hex characters of its SHA-256, so
 * the result is stable across runs and two long names that share a start still differ.
 */
export function fitName(id: LimitId, full: string): string {
  const { max, shorten } = LIMITS[id];
  if (max === undefined || full.length <= max) return full;
  if (!shorten) throw new Error(`${LIMITS[id].what} "${full}" is past ${max} characters and may not be shortened (modules/limits/table.ts)`);
  const digest = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const start = full.slice(0, max - HASH_LENGTH - 1).replace(/[^A-Za-z0-9]+$/, '');
  return `${start}-${digest}`;
}

/** Tags recording the full name, only where it was shortened (so names that fit change nothing). */
export function fullNameTags(id: LimitId, full: string): Record<string, string> | undefined {
  return fitName(id, full) === full ? undefined : { [FULL_NAME_TAG]: full };
}

/** An IAM role's name: every role this project creates or refers to by name goes through here. */
export const iamRoleName = (full: string) => fitName('iam-role', full);

/** The ARN of a role this project creates, from its full (unshortened) name. */
export const iamRoleArn = (accountId: string, fullName: string) => `arn:aws:iam::${accountId}:role/${iamRoleName(fullName)}`;
