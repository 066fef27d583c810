import { join } from "node:path";
import type { Experiment } from "../../experiment.js";
import { computeNested } from "./compute.js";
import { configureNested, type NestedConfig } from "./config.js";
import { renderFigure5 } from "./figures.js";
import { nestedReport } from "./report.js";

/**
 * Fig. 5 / App. F.3 of the paper: the toy ReLU MLP fitted to Nested Interactions (½x₁² + x₁x₂ inside ‖x‖ < 0.6,
 * x₁x₂ up to 1.2, −5x₁x₂ outside); at x₀ = 0, SmoothHess H₁₁, H₁₂, H₂₂ over σ² ∈ [1e-6, 10] against the exact
 * Hessian of the Gaussian-smoothed target, and the SoftPlus Hessian over β ∈ [0.1, 1e4].
 */
export const nestedExperiment: Experiment<NestedConfig> = {
  name: "nested",
  summary: "Fig. 5: SmoothHess H11, H12, H22 at x0 = 0 over σ² vs SoftPlus over β, Nested Interactions MLP",
  configure: configureNested,
  async run(context, config) {
    const results = await computeNested(context, config);
    const figure = "figure-5";
    await renderFigure5(results.smoothHess, results.softplus, results.trainingMse, join(context.directory, figure));
    const report = nestedReport(config, { trainingMse: results.trainingMse, steps: results.trainingSteps }, results.summary, figure);
    return { config, results, report, figures: [`${figure}.svg`, `${figure}.png`] };
  },
};
