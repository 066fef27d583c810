import type { Experiment } from "../../experiment.js";
import { computeFourQuadrant } from "./compute.js";
import { configureFourQuadrant, type FourQuadrantConfig } from "./config.js";
import { renderFigure2 } from "./figures.js";
import { fourQuadrantReport } from "./report.js";

/**
 * Fig. 2 of the paper: a 6-layer ReLU MLP memorises Four Quadrant (y = K·x₁x₂, K = 5, 3, 12, −10 by quadrant);
 * at x₀ = 0, SmoothHess H₁₂ over a log grid of σ² ∈ [1e-3, 1] and the SoftPlus Hessian H₁₂ over β ∈ [0.1, 1e4].
 */
export const fourQuadrantExperiment: Experiment<FourQuadrantConfig> = {
  name: "four-quadrant",
  summary: "Fig. 2: SmoothHess vs SoftPlus Hessian H12 at x0 = 0 of an MLP that memorised Four Quadrant",
  engines: ["onnx", "tfjs"],
  authorsModel: true,
  configure: configureFourQuadrant,
  async run(context, config) {
    const results = await computeFourQuadrant(context, config);
    const figures = await renderFigure2(context.directory, results);
    return { config, results, report: fourQuadrantReport(config, results, figures[1]), figures };
  },
};
