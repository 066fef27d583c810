import type { Experiment } from "../../experiment.js";
import { seededValidationItems } from "../shared/seeded-validation-items.js";
import { computePmse } from "./compute.js";
import { configurePmse, type PmseConfig } from "./config.js";
import { pmseFigures } from "./figures.js";
import { pmseRunReport } from "./report.js";

/**
 * Tables 1, 5 and 6 of the paper: P_MSE (Eq. 11) of the Taylor models (Eq. 10) of SH+SG, SG, SoftPlus and Swish
 * (H+G and G) and the vanilla gradient, for the predicted-class logit and an internal neuron of the MNIST and
 * Fashion-MNIST MLPs, at ε = 0.25, 0.5, 1.0, with σ and β chosen on validation points (App. E.2.1).
 */
export const pmseExperiment: Experiment<PmseConfig> = {
  name: "pmse",
  summary: "Tables 1, 5, 6: perturbation MSE of SmoothHess vs SoftPlus/Swish/gradient Taylor models (MNIST, FMNIST)",
  engines: ["onnx", "tfjs"],
  datasetOption: true,
  testPointOrderOption: true,
  authorsModel: true,
  configure: configurePmse,
  sharedItems: seededValidationItems,
  async run(context, config) {
    const results = await computePmse(context, config);
    const figures = await pmseFigures(context.directory, config, results);
    return { config, results, report: await pmseRunReport(config, results, context.options), figures };
  },
};
