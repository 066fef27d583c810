import * as tf from "@tensorflow/tfjs-core";
import {
  ATTACK_ENERGY_THRESHOLDS,
  ATTACK_RADII,
  BETA_GRIDS,
  VARIANCE_GRIDS,
  firstOrderAttack,
  hessianEigen,
  postHocAccuracy,
  randomAttack,
  secondOrderAttack,
  selectHyperparameter,
  type Classifier,
} from "@smoothhess/metrics";
import { networkOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import { referenceSurrogates, softmaxHessian } from "@smoothhess/surrogates";
import { tfjsSurrogates, type TfjsSurrogates } from "@smoothhess/surrogates/tfjs";
import { tfjsOracle, tfjsOuterProductKernel, type Network, type TfjsOracle } from "@smoothhess/tfjs";
import type { SymmetricEigen } from "@smoothhess/linalg";
import type { Experiment, ExperimentContext, RunOptions } from "../experiment.js";
import { checkDataDirectory } from "../data-directory.js";
import { explainedRows, rowVector } from "../explained-points.js";
import { imageClassifierTask, imageTaskConfig, predictedClasses, type ImageTask, type ImageTaskConfig, type ImageTaskDataset } from "../image-classifier-task.js";
import type { AttackMethod } from "../paper-numbers/paper-layout.js";
import { UsageError } from "../usage-error.js";
import { attackReport } from "./attack-report.js";

const DATASET_KEYS: readonly ImageTaskDataset[] = ["mnist", "fmnist"];
const SEED_TAG = { validationRows: 41, testRows: 42, validationSmoothHess: 51, testSmoothHess: 52, random: 61 };

/** The second-order methods, whose attacks are also solved exactly (extra rows beside the paper's reduced variant). */
export const SECOND_ORDER_METHODS = ["SH+SG", "SP (H+G)", "H+G"] as const;
type SecondOrderMethod = (typeof SECOND_ORDER_METHODS)[number];

/** Everything that determines the numbers of an `attack` run. */
export interface AttackConfig {
  readonly [key: string]: unknown;
  /** Layout of the checkpointed items; bumped when it changes, so old checkpoints are not misread. */
  readonly checkpointFormat: number;
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  readonly datasets: readonly ImageTaskDataset[];
  /** The trained classifier of each dataset (shared with `pmse`). */
  readonly models: Readonly<Record<string, ImageTaskConfig>>;
  /** Attack magnitudes ε (Table 2: 0.25, 0.5, 0.75, 1.25, 1.75). */
  readonly radii: readonly number[];
  /** Validation points that choose σ² and β (App. E.2.2: 200). */
  readonly validationPoints: number;
  /** Attacked test points (App. E.1: 400). */
  readonly testPoints: number;
  /** Gradient samples per SmoothHess / SmoothGrad estimate. */
  readonly samples: number;
  /** σ² grid (App. E.2.2). */
  readonly variances: readonly number[];
  /** β grid (App. E.2.2). */
  readonly betas: readonly number[];
  /** Energy threshold T of the reduced second-order attack (App. D.1, E.1: 0.98). */
  readonly energy: number;
}

/** Per-radius outcome of the attacks of one method at one point. */
interface AttackOutcome {
  /** 1 where the predicted class survived, per radius. */
  readonly unchanged: readonly number[];
  /** SoftMax probability of the originally predicted class at the attacked point, per radius (tie-breaker). */
  readonly probability: readonly number[];
}

/** One attacked test point. */
export interface AttackTestPoint {
  readonly row: number;
  readonly predictedClass: number;
  readonly probability: number;
  /** Outcomes by method (the paper's rows, plus "<method> (exact)" for the exactly solved second-order attacks). */
  readonly outcomes: Readonly<Record<string, AttackOutcome>>;
  /** Eigenpairs the reduced attack kept (k(T) of Eq. 71), by second-order method and radius. */
  readonly ranks: Readonly<Record<SecondOrderMethod, readonly number[]>>;
}

/** One choice of σ² or β with its validation curve (post-hoc accuracy per candidate). */
export interface AttackSelection {
  readonly radius: number;
  readonly chosen: number;
  readonly curve: readonly { readonly value: number; readonly accuracy: number; readonly meanProbability: number }[];
}

/** Results of one dataset. */
export interface AttackDatasetResults {
  readonly dataset: ImageTaskDataset;
  readonly model: ImageTask["summary"];
  readonly validationRows: readonly number[];
  readonly testRows: readonly number[];
  readonly selection: Readonly<Record<"SH+SG" | "SG" | "SP (H+G)" | "SP G", readonly AttackSelection[]>>;
  /** Post-hoc accuracy (fraction) by method and radius, with its binomial standard error. */
  readonly accuracy: Readonly<Record<string, { readonly value: readonly number[]; readonly standardError: readonly number[] }>>;
  readonly points: readonly AttackTestPoint[];
}

function configureAttack(options: RunOptions): AttackConfig {
  if (options.dataDir !== undefined) {
    checkDataDirectory(options.dataDir, "cifar10");
    throw new UsageError(
      `attack: CIFAR-10 found in ${options.dataDir}, but this version attacks MNIST and Fashion-MNIST only (ResNet-18 training needs a tensorflow backend); run without --data-dir`,
    );
  }
  const quick = options.preset === "quick";
  const samples = options.samples ?? (quick ? 2000 : 100_000);
  if (samples % 2 !== 0) throw new UsageError(`--samples must be even (SmoothHess uses antithetic pairs), got ${samples}`);
  const datasets: ImageTaskDataset[] = ["mnist", "fmnist"];
  return {
    checkpointFormat: 1,
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    datasets,
    models: Object.fromEntries(datasets.map((d) => [d, imageTaskConfig(d, options.preset, options.seed, options.backend)])),
    radii: [...ATTACK_RADII.mnist],
    // --points sets the test points and caps the validation points.
    validationPoints: Math.min(quick ? 2 : 200, options.points ?? Number.POSITIVE_INFINITY),
    testPoints: options.points ?? (quick ? 8 : 400),
    samples,
    variances: quick ? [0.01, 0.1] : [...VARIANCE_GRIDS.attack.mnist],
    betas: quick ? [5, 20] : [...BETA_GRIDS.attack.mnist],
    energy: ATTACK_ENERGY_THRESHOLDS.mnist,
  };
}

/**
 * Tables 2 and 8 of the paper: post-hoc accuracy of attacks on the predicted-class SoftMax probability built from
 * the Taylor models of SH+SG, SG, SoftPlus (H+G, G), the vanilla Hessian (H+G), the vanilla gradient and random
 * directions, at ε = 0.25 … 1.75, with σ² and β chosen on validation points (App. E.2.2) and the paper's reduced
 * second-order attack (T = 0.98).
 */
export const attackExperiment: Experiment = {
  name: "attack",
  summary: "Tables 2, 8: post-hoc accuracy of Taylor-model attacks on the predicted SoftMax probability (MNIST, FMNIST)",
  configure: configureAttack,
  async run(context: ExperimentContext, raw) {
    const config = raw as AttackConfig;
    const datasets: AttackDatasetResults[] = [];
    // A shard run stops at the first stage of each dataset that lacks other shards' items; the datasets are
    // independent, so each still runs its own stage in this round.
    for (const dataset of config.datasets) {
      const result = await context.checkpoints.whenStagesComplete(() => runDataset(context, config, dataset));
      if (result) datasets.push(result);
    }
    context.checkpoints.throwIfStagesPending();
    const results = { datasets };
    const { report, figures } = await attackReport(context.directory, config, results);
    return { config, results, report, figures };
  },
};

/** Arg-max class and the SoftMax probability of class `k` at `n` points (tfjs forward pass). */
function classAndProbability(network: Network, points: Float64Array, n: number, k: number): { classes: Int32Array; probability: Float64Array } {
  const d = network.inputSize;
  const [classes, probs] = tf.tidy(() => {
    const logits = network.forward(tf.tensor2d(Float32Array.from(points.subarray(0, n * d)), [n, d])).output;
    return [tf.argMax(logits, 1), tf.reshape(tf.slice(tf.softmax(logits), [0, k], [n, 1]), [n])];
  });
  const out = { classes: Int32Array.from(classes.dataSync()), probability: Float64Array.from(probs.dataSync()) };
  classes.dispose();
  probs.dispose();
  return out;
}

/** The outcomes of attacking `x0` with one attacked point per radius. */
async function outcomes(network: Network, x0: Float64Array, k: number, attacked: readonly Float64Array[]): Promise<AttackOutcome> {
  const classifier: Classifier = (points, n) => predictedClasses(network, points, n);
  const { unchanged } = await postHocAccuracy(classifier, attacked.map(() => x0), attacked);
  const d = x0.length;
  const flat = new Float64Array(attacked.length * d);
  attacked.forEach((p, i) => flat.set(p, i * d));
  const { probability } = classAndProbability(network, flat, attacked.length, k);
  return { unchanged: Array.from(unchanged), probability: Array.from(probability) };
}

async function runDataset(context: ExperimentContext, config: AttackConfig, dataset: ImageTaskDataset): Promise<AttackDatasetResults> {
  const task = await imageClassifierTask(context, config.models[dataset]);
  const ds = DATASET_KEYS.indexOf(dataset);
  const d = task.network.inputSize;
  const { validation, test } = task.splits;
  const validationRows = explainedRows(validation.n, config.validationPoints, deriveSeed(config.seed, SEED_TAG.validationRows, ds));
  const testRows = explainedRows(test.n, config.testPoints, deriveSeed(config.seed, SEED_TAG.testRows, ds));
  const surrogates = tfjsSurrogates(task.network);
  const oracles = new Map<number, TfjsOracle>();
  const softmaxOracle = (k: number) => {
    let o = oracles.get(k);
    if (!o) oracles.set(k, (o = tfjsOracle(task.network, { softmax: k }, { engine: "fast" })));
    return o;
  };
  try {
    // Validation (App. E.2.2): every σ² and β attacks every validation point at every radius.
    const total = validationRows.length * (config.variances.length + config.betas.length);
    const validationStage = `attack ${dataset} validation`;
    const progress = context.progress(validationStage, total);
    const smooth: { shsg: AttackOutcome; sg: AttackOutcome }[][] = config.variances.map(() => []);
    const softplus: { hg: AttackOutcome; g: AttackOutcome }[][] = config.betas.map(() => []);
    let done = 0;
    for (const [i, row] of validationRows.entries()) {
      const x0 = rowVector(validation.x, row, d);
      const k = predictedClasses(task.network, x0, 1)[0];
      for (const [c, variance] of config.variances.entries()) {
        const { value } = await context.checkpoints.getOrCompute(`val-${dataset}-${i}-smoothhess-${c}`, async () => {
          const estimate = await smoothHess(softmaxOracle(k), x0, {
            covariance: { variance },
            samples: config.samples,
            seed: deriveSeed(config.seed, SEED_TAG.validationSmoothHess, ds, i, c),
            kernel: tfjsOuterProductKernel(),
          });
          const eigen = hessianEigen(estimate.hessian, d);
          return {
            shsg: await outcomes(task.network, x0, k, secondOrderPoints(x0, estimate.gradient, eigen, config, "reduced").points),
            sg: await outcomes(task.network, x0, k, firstOrderPoints(x0, estimate.gradient, config)),
          };
        }, { stage: validationStage, item: i });
        smooth[c].push(value);
        progress.update(++done);
      }
      for (const [b, beta] of config.betas.entries()) {
        const { value } = await context.checkpoints.getOrCompute(`val-${dataset}-${i}-softplus-${b}`, async () => {
          const { gradients, hessians } = await surrogates.surrogate({ name: "softplus", beta }).hessians(x0, 1, { softmax: k });
          const eigen = hessianEigen(hessians, d);
          return {
            hg: await outcomes(task.network, x0, k, secondOrderPoints(x0, gradients, eigen, config, "reduced").points),
            g: await outcomes(task.network, x0, k, firstOrderPoints(x0, gradients, config)),
          };
        }, { stage: validationStage, item: i });
        softplus[b].push(value);
        progress.update(++done);
      }
    }
    progress.stop();
    context.checkpoints.completeStage(validationStage);

    const select = async (candidates: readonly number[], outcomeAt: (c: number, i: number) => AttackOutcome): Promise<AttackSelection[]> => {
      const out: AttackSelection[] = [];
      for (const [e, radius] of config.radii.entries()) {
        // Lowest post-hoc accuracy; ties (frequent with few points) go to the lower mean probability of the class.
        const selection = await selectHyperparameter({
          candidates: candidates.map((_, c) => c),
          validation: validationRows.map((_, i) => i),
          score: (c, i) => outcomeAt(c, i).unchanged[e] + 1e-6 * outcomeAt(c, i).probability[e],
        });
        out.push({
          radius,
          chosen: candidates[selection.best],
          curve: candidates.map((value, c) => {
            const all = validationRows.map((_, i) => outcomeAt(c, i));
            return {
              value,
              accuracy: all.reduce((s, o) => s + o.unchanged[e], 0) / all.length,
              meanProbability: all.reduce((s, o) => s + o.probability[e], 0) / all.length,
            };
          }),
        });
      }
      return out;
    };
    const selection = {
      "SH+SG": await select(config.variances, (c, i) => smooth[c][i].shsg),
      SG: await select(config.variances, (c, i) => smooth[c][i].sg),
      "SP (H+G)": await select(config.betas, (c, i) => softplus[c][i].hg),
      "SP G": await select(config.betas, (c, i) => softplus[c][i].g),
    };

    const testStage = `attack ${dataset} test`;
    const testProgress = context.progress(testStage, testRows.length);
    const points: AttackTestPoint[] = [];
    for (const [j, row] of testRows.entries()) {
      const { value } = await context.checkpoints.getOrCompute(
        `test-${dataset}-${j}`,
        () => testPoint(config, task, surrogates, softmaxOracle, selection, ds, j, row),
        { stage: testStage, item: j },
      );
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
    surrogates.dispose();
    for (const o of oracles.values()) await o.dispose();
  }
}

function firstOrderPoints(x0: Float64Array, gradient: ArrayLike<number>, config: AttackConfig): Float64Array[] {
  return config.radii.map((radius) => firstOrderAttack({ x0, gradient, radius }).point);
}

function secondOrderPoints(
  x0: Float64Array,
  gradient: ArrayLike<number>,
  eigen: SymmetricEigen,
  config: AttackConfig,
  method: "reduced" | "exact",
): { points: Float64Array[]; ranks: number[] } {
  const results = config.radii.map((radius) =>
    method === "reduced" ? secondOrderAttack({ x0, gradient, eigen, radius, method, energy: config.energy }) : secondOrderAttack({ x0, gradient, eigen, radius, method }),
  );
  return { points: results.map((r) => r.point), ranks: results.map((r) => r.rank) };
}

async function testPoint(
  config: AttackConfig,
  task: ImageTask,
  surrogates: TfjsSurrogates,
  softmaxOracle: (k: number) => TfjsOracle,
  selection: AttackDatasetResults["selection"],
  ds: number,
  j: number,
  row: number,
): Promise<AttackTestPoint> {
  const d = task.network.inputSize;
  const x0 = rowVector(task.splits.test.x, row, d);
  const k = predictedClasses(task.network, x0, 1)[0];
  const oracle = softmaxOracle(k);
  const byRadius = <T>(choose: (e: number) => T): T[] => config.radii.map((_, e) => choose(e));
  const reduced: Record<string, Float64Array[]> = {};
  const exact: Record<string, Float64Array[]> = {};
  const ranks: Record<string, number[]> = {};
  const attackWith = (method: SecondOrderMethod, e: number, x: Float64Array, gradient: ArrayLike<number>, eigen: SymmetricEigen) => {
    const radius = config.radii[e];
    const r = secondOrderAttack({ x0: x, gradient, eigen, radius, method: "reduced", energy: config.energy });
    (reduced[method] ??= [])[e] = r.point;
    (ranks[method] ??= [])[e] = r.rank;
    (exact[method] ??= [])[e] = secondOrderAttack({ x0: x, gradient, eigen, radius, method: "exact" }).point;
  };

  // SH+SG and SG at their chosen σ² per radius; one SmoothHess (and one eigendecomposition) per distinct σ².
  const variances = [...new Set([...selection["SH+SG"], ...selection.SG].map((s) => s.chosen))];
  const smooth = new Map<number, { gradient: Float64Array; eigen?: SymmetricEigen }>();
  for (const variance of variances) {
    const options = { covariance: { variance }, samples: config.samples, seed: deriveSeed(config.seed, SEED_TAG.testSmoothHess, ds, j, config.variances.indexOf(variance)) };
    if (selection["SH+SG"].some((s) => s.chosen === variance)) {
      const estimate = await smoothHess(oracle, x0, { ...options, kernel: tfjsOuterProductKernel() });
      smooth.set(variance, { gradient: estimate.gradient, eigen: hessianEigen(estimate.hessian, d) });
    } else {
      smooth.set(variance, { gradient: (await smoothGrad(oracle, x0, options)).gradient });
    }
  }
  byRadius((e) => {
    const s = smooth.get(selection["SH+SG"][e].chosen)!;
    attackWith("SH+SG", e, x0, s.gradient, s.eigen!);
  });
  // SoftPlus at the chosen β per radius.
  const softplus = new Map<number, { gradient: Float64Array; eigen?: SymmetricEigen }>();
  for (const beta of new Set([...selection["SP (H+G)"], ...selection["SP G"]].map((s) => s.chosen))) {
    const model = surrogates.surrogate({ name: "softplus", beta });
    if (selection["SP (H+G)"].some((s) => s.chosen === beta)) {
      const { gradients, hessians } = await model.hessians(x0, 1, { softmax: k });
      softplus.set(beta, { gradient: gradients, eigen: hessianEigen(hessians, d) });
    } else {
      softplus.set(beta, { gradient: Float64Array.from((await model.oracle({ softmax: k }).evaluate(x0, 1)).gradients) });
    }
  }
  byRadius((e) => {
    const s = softplus.get(selection["SP (H+G)"][e].chosen)!;
    attackWith("SP (H+G)", e, x0, s.gradient, s.eigen!);
  });
  // The vanilla SoftMax Hessian (factored, exact in float64) and gradient of the ReLU network.
  const vanilla = softmaxHessian(referenceSurrogates(task.reference).original, x0, k);
  const vanillaEigen = hessianEigen(vanilla.hessian, d);
  byRadius((e) => attackWith("H+G", e, x0, vanilla.gradient, vanillaEigen));
  const gradient = Float64Array.from(networkOracle(task.reference, { softmax: k }).evaluate(x0, 1).gradients);

  const attacked: Record<string, Float64Array[]> = {
    "SH+SG": reduced["SH+SG"],
    SG: byRadius((e) => firstOrderAttack({ x0, gradient: smooth.get(selection.SG[e].chosen)!.gradient, radius: config.radii[e] }).point),
    "SP (H+G)": reduced["SP (H+G)"],
    "SP G": byRadius((e) => firstOrderAttack({ x0, gradient: softplus.get(selection["SP G"][e].chosen)!.gradient, radius: config.radii[e] }).point),
    "H+G": reduced["H+G"],
    G: byRadius((e) => firstOrderAttack({ x0, gradient, radius: config.radii[e] }).point),
    Random: byRadius((e) => randomAttack({ x0, radius: config.radii[e], seed: deriveSeed(config.seed, SEED_TAG.random, ds, j, e) }).point),
  } satisfies Record<AttackMethod, Float64Array[]>;
  for (const method of SECOND_ORDER_METHODS) attacked[`${method} (exact)`] = exact[method];
  const result: Record<string, AttackOutcome> = {};
  for (const [method, pointsHere] of Object.entries(attacked)) result[method] = await outcomes(task.network, x0, k, pointsHere);
  const probability = classAndProbability(task.network, x0, 1, k).probability[0];
  return { row, predictedClass: k, probability, outcomes: result, ranks: ranks as Record<SecondOrderMethod, number[]> };
}
