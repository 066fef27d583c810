import type { Experiment } from "../../experiment.js";
import { computeUnification } from "./compute.js";
import { configureUnification, type UnificationConfig } from "./config.js";
import { renderUnificationFigures } from "./figures.js";
import { unificationReport } from "./report.js";

/**
 * Agarwal et al. (2021) §6: SmoothGrad ≡ C-LIME in expectation (Fig. 2), their robustness over 10 neighbours
 * x' ~ N(x, 0.01 I) (Fig. 3) and the σ² sweep (Fig. 4), on the Simulated dataset (and the UCI Online Shopping and
 * Bankruptcy CSVs from `--data-dir`), with the same curves for SmoothHess.
 */
export const unificationExperiment: Experiment<UnificationConfig> = {
  name: "unification",
  summary: "Agarwal et al. Figs. 2-4: SmoothGrad vs C-LIME equivalence and robustness over n and σ², and the same for SmoothHess",
  configure: configureUnification,
  async run(context, config) {
    const results = await computeUnification(context, config);
    const figures = await renderUnificationFigures(context.directory, results);
    return { config, results, report: unificationReport(config, results, figures), figures };
  },
};
