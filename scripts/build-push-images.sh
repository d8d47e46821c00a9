#!/usr/bin/env bash
# Builds the chain service image and pushes it to the ECR repository the cluster stack created.
# Needs Docker (an engine, not only the client) and the AWS CLI v2 with credentials for the
# repository's account.
#
#   scripts/build-push-images.sh --repository <account>.dkr.ecr.<region>.amazonaws.com/meshdemo/chain-service [--tag 0.1.0]
#
# The repository URL is the cluster stack's `ecr_repository_urls` output
# (`npx cdktf output cluster-<account>`). Tags are immutable in ECR, so "latest" is refused
# and a tag can be pushed only once; the catalog (services/chain.ts) names the tag to run.
set -euo pipefail

repository=""
tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --repository) repository="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (use --repository URL [--tag TAG])" >&2; exit 2 ;;
  esac
done
[ -n "$repository" ] || { echo "--repository is required: the ecr_repository_urls output of the cluster stack" >&2; exit 2; }
command -v docker >/dev/null || { echo "docker is not installed; it is needed to build the image" >&2; exit 1; }
command -v aws >/dev/null || { echo "the AWS CLI is not installed; it is needed to log in to ECR" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "no Docker engine is reachable (docker info failed)" >&2; exit 1; }

if [ -z "$tag" ]; then tag="$(git rev-parse --short HEAD)"; fi
[ "$tag" != "latest" ] || { echo "refusing tag 'latest': repositories are immutable; use a version or a commit" >&2; exit 2; }

registry="${repository%%/*}"
region="$(echo "$registry" | cut -d. -f4)"
here="$(cd "$(dirname "$0")/.." && pwd)"

aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry"
docker build --pull -t "$repository:$tag" "$here/services/chain-app"
docker push "$repository:$tag"
echo "pushed $repository:$tag"
