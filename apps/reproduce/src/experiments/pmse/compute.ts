import { penultimateNeuron } from "@smoothhess/metrics/tfjs";
import { deriveSeed } from "@smoothhess/random";
import { openEngine } from "../../engine.js";
import type { ExperimentContext } from "../../experiment.js";
import { explainedRows } from "../../explained-points.js";
import { explainedTestRows } from "../../test-point-order.js";
import { imageClassifierTask, type ImageTaskDataset } from "../../image-classifier-task.js";
import type { PmseMethod } from "../../paper-numbers/paper-layout.js";
import { NEURON_CLASS, SEED_TAG, type PmseConfig } from "./config.js";
import type { PmseDatasetResults, PmseTargetResults, PmseTestPoint } from "./results.js";
import { selectPmseHyperparameters } from "./selection.js";
import { targetRun, type TargetRun } from "./target-run.js";
import { testPoint } from "./test-point.js";
import { validationScores } from "./validation.js";

/** Every number of a pmse run (results.json). */
export interface PmseResults {
  readonly datasets: readonly PmseDatasetResults[];
}

/** Tables 1, 5, 6: every dataset and target of the configuration, one after the other. */
export async function computePmse(context: ExperimentContext, config: PmseConfig): Promise<PmseResults> {
  const datasets: PmseDatasetResults[] = [];
  // A shard run stops at the first stage of each dataset and target that lacks other shards' items; the datasets and
  // targets are independent, so each still runs its own stage in this round.
  const only = context.options.datasets;
  for (const dataset of config.datasets.filter((d) => only === undefined || only.includes(d))) {
    const result = await context.checkpoints.whenStagesComplete(() => runDataset(context, config, dataset));
    if (result) datasets.push(result);
  }
  context.checkpoints.throwIfStagesPending();
  return { datasets };
}

async function runDataset(context: ExperimentContext, config: PmseConfig, dataset: ImageTaskDataset): Promise<PmseDatasetResults> {
  const task = await imageClassifierTask(context, config.models[dataset]);
  const className = NEURON_CLASS[dataset];
  const neuron = penultimateNeuron(task.network, task.trainingSet, task.classes.indexOf(className));
  context.log(`pmse ${dataset}: internal neuron = unit ${neuron.unit} of hidden layer ${neuron.layer} (mean activation ${neuron.meanActivation.toFixed(3)} on "${className}")`);
  const engine = await openEngine(config.engine, { network: task.network, onnx: task.onnx });
  try {
    const targets: PmseTargetResults[] = [];
    for (const target of config.targets) {
      const result = await context.checkpoints.whenStagesComplete(() => runTarget(targetRun(context, config, task, neuron, engine, target)));
      if (result) targets.push(result);
    }
    context.checkpoints.throwIfStagesPending();
    return { dataset, model: task.summary, neuron: { ...neuron, className }, targets };
  } finally {
    await engine.dispose();
  }
}

/** Validation, selection and test of one dataset and target, and the summary over test points. */
async function runTarget(run: TargetRun): Promise<PmseTargetResults> {
  const { context, config, task, target, ds, prefix, sigmas, sigmaIndex } = run;
  const { validation, test } = task.splits;
  const validationRows = explainedRows(validation.n, config.validationPoints, deriveSeed(config.seed, SEED_TAG.validationRows, ds));
  const testRows = explainedTestRows(config.testPointOrder ?? "seeded", test.n, config.testPoints, deriveSeed(config.seed, SEED_TAG.testRows, ds));
  const scores = await validationScores(run, validationRows);
  const selection = await selectPmseHyperparameters(config, validationRows, sigmas, sigmaIndex, scores);

  // Test: every method with its chosen σ / β, all scored on the same balls.
  const testStage = `pmse ${prefix} test`;
  const testProgress = context.progress(testStage, testRows.length);
  const points: PmseTestPoint[] = [];
  for (const [j, row] of testRows.entries()) {
    const { value } = await context.checkpoints.getOrCompute(`test-${prefix}-${j}`, () => testPoint(run, row, j, selection), { stage: testStage, item: j });
    points.push(value);
    testProgress.update(j + 1);
  }
  testProgress.stop();
  context.checkpoints.completeStage(testStage);

  const summary: Record<string, Record<PmseMethod, { mean: number[]; std: number[] }>> = {};
  for (const sampling of config.samplings) {
    summary[sampling] = {} as Record<PmseMethod, { mean: number[]; std: number[] }>;
    for (const method of Object.keys(points[0].pmse[sampling]) as PmseMethod[]) {
      const mean: number[] = [], std: number[] = [];
      config.radii.forEach((_, e) => {
        const values = points.map((p) => p.pmse[sampling][method][e]);
        const m = values.reduce((a, b) => a + b, 0) / values.length;
        const v = values.length > 1 ? values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1) : Number.NaN;
        mean.push(m);
        std.push(Math.sqrt(v));
      });
      summary[sampling][method] = { mean, std };
    }
  }
  const noise: Record<string, Record<"SH+SG" | "SG", number[]>> = {};
  for (const sampling of config.samplings) {
    noise[sampling] = {
      "SH+SG": config.radii.map((_, e) => points.reduce((a, p) => a + p.noise[sampling]["SH+SG"][e], 0) / points.length),
      SG: config.radii.map((_, e) => points.reduce((a, p) => a + p.noise[sampling].SG[e], 0) / points.length),
    };
  }
  return { target, validationRows, testRows, selection, summary, noise, points };
}
