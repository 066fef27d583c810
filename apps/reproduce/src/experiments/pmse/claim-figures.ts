import { pairedDifference } from "@smoothhess/metrics";
import type { PmseMethod } from "../../paper-numbers/paper-layout.js";
import { signedDecimal } from "../shared/signed-decimal.js";
import { zScore } from "../shared/z-score.js";
import type { PmseTargetResults } from "./results.js";

/** A second-order method and the first-order model it extends (§5.2: "second-order models beat their first-order counterparts"). */
const ORDER_PAIRS = [
  ["SG", "SH+SG"],
  ["SP G", "SP (H+G)"],
  ["SW G", "SW (H+G)"],
] as const satisfies readonly (readonly [PmseMethod, PmseMethod])[];

/** The methods whose magnitude is compared with the paper's in standard errors (G has its own note). */
const MAGNITUDE_METHODS = ["SH+SG", "SG", "SP (H+G)", "SP G", "SW (H+G)", "SW G"] as const satisfies readonly PmseMethod[];

/**
 * The derived figures by which the paper's P_MSE claims (§5.2, App. F) are judged in one table (one dataset, function
 * and ball law), computed from the run's per-point P_MSE so that a README quoting them can be checked by rebuilding
 * the report: first-order / second-order ratios, SG against SP G (relative difference and paired z; the paper calls
 * them "tied in many cases"), and each smooth method's distance from the paper's mean in this run's standard errors.
 * `paper` gives the paper's value at each of the run's radii (NaN where it has none). Empty for fewer than two points.
 */
export function claimFigures(
  target: Pick<PmseTargetResults, "points" | "summary">,
  sampling: string,
  radii: readonly number[],
  paper: (method: PmseMethod, e: number) => number,
): string[] {
  // A standard error needs two points; a run with fewer (a trial with `--points 1`) has no claim figures.
  if (target.points.length < 2) return [];
  const perPoint = (method: PmseMethod, e: number) => target.points.map((p) => p.pmse[sampling][method][e]);
  const mean = (method: PmseMethod, e: number) => target.summary[sampling][method].mean[e];
  const standardError = (method: PmseMethod, e: number) => target.summary[sampling][method].std[e] / Math.sqrt(target.points.length);
  const atRadii = (cell: (e: number) => string) => radii.map((_, e) => cell(e)).join(" / ");
  const orders = ORDER_PAIRS.map(([first, second]) => `${first} ÷ ${second} ${atRadii((e) => (mean(first, e) / mean(second, e)).toFixed(2))}`);
  const tie = radii.map((_, e) => {
    const difference = pairedDifference(perPoint("SP G", e), perPoint("SG", e));
    return `${signedPercent(mean("SP G", e) / mean("SG", e) - 1)} (z ${zScore(difference.mean, difference.standardError)})`;
  });
  const magnitudes = MAGNITUDE_METHODS.map((m) => `${m} ${atRadii((e) => zScore(mean(m, e) - paper(m, e), standardError(m, e)))}`);
  const at = `at ε = ${radii.join(" / ")}`;
  return [
    `Claim figures (${at}; rebuilt with the report from the per-point P_MSE): first order ÷ second order — ${orders.join("; ")}.` +
      ` SP G against SG: SP G / SG − 1 = ${tie.join(", ")}, z the paired difference SP G − SG over its standard error.` +
      ` (mean − paper) / SE, the distance from the paper's mean in this run's standard errors: ${magnitudes.join("; ")}.`,
    "",
  ];
}

function signedPercent(x: number): string {
  return Number.isFinite(x) ? `${signedDecimal(100 * x)} %` : "—";
}
