import type { Experiment } from "../../experiment.js";
import { computeSpirometry } from "./compute.js";
import { configureSpirometry, type SpirometryConfig } from "./config.js";
import { renderFigure3, renderFigure4 } from "./figures.js";
import { spirometryReport } from "./report.js";

/**
 * Figs. 3–4 of the paper on seeded synthetic spirometry (UK Biobank is access-controlled): 1-D CNNs predict the
 * cough-free FEV₁ from volume-time curves; for test curves with and without coughs, SmoothGrad and SmoothHess
 * grouped into 0.5 s intervals, the interactions with the first interval, and the interval-interaction heatmap of
 * a narrow- and a wide-kernel CNN — checked against the known cough times.
 */
export const spirometryExperiment: Experiment<SpirometryConfig> = {
  name: "spirometry",
  summary: "Figs. 3-4: SmoothGrad / SmoothHess of FEV1 CNNs on synthetic spirometry with coughs at known times",
  configure: configureSpirometry,
  async run(context, config) {
    const { results, curveOf } = await computeSpirometry(context, config);
    const { baselines, models } = results;
    const figures = [...(await renderFigure3(context, config, models.at(-1)!, curveOf)), ...(await renderFigure4(context, config, models))];
    return { config, results, report: spirometryReport(config, baselines, models), figures };
  },
};
