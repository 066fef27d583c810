import type { Experiment } from "../../experiment.js";
import { computeRobustness } from "./compute.js";
import { configureRobustness, type RobustnessConfig } from "./config.js";
import { renderRobustnessFigure } from "./figures.js";
import { robustnessReport } from "./report.js";

/**
 * Sensitivity of saliency, SmoothGrad and SmoothHess (top-k pairs, spectral norm) to input perturbations in an
 * ε-ball on MNIST and FMNIST, over σ², against the Lipschitz bounds of `@smoothhess/metrics`.
 */
export const robustnessExperiment: Experiment<RobustnessConfig> = {
  name: "robustness",
  summary: "Sensitivity of saliency, SmoothGrad and SmoothHess over ε and σ² on MNIST/FMNIST, against the Lipschitz bounds",
  configure: configureRobustness,
  async run(context, config) {
    const results = await computeRobustness(context, config);
    const figures = await renderRobustnessFigure(context.directory, results);
    return { config, results, report: robustnessReport(config, results, figures), figures };
  },
};
