import { markdownTable, scientific } from "../../markdown-table.js";
import type { RobustnessResults } from "./compute.js";
import type { RobustnessConfig } from "./config.js";

/** report.md of a robustness run. */
export function robustnessReport(config: RobustnessConfig, results: RobustnessResults, figures: readonly string[]): string {
  const png = figures.filter((f) => f.endsWith(".png"));
  const sections = results.datasets.map((ds) => {
    const violations = ds.cells.filter((c) => c.smoothGrad.maxDistance > c.bounds.smoothGradCertified || c.smoothHess.maxDistance > c.bounds.smoothHessCertified).length;
    const observedViolations = ds.cells.filter((c) => c.smoothGrad.maxDistance > c.bounds.smoothGradObserved || c.smoothHess.maxDistance > c.bounds.smoothHessObserved).length;
    const tightest = Math.max(...ds.cells.map((c) => c.smoothHess.maxDistance / c.bounds.smoothHessObserved));
    const saliencyVsSmoothGrad = ds.cells.filter((c) => c.smoothGrad.maxDistance < c.saliency.maxDistance).length;
    const smoothHessTopK = ds.cells.map((c) => c.smoothHess.maxTopK);
    return [
      `## ${ds.dataset === "mnist" ? "MNIST" : "FMNIST"} (test accuracy ${(100 * ds.testAccuracy).toFixed(1)} %, ${ds.points.length} explained point(s): test ${ds.points.map((p) => `#${p.testIndex} (class ${p.label})`).join(", ")})`,
      "",
      `sup‖∇f‖₂ of the explained logit: certified ${scientific(ds.gradMaxCertified)} (product of spectral norms), largest observed ${scientific(ds.gradMaxObserved)}.`,
      `Measured changes above the certified bounds: ${violations} of ${ds.cells.length} cells; above the bounds with the observed gradient norm: ${observedViolations} of ${ds.cells.length}.`,
      `SmoothHess's largest measured change reaches ${(100 * tightest).toFixed(1)} % of its bound with the observed gradient norm.`,
      `SmoothGrad moves less than saliency in ${saliencyVsSmoothGrad} of ${ds.cells.length} cells. Wang et al.'s Thm. 3 (saliency moves by ≤ ε·max|ξᵢ| to first order) predicts 0`,
      `for a ReLU network, whose Hessian vanishes almost everywhere; the measured saliency changes are ${ds.cells.map((c) => scientific(c.saliency.maxDistance)).filter((v, i, a) => a.indexOf(v) === i).join(", ")}.`,
      `SmoothHess top-${config.topK} pairs: largest top-k distance ${smoothHessTopK.map((v) => v.toFixed(2)).join(", ")} over the cells.`,
      "",
      markdownTable(
        ["σ²", "ε", "saliency L2", "SG L2", "SG bound (obs.)", "SG bound (cert.)", "SG noise", "SH spectral", "SH bound (obs.)", "SH bound (cert.)", "SH noise", `top-${config.topK}: sal. / SG / SH pairs`],
        ds.cells.map((c) => [
          String(c.sigma2),
          String(c.radius),
          scientific(c.saliency.maxDistance),
          scientific(c.smoothGrad.maxDistance),
          scientific(c.bounds.smoothGradObserved),
          scientific(c.bounds.smoothGradCertified),
          scientific(c.smoothGrad.estimatorNoise),
          scientific(c.smoothHess.maxDistance),
          scientific(c.bounds.smoothHessObserved),
          scientific(c.bounds.smoothHessCertified),
          scientific(c.smoothHess.estimatorNoise),
          `${c.saliency.maxTopK.toFixed(2)} / ${c.smoothGrad.maxTopK.toFixed(2)} / ${c.smoothHess.maxTopK.toFixed(2)}`,
        ]),
      ),
    ].join("\n");
  });
  return [
    "How much saliency (the plain gradient), SmoothGrad and SmoothHess of the predicted logit change when the input moves",
    `within an L2 ball of radius ε: ${config.neighbours} neighbours uniform in the ball per explained point, ${config.samples.toLocaleString("en")} gradient samples`,
    "(antithetic) per estimate, the same seed at x and at its neighbours (common random numbers: the distances measure the",
    "explanation map, and the estimator's own noise at x is its own column). Distances: L2 for vectors, spectral norm for",
    `SmoothHess; top-k distance = 1 − share of the top-${config.topK} features (pairs, for SmoothHess) that stay top-${config.topK}. All maxima over`,
    "neighbours and explained points.",
    "",
    "Bounds (metrics README): SmoothGrad 2G(2Φ(ε/2σ) − 1) ≤ √(2/π)·G·ε/σ, SmoothHess 4φ(1)·G·ε/σ², with G = sup‖∇f‖₂ —",
    "\"cert.\" from the product of the layers' spectral norms (a true bound, loose for deep networks), \"obs.\" from the",
    "largest gradient norm any sample met (not a certificate: a plug-in value).",
    "",
    ...png.map((f) => `![${f}](${f})`),
    "",
    sections.join("\n\n"),
  ].join("\n");
}
