import { markdownTable } from "../../markdown-table.js";
import type { ModelComparison } from "../../model-runs.js";
import type { PmseResults } from "./compute.js";
import type { PmseConfig } from "./config.js";
import { deviationTables, meanTables, selectionTables } from "./report-tables.js";
import { pmseComparison } from "./report-comparison.js";
import { dataSourceText, gradientEngineText, surrogateEngineText, trainingCells } from "../shared/setup-notes.js";
import { DATASET_NAMES, pct } from "./report-names.js";
import { testPointsText } from "../../test-point-order.js";

/**
 * report.md of a pmse run, with the other model's run under the same `--out` (the authors' checkpoints for a run on
 * ours, and vice versa) read from its results.json when it exists.
 */
export async function pmseRunReport(config: PmseConfig, results: PmseResults, options: { readonly out: string; readonly model?: string }): Promise<string> {
  return pmseReport(config, results, await pmseComparison(config, options, results.datasets.map((d) => d.dataset)));
}

/**
 * report.md of a pmse run: the setup, Tables 1 / 5 (paper | authors' model | our model, each cell ± SE, with paired
 * differences), 6 and 3 next to the paper's, and the figures.
 */
export function pmseReport(config: PmseConfig, results: PmseResults, comparison: ModelComparison): string {
  const lines: string[] = [];
  lines.push("## Setup", "");
  lines.push(
    markdownTable(
      ["dataset", "training examples", "steps", "train acc.", "val. acc.", "test acc.", "internal neuron"],
      results.datasets.map((d) => [
        DATASET_NAMES[d.dataset],
        ...trainingCells(d.model),
        pct(d.model.accuracy.train),
        pct(d.model.accuracy.validation),
        pct(d.model.accuracy.test),
        `layer ${d.neuron.layer}, unit ${d.neuron.unit} (mean ReLU ${d.neuron.meanActivation.toFixed(2)} on "${d.neuron.className}")`,
      ]),
    ),
    "",
    `Paper (App. E.1): MNIST ≈ 100 / 100 / 98 %, FMNIST ≈ 93 / 93 / 88 % (train / val. / test), 30 epochs of 50,000 images.`,
    "",
    dataSourceText(results.datasets.map((d) => ({ dataset: d.dataset, data: config.models[d.dataset].data })), results.datasets.some((d) => d.model.checkpoint !== undefined)),
    "",
    testPointsText(config.testPointOrder ?? "seeded", config.testPoints),
    "",
    `${config.validationPoints} validation points choose σ (three candidates per ε, the three-σ rule) and β (${config.betas.length} values` +
      ` from ${config.betas[0]} to ${config.betas[config.betas.length - 1]}) by mean P_MSE over ${config.validationBallSamples} ball points each;` +
      ` ${config.testPoints} test points are scored on ${config.testBallSamples} ball points per ε, every method on the same points.` +
      ` SmoothHess and SmoothGrad use ${config.samples.toLocaleString("en")} gradient samples (antithetic pairs) of ${gradientEngineText(config.engine)};` +
      ` SoftPlus / Swish Hessians are exact (${surrogateEngineText(config.engine)}, checked against float64 in their package); the vanilla gradient is` +
      " exact in float64. Every Taylor model is anchored at the ReLU network's own f(x₀) (Eq. 10).",
    "",
    "The paper's numbers come from the authors' code, which draws the ball's radius uniformly in [0, ε] instead of uniformly in the",
    "ball as Eq. 11 states; in d = 784 that law puts the typical point at ε/2 instead of ≈ ε. Both are reported: the",
    "first table per function follows Eq. 11, the second the authors' law — the one to compare magnitudes with.",
    "",
  );
  lines.push(...meanTables(config, results, comparison), ...deviationTables(config, results, comparison), ...selectionTables(config, results));
  lines.push("## Figures", "", "![P_MSE by ε](pmse-by-radius.png)", "", "![validation curves](pmse-validation.png)", "");
  return lines.join("\n");
}
