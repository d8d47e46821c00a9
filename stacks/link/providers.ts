import type { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AccountConfig } from '../../config/schema';
import type { StackContext } from '../context';
import { accountProvider } from '../../modules/aws-provider';

/** The AWS provider of one site for a stack of this synth: in the site's region unless told otherwise (tags and mode from the config and settings). */
export function awsProviderFor(scope: Construct, account: AccountConfig, ctx: StackContext, alias?: string, region = account.region): AwsProvider {
  return accountProvider(scope, { account, region, project: ctx.config.project, tags: ctx.config.tags, offline: ctx.settings.offlinePlan, alias });
}
