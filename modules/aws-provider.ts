import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AccountConfig } from '../config/schema';
import type { StackContext } from '../stacks/context';

/**
 * The AWS provider for one account. `allowed_account_ids` makes Terraform refuse to act if the
 * credentials resolve to any other account, so a mixed-up profile cannot touch the wrong one.
 */
export function awsProviderFor(scope: Construct, account: AccountConfig, ctx: StackContext, alias?: string): AwsProvider {
  const { config, settings } = ctx;
  const common = {
    alias,
    region: config.region,
    defaultTags: [{ tags: { ...config.tags, MeshProject: config.project, MeshAccount: account.name } }],
  };
  if (settings.offlinePlan) {
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
    assumeRole: account.roleArn ? [{ roleArn: account.roleArn, sessionName: `cdktf-${config.project}` }] : undefined,
  });
}
