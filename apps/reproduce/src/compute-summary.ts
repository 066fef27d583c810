import type { InvocationTotals } from "./invocation-log.js";
import type { RunDocument } from "./model-runs.js";

/**
 * The run's whole compute cost from its invocation ledger (a resumed or sharded run is many invocations; the last
 * one's wall time says little about it), split by `--dataset` where invocations were given different ones. Empty for
 * a results.json from before the ledger.
 */
export function computeSummary(timings: RunDocument["timings"]): string {
  const all = timings?.allInvocations;
  if (all === undefined) return "";
  const totals = (t: InvocationTotals) => `${t.invocations} invocation${t.invocations === 1 ? "" : "s"}, ${duration(t.cpuSeconds)} CPU, ${duration(t.wallSeconds)} wall summed, ${t.itemsComputed.toLocaleString("en")} items computed`;
  const byDataset = Object.entries(timings?.invocationsByDataset ?? {});
  const split = byDataset.length > 1 ? ` (by \`--dataset\`: ${byDataset.map(([dataset, t]) => `${dataset} ${totals(t)}`).join("; ")})` : "";
  return ` Compute over every invocation of this configuration (its ledger, \`invocations/\`): ${totals(all)}${split}.`;
}

/** Seconds below an hour, hours with two decimals above. */
function duration(seconds: number): string {
  return seconds < 3600 ? `${seconds.toFixed(0)} s` : `${(seconds / 3600).toFixed(2)} h`;
}
