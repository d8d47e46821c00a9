import { Construct } from 'constructs';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';

export interface ImageRepositoriesProps {
  provider: AwsProvider;
  prefix: string;
  names: string[];
  kmsKeyArn: string;
  keepImages: number;
}

/** ECR repositories for the project's own images: scanned on push, immutable, encrypted, pruned. */
export class ImageRepositories extends Construct {
  readonly repositories: Record<string, EcrRepository> = {};

  constructor(scope: Construct, id: string, props: ImageRepositoriesProps) {
    super(scope, id);
    for (const name of props.names) {
      const repo = new EcrRepository(this, name, {
        provider: props.provider,
        name: `${props.prefix}/${name}`,
        // A tag always means the same image, so a deploy is reproducible and reviewable.
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      });
      new EcrLifecyclePolicy(this, `${name}-lifecycle`, {
        provider: props.provider,
        repository: repo.name,
        policy: JSON.stringify({
          rules: [{ rulePriority: 1, description: `keep the last ${props.keepImages} images`, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.keepImages }, action: { type: 'expire' } }],
        }),
      });
      this.repositories[name] = repo;
    }
  }
}
