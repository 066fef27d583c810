import { splitDataset, syntheticSpirometry, type Dataset, type SpirometryTruth } from "@smoothhess/datasets";
import { WASM_CONV_TRAINING_BACKEND, cnn1d, meanSquaredError, useBackend, useWasmConvTraining, type BackendName, type Network } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import { SPIROMETRY_PAPER } from "../../paper-numbers/figures-3-4.js";
import { trainedNetwork } from "../../trained-network.js";
import { UsageError } from "../../usage-error.js";
import { type SpirometryConfig, type SpirometryModelSpec } from "./config.js";
import type { ChosenPoint, CurveKind, ModelResult } from "./results.js";
import { explainPoints } from "./explain.js";
import { summariseModel } from "./summary.js";

/** Every number of a spirometry run (results.json), and the test curves the figures draw. */
export interface SpirometryComputation {
  readonly results: { readonly baselines: { mean: number; observedVolumeAt1s: number }; readonly models: readonly ModelResult[] };
  /** The test curve of a test-split row. */
  curveOf(testRow: number): Float32Array;
}

/** Generate the curves, train both CNNs (cached), explain the chosen test curves with each, and summarise. */
export async function computeSpirometry(context: ExperimentContext, config: SpirometryConfig): Promise<SpirometryComputation> {
  const { dataset, truth } = syntheticSpirometry({ n: config.curves, seed: config.seed, coughProbability: config.coughProbability });
  const { train, test } = splitDataset(dataset, { train: config.trainCurves, test: config.testCurves }, { seed: config.seed });
  const trainX = train.x.subarray(0, config.trainExamples * dataset.d);
  const trainY = (train.y as Float32Array).subarray(0, config.trainExamples);
  const testY = test.y as Float32Array;
  const baselines = baselineMse(trainY, test, truth);
  const points = choosePoints(test, truth, config);
  context.log(`spirometry: ${config.curves} synthetic curves, training on ${config.trainExamples}, explaining test curves ${points.map((p) => p.testRow).join(", ")}`);

  const models: ModelResult[] = [];
  for (const [m, spec] of config.models.entries()) {
    const network = await trainModel(context, config, spec, { x: trainX, y: trainY, n: config.trainExamples });
    await useBackend(config.backend as BackendName);
    const { value: mse } = await context.checkpoints.getOrCompute(`mse-${spec.name}`, async () => ({
      train: meanSquaredError(network, trainX, trainY, config.trainExamples, 128),
      test: meanSquaredError(network, test.x, testY, test.n, 128),
    }));
    context.log(`spirometry: ${spec.name} CNN (kernel ${spec.kernel}) MSE train ${mse.train.toFixed(4)}, test ${mse.test.toFixed(4)}`);
    const explained = await explainPoints(context, config, m, spec, network, test, points);
    network.dispose();
    models.push({ ...spec, receptiveFieldSamples: config.blocks * (spec.kernel - 1) + 1, mse, points: explained, summary: summariseModel(config, explained) });
  }
  const results = { baselines, models };
  return { results, curveOf: (row) => test.x.subarray(row * test.d, (row + 1) * test.d) };
}

/** The first test curves of each kind, in test-split order: early coughs, late coughs, cough-free. */
function choosePoints(test: Dataset, truth: readonly SpirometryTruth[], config: SpirometryConfig): ChosenPoint[] {
  const wanted: Record<CurveKind, number> = { "early cough": config.earlyCoughCurves, "late cough": config.lateCoughCurves, "no cough": config.cleanCurves };
  const found: Record<CurveKind, ChosenPoint[]> = { "early cough": [], "late cough": [], "no cough": [] };
  for (let r = 0; r < test.n; r++) {
    const datasetRow = test.index![r];
    const t = truth[datasetRow];
    const first = t.coughs[0]?.start;
    const kind: CurveKind | null =
      first === undefined
        ? "no cough"
        : first >= SPIROMETRY_PAPER.groupSeconds && first < 1
          ? "early cough"
          : first >= 1 && first <= SPIROMETRY_PAPER.coughWindowSeconds
            ? "late cough"
            : null;
    if (kind && found[kind].length < wanted[kind]) found[kind].push({ testRow: r, datasetRow, truth: t, kind });
  }
  for (const kind of Object.keys(wanted) as CurveKind[]) {
    if (found[kind].length < wanted[kind]) throw new UsageError(`the test split has only ${found[kind].length} curves with ${kind}; lower --points`);
  }
  return [...found["early cough"], ...found["late cough"], ...found["no cough"]];
}

/** Test MSE of two reference predictors: the training mean, and the observed volume at 1 s (blind to coughs). */
function baselineMse(trainY: Float32Array, test: Dataset, truth: readonly SpirometryTruth[]): { mean: number; observedVolumeAt1s: number } {
  let mean = 0;
  for (const y of trainY) mean += y / trainY.length;
  let a = 0, b = 0;
  for (let r = 0; r < test.n; r++) {
    const y = (test.y as Float32Array)[r];
    a += (y - mean) ** 2 / test.n;
    b += (y - truth[test.index![r]].observedFev1) ** 2 / test.n;
  }
  return { mean: a, observedVolumeAt1s: b };
}

async function trainModel(
  context: ExperimentContext,
  config: SpirometryConfig,
  spec: SpirometryModelSpec,
  data: { x: Float32Array; y: Float32Array; n: number },
): Promise<Network> {
  const t = config.training;
  const steps = t.epochs * Math.ceil(data.n / t.batchSize);
  const recipe = {
    optimizer: { kind: "rmsprop" as const, learningRate: t.learningRate },
    schedule: { kind: "step" as const, milestones: t.milestoneFractions.map((f) => Math.round(f * steps)), factor: t.factor },
    batchSize: t.batchSize,
    epochs: t.epochs,
  };
  if (config.trainingBackend === WASM_CONV_TRAINING_BACKEND) await useWasmConvTraining();
  else await useBackend(config.trainingBackend as BackendName);
  const architecture = { length: SPIROMETRY_PAPER.features, blocks: config.blocks, channels: config.channels, kernel: spec.kernel, dropout: SPIROMETRY_PAPER.model.dropout };
  const { network, record } = await trainedNetwork(
    context,
    {
      model: "cnn1d",
      architecture,
      data: { generator: "syntheticSpirometry", curves: config.curves, coughProbability: config.coughProbability, seed: config.seed, trainExamples: data.n },
      recipe,
      seed: config.seed,
      backend: config.trainingBackend,
    },
    () => cnn1d({ ...architecture, seed: config.seed }),
    () => data,
    { ...recipe, loss: "mse", seed: config.seed },
  );
  context.log(`spirometry: ${spec.name} CNN trained ${record.steps} steps (${record.seconds.toFixed(0)} s when it was trained)`);
  return network;
}
