import { parseFamiliarName } from '@swimlane/docker-reference';
import type { Problem } from '../errors';
import { runsIn, versionsOf, type ServiceSpec } from './schema';
import { PROJECT_IMAGE_PREFIX } from './chain';

// Image references, parsed against the grammar of distribution/reference (the one Docker,
// containerd and registries use) by a library instead of by string splitting. A reference the
// grammar rejects would be rejected by the kubelet at pull time, after the deploy.

export interface ImageReference {
  /** As written in the catalog. */
  raw: string;
  /** The repository without registry, e.g. "library/nginx" or "project/myapi". */
  repository: string;
  tag?: string;
  digest?: string;
  /** For `project/<repo>` images: the repository in this project's ECR, e.g. "myapi". */
  projectRepository?: string;
}

/** The parsed reference, or why it is not one (the library's reason). */
export function parseImage(raw: string): ImageReference | { problem: string } {
  try {
    const ref = parseFamiliarName(raw);
    const repository = ref.repository ?? '';
    const own = raw.startsWith(PROJECT_IMAGE_PREFIX) && ref.domain === 'docker.io' && repository.startsWith(PROJECT_IMAGE_PREFIX);
    return { raw, repository, tag: ref.tag, digest: ref.digest, projectRepository: own ? repository.slice(PROJECT_IMAGE_PREFIX.length) : undefined };
  } catch (error) {
    const reason = (error as Error).message;
    return { problem: /\s/.test(raw) ? `${reason}: it contains whitespace` : reason };
  }
}

/** The image a service version runs, with where it sits in the catalog. */
function imagesOf(s: ServiceSpec, i: number): Array<{ image: string; path: Problem['path'] }> {
  return [
    { image: s.image, path: ['catalog', i, 'image'] },
    // Index before filtering, so versions[1] is reported as versions[1].
    ...s.versions.flatMap((v, k) => (v.image === undefined ? [] : [{ image: v.image, path: ['catalog', i, 'versions', k, 'image'] }])),
  ];
}

/** The name part of a reference, for the fix ("ghcr.io/acme/api:latest" → "ghcr.io/acme/api"). */
const withoutTag = (raw: string) => raw.replace(/@.*$/, '').replace(/:[^/:]*$/, '');

/** Every image parses, and is pinned by a tag other than "latest" or by a digest. */
export function imageProblems(services: ServiceSpec[]): Problem[] {
  return services.flatMap((s, i) =>
    imagesOf(s, i).flatMap(({ image, path }): Problem[] => {
      const ref = parseImage(image);
      if ('problem' in ref) {
        return [{ path, message: `${JSON.stringify(image)} is not an image reference (${ref.problem}). Fix: write [registry/]repository:tag or @sha256:digest in lower case, e.g. "ghcr.io/acme/api:1.4.0"` }];
      }
      if (ref.digest || (ref.tag && ref.tag !== 'latest')) return [];
      return [{ path, message: `${JSON.stringify(image)} is not pinned. Fix: add a specific tag or a digest, e.g. "${withoutTag(image)}:1.2.3"` }];
    }),
  );
}

/** The image as the cluster pulls it: project images from the account's ECR repository URL. */
export function resolveImage(raw: string, repositoryUrl: (repository: string) => string): string {
  const ref = parseImage(raw);
  if ('problem' in ref || ref.projectRepository === undefined) return raw;
  return `${repositoryUrl(ref.projectRepository)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The project's ECR repositories a site needs (ECR is regional): one per `project/<repo>` image its services run. */
export function projectRepositories(services: ServiceSpec[], account: string): string[] {
  const repos = services
    .filter((s) => runsIn(s, account))
    .flatMap((s) => versionsOf(s).map((v) => v.image ?? s.image))
    .map(parseImage)
    .flatMap((ref) => ('problem' in ref || ref.projectRepository === undefined ? [] : [ref.projectRepository]));
  return [...new Set(repos)].sort();
}
