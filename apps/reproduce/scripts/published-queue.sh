#!/bin/bash
# Everything the published reproduction (apps/reproduce/published/) still needs, in order, with one command, so that
# a session spends its cores on the runs rather than between them:
#
#   pmse mnist → pmse fmnist → attack mnist → attack fmnist → pmse all → attack all   (published-run.sh, 2 shards)
#   spirometry --full, beside them at nice 10 (it takes only what the shards leave)
#
# Every step resumes from the committed checkpoints and returns at once when its merged report is complete, so the
# same command continues wherever an earlier session stopped. Commit published/ before a session ends (its
# processes end with it).
#
#   bash apps/reproduce/scripts/published-queue.sh            PUBLISHED_DIR as for published-run.sh
#
# Options after the command go to every published-run.sh step (a trial on a small configuration, e.g.
# PUBLISHED_DIR=/tmp/p bash apps/reproduce/scripts/published-queue.sh --points 1 --samples 200); spirometry then
# does not run, since those options are not its own.
#
# Exit status: 0 when every step is complete, otherwise that of the first step that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build-quietly.mjs
published="${PUBLISHED_DIR:-published}"

spirometry_pid=""
if [ $# -eq 0 ] && [ ! -f "$published/spirometry/spirometry/report.md" ]; then
  nice -n 10 node dist/cli.js spirometry --full --quiet --out "$published/spirometry" &
  spirometry_pid=$!
fi

for step in "pmse mnist" "pmse fmnist" "attack mnist" "attack fmnist" "pmse all" "attack all"; do
  echo "published-queue: $step"
  # shellcheck disable=SC2086 # two words: experiment and datasets
  bash scripts/published-run.sh $step "$@"
done

if [ -n "$spirometry_pid" ]; then
  echo "published-queue: waiting for spirometry --full"
  wait "$spirometry_pid"
fi
echo "published-queue: every published run is complete"
