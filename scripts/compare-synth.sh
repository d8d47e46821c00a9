#!/usr/bin/env bash
# Synthesizes the same configs at two git revisions and compares the output byte for byte
# (every stack's cdk.tf.json and manifest.json). For refactors that must not change behaviour.
#
#   scripts/compare-synth.sh <rev-a> <rev-b> [config.yaml|config.json ...]
#
# With no config files it compares the demo config (MESH_CONFIG unset). Each revision is checked
# out in a temporary git worktree, built with its own `tsc`, and run with `node dist/main.js`;
# node_modules is shared from this checkout when both revisions have the same package-lock.json,
# otherwise installed with `npm ci`. Exit 0 when every output is identical, 1 otherwise.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <rev-a> <rev-b> [config files...]" >&2
  exit 2
fi
root=$(git rev-parse --show-toplevel)
rev_a=$(git -C "$root" rev-parse --verify "$1^{commit}")
rev_b=$(git -C "$root" rev-parse --verify "$2^{commit}")
shift 2
configs=()
for c in "$@"; do configs+=("$(realpath "$c")"); done

work=$(mktemp -d)
cleanup() {
  for rev in "$rev_a" "$rev_b"; do git -C "$root" worktree remove --force "$work/tree-$rev" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export CHECKPOINT_DISABLE=1
# One state folder for both sides, so the relative state paths in the output are the same.
export MESH_STATE_DIR="$work/state"

build() {
  local rev=$1 tree="$work/tree-$1"
  git -C "$root" worktree add --detach "$tree" "$rev" >/dev/null 2>&1
  if cmp -s "$root/package-lock.json" "$tree/package-lock.json" && [ -d "$root/node_modules" ]; then
    ln -s "$root/node_modules" "$tree/node_modules"
    # The root tsconfig compiles the chain service's sources too, against its own dependencies.
    [ -d "$root/services/chain-service/node_modules" ] && [ -d "$tree/services/chain-service" ] && ln -s "$root/services/chain-service/node_modules" "$tree/services/chain-service/node_modules"
  else
    (cd "$tree" && npm ci --silent >/dev/null)
  fi
  (cd "$tree" && npx tsc -p . >"$work/tsc-$rev.log" 2>&1) || { echo "building ${rev:0:12} failed:" >&2; head -20 "$work/tsc-$rev.log" >&2; exit 1; }
}

synth() {
  local rev=$1 name=$2 config=$3 out="$work/out/$1/$2"
  mkdir -p "$(dirname "$out")"
  if [ -n "$config" ]; then
    (cd "$work/tree-$rev" && MESH_CONFIG="$config" CDKTF_OUTDIR="$out" node dist/main.js >/dev/null 2>"$work/stderr")
  else
    (cd "$work/tree-$rev" && env -u MESH_CONFIG CDKTF_OUTDIR="$out" node dist/main.js >/dev/null 2>"$work/stderr")
  fi || { echo "synth of $name at ${rev:0:12} failed:" >&2; cat "$work/stderr" >&2; exit 1; }
}

build "$rev_a"
build "$rev_b"
status=0
names=("demo")
[ ${#configs[@]} -gt 0 ] && names=()
for c in "${configs[@]}"; do names+=("$(basename "$c")"); done
for i in "${!names[@]}"; do
  name=${names[$i]}
  config=${configs[$i]:-}
  synth "$rev_a" "$name" "$config"
  synth "$rev_b" "$name" "$config"
  if diff -r "$work/out/$rev_a/$name" "$work/out/$rev_b/$name" >"$work/diff" 2>&1; then
    files=$(find "$work/out/$rev_a/$name" -name '*.json' | wc -l)
    echo "identical: $name ($files JSON files, ${rev_a:0:12} vs ${rev_b:0:12})"
  else
    echo "DIFFERENT: $name (${rev_a:0:12} vs ${rev_b:0:12})"
    head -40 "$work/diff"
    status=1
  fi
done
exit $status
