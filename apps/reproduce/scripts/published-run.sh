#!/bin/bash
# The published paper-scale reproduction (apps/reproduce/published/): `pmse --full` and `attack --full` on the
# paper authors' MNIST and FMNIST models, as two shard processes side by side (one per core; each ONNX Runtime
# session runs one intra-op thread) over the two rounds of the shard/merge contract (validation items, merge, test
# items, merge). Every item is checkpointed under published/<experiment>/shard-<k>/, and those checkpoints are
# committed, so an interrupted run resumes with the same command, on this machine or a fresh clone.
#
#   bash apps/reproduce/scripts/published-run.sh <pmse|attack> [mnist|fmnist|all] [more options of the experiment]
#
# PUBLISHED_DIR (default: apps/reproduce/published) moves the whole tree elsewhere, e.g. to try the flow on a small
# configuration: PUBLISHED_DIR=/tmp/p bash apps/reproduce/scripts/published-run.sh pmse mnist --points 1 --samples 200
#
# Exit status: 0 when the experiment's merged report is complete for the datasets asked, non-zero otherwise.
set -euo pipefail
experiment="${1:?usage: published-run.sh <pmse|attack> [mnist|fmnist|all]}"
datasets="${2:-all}"
shift $(( $# < 2 ? $# : 2 ))
extra=("$@")
case "$experiment" in pmse | attack) ;; *) echo "published-run.sh: experiment must be pmse or attack, got '$experiment'" >&2; exit 2 ;; esac
case "$datasets" in mnist | fmnist | all) ;; *) echo "published-run.sh: datasets must be mnist, fmnist or all, got '$datasets'" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
node scripts/build-quietly.mjs
root="${PUBLISHED_DIR:-published}/$experiment"
cli() { node dist/cli.js "$experiment" --full --model authors --quiet "${extra[@]}" "$@"; }
dataset=(); [ "$datasets" != all ] && dataset=(--dataset "$datasets")

# merged/ holds the latest merge, which the next dataset's and the combined merges replace, so each complete merge
# (one dataset's, or `all`) is also kept in <experiment>/<datasets>/<experiment>-authors/ (the layout of an --out, so
# `reproduce report` can rebuild it), as written when it first completed. It is not rewritten: a later merge of one
# dataset would count the other dataset's invocations too (the ledgers are per configuration, and the configuration
# covers both datasets). The kept results.json is compressed (results.json.gz, which `reproduce report` reads; its
# SHA256SUMS line replaces results.json's), and its report is rebuilt from the repository root so that the fill
# commands it prints work as pasted there.
# A run on the paper's own test points (--test-points first) is kept beside the seeded run's, not in its place.
keep_suffix=""
for ((i = 0; i < ${#extra[@]}; i++)); do
  case "${extra[i]}" in --test-points=first) keep_suffix="-first-points" ;; --test-points) [ "${extra[i + 1]:-}" != first ] || keep_suffix="-first-points" ;; esac
done
keep_merged_report() {
  local keep="$root/$datasets$keep_suffix/$experiment-authors" merged="$root/merged/$experiment-authors"
  [ ! -e "$keep" ] || return 0
  rm -rf "$keep.partial" && mkdir -p "$keep.partial"
  find "$merged" -maxdepth 1 -type f -exec cp {} "$keep.partial/" \;
  if ! (cd "$keep.partial" && sha256sum --quiet -c SHA256SUMS); then
    echo "published-run: $merged does not match its SHA256SUMS; nothing kept" >&2
    rm -rf "$keep.partial"
    return 1
  fi
  (
    cd "$keep.partial"
    gzip -9 -n results.json
    grep -v '  results\.json$' SHA256SUMS > SHA256SUMS.new
    sha256sum results.json.gz >> SHA256SUMS.new
    mv SHA256SUMS.new SHA256SUMS
  )
  mv "$keep.partial" "$keep"
  local app_dir from_root
  app_dir="$(pwd)"
  case "$keep" in /*) from_root="$(dirname "$keep")" ;; *) from_root="apps/reproduce/$(dirname "$keep")" ;; esac
  if ! (cd "$app_dir/../.." && node "$app_dir/dist/cli.js" report "$experiment" --out "$from_root" > /dev/null && cd "$from_root/$experiment-authors" && sha256sum --quiet -c SHA256SUMS); then
    echo "published-run: rebuilding $keep/report.md failed; removed, so that the next run keeps it again" >&2
    rm -rf "$keep"
    return 1
  fi
  echo "published-run: kept $keep/report.md"
}

for round in 1 2; do
  from=(); [ "$round" = 2 ] && from=(--from "$root/merged")
  pids=()
  for k in 0 1; do
    cli "${dataset[@]}" "${from[@]}" --shard "$k/2" --out "$root/shard-$k" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  status=0
  node dist/cli.js merge "$root/shard-0" "$root/shard-1" --out "$root/merged" --quiet || status=$?
  if [ "$status" = 0 ]; then
    echo "published-run: $experiment ($datasets) complete: $root/merged/$experiment-authors/report.md"
    keep_merged_report
    exit 0
  fi
  if [ "$status" != 3 ]; then
    echo "published-run: merge failed with exit $status" >&2
    exit "$status"
  fi
  echo "published-run: round $round of $experiment ($datasets) merged; test items next"
done
echo "published-run: merge still incomplete after round 2" >&2
exit 1
