#!/bin/bash
# End-to-end check of --shard / merge on a staged experiment through the real CLI: `pmse --quick --points 2
# --samples 200` once unsharded, then as 2 shard processes over 2 rounds with a merge after each; the merged
# results.json numbers and figures must equal the unsharded run's byte for byte. The shards start from the
# unsharded run's trained models (copied), as the README's "train once" advice says. Takes ~15 min on 2 busy cores.
#   bash apps/reproduce/scripts/check-shard-merge.sh [work-directory]
set -euo pipefail
cd "$(dirname "$0")/.."
R="${1:-$(mktemp -d)}"
cli() { node --import tsx src/cli.ts "$@"; }
args=(pmse --points 2 --samples 200 --quiet)
cli "${args[@]}" --out "$R/whole" > "$R/whole.log"
for k in 0 1; do mkdir -p "$R/s$k"; cp -r "$R/whole/models" "$R/s$k/"; done
for round in 1 2; do
  from=(); [ "$round" = 2 ] && from=(--from "$R/merged")
  for k in 0 1; do cli "${args[@]}" --shard "$k/2" "${from[@]}" --out "$R/s$k" & done
  wait
  status=0; cli merge "$R/s0" "$R/s1" --out "$R/merged" --quiet || status=$?
  echo "round $round: merge exit $status (expected $([ "$round" = 1 ] && echo 3 || echo 0))"
done
node -e '
const fs = require("node:fs");
const read = (d) => { const j = JSON.parse(fs.readFileSync(`${d}/pmse/results.json`, "utf8")); return JSON.stringify([j.config, j.results]); };
const same = read(process.argv[1]) === read(process.argv[2]);
console.log(`results.json numbers identical: ${same}`);
if (!same) process.exit(1);
' "$R/whole" "$R/merged"
for f in $(cd "$R/whole/pmse" && ls ./*.svg ./*.png); do cmp "$R/whole/pmse/$f" "$R/merged/pmse/$f" && echo "$f identical"; done
