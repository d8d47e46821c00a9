#!/usr/bin/env bash
# Builds the chain service image (services/chain-service) and pushes it to the ECR repository
# the cluster stack created.
#
#   scripts/build-push-images.sh --repository <account>.dkr.ecr.<region>.amazonaws.com/<name> \
#       [--tag <tag>] [--region <region>] [--platform linux/amd64]
#
# --repository  the cluster stack's `ecr_repository_urls` output, entry "chain-service"
#               (`npx cdktf output cluster-<account>`, or `terraform output -json ecr_repository_urls`
#               in that stack's directory under cdktf.out/stacks/).
# --tag         default: the short git commit of the working tree. The repository's tags are
#               immutable, so "latest" is refused and a tag can be pushed only once; the catalog
#               (config/catalog/chain.ts) names the tag the cluster runs.
# --region      default: the region in the repository's host name.
# --platform    default: linux/amd64, the architecture of the clusters' m6i nodes.
#
# Needs Docker (a reachable engine, not only the client) and the AWS CLI v2 with credentials for
# the repository's account (ecr:GetAuthorizationToken, and push rights on the repository).
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { echo "build-push-images: $1" >&2; exit "${2:-1}"; }

repository="" tag="" region="" platform="linux/amd64"
while [ $# -gt 0 ]; do
  case "$1" in
    --repository|--tag|--region|--platform)
      [ $# -ge 2 ] && [ -n "$2" ] || fail "$1 needs a value" 2
      case "$1" in
        --repository) repository="$2" ;;
        --tag) tag="$2" ;;
        --region) region="$2" ;;
        --platform) platform="$2" ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument: $1 (see --help)" 2 ;;
  esac
done

[ -n "$repository" ] || fail "--repository is required: the cluster stack's ecr_repository_urls output, e.g. 111111111111.dkr.ecr.us-west-2.amazonaws.com/meshdemo/chain-service" 2
repository="${repository%/}"
ecr_host='^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[a-z0-9][a-z0-9._/-]*$'
[[ "$repository" =~ $ecr_host ]] || fail "'$repository' is not an ECR repository URL (<account>.dkr.ecr.<region>.amazonaws.com/<name>, without a tag)" 2
registry="${repository%%/*}"
name="${repository#*/}"
[ -n "$region" ] || region="$(cut -d. -f4 <<<"$registry")"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
context="$here/services/chain-service"
[ -f "$context/Dockerfile" ] || fail "no Dockerfile in $context"

if [ -z "$tag" ]; then
  command -v git >/dev/null 2>&1 || fail "git is not installed; pass --tag explicitly"
  tag="$(git -C "$here" rev-parse --short HEAD 2>/dev/null)" || fail "cannot read the git commit for the default tag; pass --tag explicitly"
  # A commit tag must describe what is built: refuse uncommitted changes to the service.
  if [ -n "$(git -C "$here" status --porcelain -- services/chain-service)" ]; then
    fail "services/chain-service has uncommitted changes, so the commit $tag would not describe the image. Commit them, or pass --tag explicitly" 2
  fi
fi
shopt -s nocasematch
[[ "$tag" != "latest" ]] || fail "refusing tag 'latest': the repository's tags are immutable; use a version (e.g. 0.1.0) or a commit" 2
shopt -u nocasematch
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || fail "'$tag' is not a valid image tag (letters, digits, _ . -; at most 128)" 2

command -v docker >/dev/null 2>&1 || fail "docker is not installed; it is needed to build and push the image (https://docs.docker.com/engine/install/)"
command -v aws >/dev/null 2>&1 || fail "the AWS CLI is not installed; it is needed to log in to ECR (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
docker info >/dev/null 2>&1 || fail "no Docker engine is reachable ('docker info' failed); start Docker or set DOCKER_HOST"

image="$repository:$tag"
# Immutable tags: find out now rather than after the build (needs ecr:DescribeImages; skipped if denied).
if aws ecr describe-images --region "$region" --repository-name "$name" --image-ids "imageTag=$tag" >/dev/null 2>&1; then
  fail "$image already exists and tags are immutable; choose another --tag" 2
fi

echo "build-push-images: logging in to $registry ($region)"
aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
echo "build-push-images: building $image for $platform"
docker build --pull --platform "$platform" -t "$image" "$context"
echo "build-push-images: pushing $image"
docker push "$image"
echo "build-push-images: pushed $image"
