import type { Experiment } from "../../experiment.js";
import { seededValidationItems } from "../shared/seeded-validation-items.js";
import { computeAttack } from "./compute.js";
import { configureAttack, type AttackConfig } from "./config.js";
import { accuracyFigure } from "./figures.js";
import { attackRunReport } from "./report.js";

/**
 * Tables 2 and 8 of the paper: post-hoc accuracy of attacks on the predicted-class SoftMax probability built from
 * the Taylor models of SH+SG, SG, SoftPlus (H+G, G), the vanilla Hessian (H+G), the vanilla gradient and random
 * directions, at ε = 0.25 … 1.75, with σ² and β chosen on validation points (App. E.2.2) and the paper's reduced
 * second-order attack (T = 0.98).
 */
export const attackExperiment: Experiment<AttackConfig> = {
  name: "attack",
  summary: "Tables 2, 8: post-hoc accuracy of Taylor-model attacks on the predicted SoftMax probability (MNIST, FMNIST)",
  engines: ["onnx", "tfjs"],
  datasetOption: true,
  testPointOrderOption: true,
  authorsModel: true,
  configure: configureAttack,
  sharedItems: seededValidationItems,
  async run(context, config) {
    const results = await computeAttack(context, config);
    const figures = await accuracyFigure(context.directory, config, results);
    return { config, results, report: await attackRunReport(config, results, context.options), figures };
  },
};
