import { deriveSeed } from "@smoothhess/random";
import { openEngine } from "../../engine.js";
import type { ExperimentContext } from "../../experiment.js";
import { explainedRows } from "../../explained-points.js";
import { explainedTestRows } from "../../test-point-order.js";
import { imageClassifierTask, type ImageTaskDataset } from "../../image-classifier-task.js";
import { DATASET_KEYS, SEED_TAG, type AttackConfig } from "./config.js";
import type { AttackDatasetResults, AttackTestPoint } from "./results.js";
import { selectAttackHyperparameters } from "./selection.js";
import { testPoint } from "./test-point.js";
import { attackValidation } from "./validation.js";

/** Every number of an attack run (results.json). */
export interface AttackResults {
  readonly datasets: readonly AttackDatasetResults[];
}

/** Tables 2 and 8: every dataset of the configuration, one after the other. */
export async function computeAttack(context: ExperimentContext, config: AttackConfig): Promise<AttackResults> {
  const datasets: AttackDatasetResults[] = [];
  // A shard run stops at the first stage of each dataset that lacks other shards' items; the datasets are
  // independent, so each still runs its own stage in this round.
  const only = context.options.datasets;
  for (const dataset of config.datasets.filter((d) => only === undefined || only.includes(d))) {
    const result = await context.checkpoints.whenStagesComplete(() => runDataset(context, config, dataset));
    if (result) datasets.push(result);
  }
  context.checkpoints.throwIfStagesPending();
  return { datasets };
}

/** Validation, selection and test of one dataset, and the post-hoc accuracies. */
async function runDataset(context: ExperimentContext, config: AttackConfig, dataset: ImageTaskDataset): Promise<AttackDatasetResults> {
  const task = await imageClassifierTask(context, config.models[dataset]);
  const ds = DATASET_KEYS.indexOf(dataset);
  const { validation, test } = task.splits;
  const validationRows = explainedRows(validation.n, config.validationPoints, deriveSeed(config.seed, SEED_TAG.validationRows, ds));
  const testRows = explainedTestRows(config.testPointOrder ?? "seeded", test.n, config.testPoints, deriveSeed(config.seed, SEED_TAG.testRows, ds));
  const engine = await openEngine(config.engine, { network: task.network, onnx: task.onnx });
  try {
    const run = { context, config, task, ds, engine };
    const validationOutcomes = await attackValidation(run, validationRows);
    const selection = await selectAttackHyperparameters(config, validationRows, validationOutcomes);

    const testStage = `attack ${dataset} test`;
    const testProgress = context.progress(testStage, testRows.length);
    const points: AttackTestPoint[] = [];
    for (const [j, row] of testRows.entries()) {
      const { value } = await context.checkpoints.getOrCompute(`test-${dataset}-${j}`, () => testPoint(run, selection, j, row), { stage: testStage, item: j });
      points.push(value);
      testProgress.update(j + 1);
    }
    testProgress.stop();
    context.checkpoints.completeStage(testStage);

    const accuracy: Record<string, { value: number[]; standardError: number[] }> = {};
    for (const method of Object.keys(points[0].outcomes)) {
      const value = config.radii.map((_, e) => points.reduce((s, p) => s + p.outcomes[method].unchanged[e], 0) / points.length);
      accuracy[method] = { value, standardError: value.map((a) => Math.sqrt((a * (1 - a)) / points.length)) };
    }
    return { dataset, model: task.summary, validationRows, testRows, selection, accuracy, points };
  } finally {
    await engine.dispose();
  }
}
