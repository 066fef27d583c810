import type { Experiment } from "../../experiment.js";
import { computeSuperpixels } from "./compute.js";
import { configureSuperpixels, type SuperpixelsConfig } from "./config.js";
import { renderFigure6 } from "./figures.js";
import { superpixelsReport } from "./report.js";

/**
 * Fig. 6 of the paper on MNIST / Fashion-MNIST test images: interactions between SLIC super-pixels under SmoothHess,
 * the SoftPlus and the Swish Hessian, with each explainer's P_MSE (ε = 0.25) above its panel.
 */
export const superpixelsExperiment: Experiment<SuperpixelsConfig> = {
  name: "superpixels",
  summary: "Fig. 6: interactions between SLIC super-pixels (SmoothHess, SoftPlus, Swish) with P_MSE, MNIST/FMNIST",
  configure: configureSuperpixels,
  async run(context, config) {
    const results = await computeSuperpixels(context, config);
    const figures = await renderFigure6(context.directory, results);
    const stored = {
      accuracy: results.accuracy,
      images: results.images.map(({ x0: _x0, segmentation, methods, ...image }) => ({
        ...image,
        labels: Array.from(segmentation.labels),
        methods: Object.fromEntries(Object.entries(methods).map(([name, { hessian: _h, ...m }]) => [name, m])),
      })),
    };
    return { config, results: stored, report: superpixelsReport(config, results, figures), figures };
  },
};
