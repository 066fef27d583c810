import { markdownTable } from "../../markdown-table.js";
import { FIGURE_2 } from "../../paper-numbers/figure-2.js";
import type { FourQuadrantResults } from "./compute.js";
import { QUADRANT_AVERAGE, type FourQuadrantConfig } from "./config.js";

/** A grid end as the paper writes it: 1e-2, 0.1, 1, 1e4. */
function short(x: number): string {
  const rounded = Number(x.toPrecision(3));
  return rounded < 0.1 || rounded >= 1000 ? rounded.toExponential(0).replace("e+", "e") : String(rounded);
}

/** report.md of a Four Quadrant run: Fig. 2 and ours next to the paper's statements. */
export function fourQuadrantReport(config: FourQuadrantConfig, results: FourQuadrantResults, figure: string): string {
  const s = results.summary;
  const percent = (share: number) => `${(100 * share).toFixed(0)} %`;
  const tolerance = 0.1 * QUADRANT_AVERAGE;
  return [
    "## Figure 2",
    "",
    `![Figure 2](${figure})`,
    "",
    `Blue: SmoothHess H₁₂ with a ±2 standard-error band; red: the SoftPlus surrogate's exact H₁₂; dashed: ${QUADRANT_AVERAGE}, the`,
    "quadrant average (5 + 3 + 12 − 10)/4 that a rotation-invariant smoothing must recover.",
    "",
    markdownTable(
      ["quantity", "ours", "paper"],
      [
        ["training MSE", `${results.trainingMse.toExponential(2)} (${results.trainingSteps} steps)`, FIGURE_2.trainingMse],
        [`SmoothHess H₁₂, σ² ∈ [${short(s.smoothHessBand.sigma2From)}, ${short(s.smoothHessBand.sigma2To)}]`, `${s.smoothHessBand.min.toFixed(3)} … ${s.smoothHessBand.max.toFixed(3)}`, FIGURE_2.smoothHessBand],
        [`share of those σ² with |H₁₂ − ${QUADRANT_AVERAGE}| ≤ ${tolerance}`, percent(s.smoothHessShareWithinTenPercent), FIGURE_2.smoothHessShare],
        [
          `SoftPlus H₁₂ over β ∈ [${short(config.betas[0])}, ${short(config.betas[config.betas.length - 1])}]`,
          `${s.softplusRange.min.toFixed(3)} … ${s.softplusRange.max.toFixed(3)}`,
          FIGURE_2.softplusRange,
        ],
        [`share of β with |H₁₂ − ${QUADRANT_AVERAGE}| ≤ ${tolerance}`, percent(s.softplusShareWithinTenPercent), FIGURE_2.softplusShare],
      ],
    ),
    "",
    `SmoothHess: ${config.samples.toLocaleString("en")} gradient samples per σ² (antithetic), seed derived per σ². The`,
    "trained tfjs weights are analysed in float64 (`@smoothhess/oracle` reference network), so the Hessians are exact",
    "up to Monte-Carlo error and identical on every machine.",
    "",
  ].join("\n");
}
