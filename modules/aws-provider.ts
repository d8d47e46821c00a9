import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';

/** The account a provider acts in, and how it gets there. */
export interface ProviderAccount {
  name: string;
  id: string;
  /** A named AWS CLI profile for the base credentials. */
  profile?: string;
  /** The deploy role to assume in the account. */
  roleArn?: string;
}

export interface AccountProviderProps {
  account: ProviderAccount;
  region: string;
  /** Session name suffix and the MeshProject tag. */
  project: string;
  /** Tags on every resource, besides MeshProject and MeshAccount. */
  tags: Record<string, string>;
  /**
   * Offline plan: placeholder credentials and skip flags, never set for a deploy. Everything
   * that needs STS (allowed_account_ids, assume_role) is left out then.
   */
  offline: boolean;
  alias?: string;
}

/**
 * The AWS provider for one account. `allowed_account_ids` makes Terraform refuse to act if the
 * credentials resolve to any other account, so a mixed-up profile cannot touch the wrong one.
 */
export function accountProvider(scope: Construct, props: AccountProviderProps): AwsProvider {
  const { account } = props;
  const common = {
    alias: props.alias,
    region: props.region,
    defaultTags: [{ tags: { ...props.tags, MeshProject: props.project, MeshAccount: account.name } }],
  };
  if (props.offline) {
    // Offline plan only: placeholder keys and no STS/metadata calls. allowed_account_ids and
    // assume_role are left out because both need a live STS answer; a deploy never takes this path.
    return new AwsProvider(scope, `aws-${account.name}`, {
      ...common,
      accessKey: 'offline-plan-placeholder',
      secretKey: 'offline-plan-placeholder',
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: 'true',
      skipRegionValidation: true,
    });
  }
  return new AwsProvider(scope, `aws-${account.name}`, {
    ...common,
    allowedAccountIds: [account.id],
    profile: account.profile,
    assumeRole: account.roleArn ? [{ roleArn: account.roleArn, sessionName: `cdktf-${props.project}` }] : undefined,
  });
}
