import type { OutputSpec } from './outputs';

/** The bootstrap stack's outputs: the state bucket and its key. */
export const bootstrapContract = (bucket: string) =>
  ({
    state_bucket: { description: 'S3 bucket holding every other stack state', mock: bucket },
    state_key_arn: { description: 'KMS key encrypting the state objects', mock: 'arn:aws:kms:us-west-2:111111111111:key/mock' },
  }) satisfies Record<string, OutputSpec>;

export type BootstrapContract = ReturnType<typeof bootstrapContract>;
