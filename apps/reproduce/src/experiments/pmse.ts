import { BETA_GRIDS, BETAS_REPORTED_OUTSIDE_GRIDS, PERTURBATION_MSE_RADII, gridUnion, selectHyperparameter, threeSigmaRule, type BallSampling } from "@smoothhess/metrics";
import { networkOracle, type GradientOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import type { SurrogateTarget } from "@smoothhess/surrogates";
import { tfjsSurrogates, type TfjsSurrogates } from "@smoothhess/surrogates/tfjs";
import { tfjsOracle, tfjsOuterProductKernel, type TfjsOracle } from "@smoothhess/tfjs";
import type { Experiment, ExperimentContext, RunOptions } from "../experiment.js";
import { explainedRows, rowVector } from "../explained-points.js";
import { imageClassifierTask, imageTaskConfig, predictedClasses, type ImageTask, type ImageTaskConfig, type ImageTaskDataset } from "../image-classifier-task.js";
import type { PmseMethod, PmseTarget } from "../paper-numbers/paper-layout.js";
import { penultimateNeuron, type PenultimateNeuron } from "../penultimate-neuron.js";
import { PerturbationBall, hessianTensor } from "../perturbation-ball.js";
import { checkDataDirectory } from "../data-directory.js";
import { tfjsValueOracle } from "../tfjs-value-oracle.js";
import { monteCarloNoise } from "../monte-carlo-noise.js";
import { UsageError } from "../usage-error.js";
import { pmseReport } from "./pmse-report.js";

/** The surrogate activations of the P_MSE tables (SoftPlus: Table 1; Swish: Table 5). */
const ACTIVATIONS = ["softplus", "swish"] as const;
type SurrogateName = (typeof ACTIVATIONS)[number];

/** Fixed positions of datasets and targets in the seed derivation (stable whatever subset a run uses). */
const DATASET_KEYS: readonly ImageTaskDataset[] = ["mnist", "fmnist"];
const TARGET_KEYS: readonly PmseTarget[] = ["logit", "neuron"];
const SEED_TAG = { validationRows: 11, testRows: 12, validationBall: 21, testBall: 22, validationSmoothHess: 31, testSmoothHess: 32 };

/** The class whose examples pick the internal neuron (Table 1 caption): "three" for MNIST, "dress" for FMNIST. */
const NEURON_CLASS: Readonly<Record<ImageTaskDataset, string>> = { mnist: "3", fmnist: "Dress" };

/** Everything that determines the numbers of a `pmse` run. */
export interface PmseConfig {
  readonly [key: string]: unknown;
  /** Layout of the checkpointed items; bumped when it changes, so old checkpoints are not misread. */
  readonly checkpointFormat: number;
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  readonly datasets: readonly ImageTaskDataset[];
  /** The trained classifier of each dataset (shared with `attack`: same configuration, same cached model). */
  readonly models: Readonly<Record<string, ImageTaskConfig>>;
  readonly targets: readonly PmseTarget[];
  /** Neighbourhood radii ε (Table 1: 0.25, 0.5, 1.0). */
  readonly radii: readonly number[];
  /** Validation points that choose σ and β (App. E.2.1: 200). */
  readonly validationPoints: number;
  /** Test points whose P_MSE is reported (App. E.1: 200). */
  readonly testPoints: number;
  /** Gradient samples per SmoothHess / SmoothGrad estimate (the authors: 100,000 at d = 784). */
  readonly samples: number;
  /** Monte-Carlo points per ball when validating. */
  readonly validationBallSamples: number;
  /** Monte-Carlo points per ball when testing. */
  readonly testBallSamples: number;
  /** β grid for SoftPlus and Swish (App. E.2.1). */
  readonly betas: readonly number[];
  /** Radial laws of the test balls; the first one also drives validation. */
  readonly samplings: readonly BallSampling[];
}

/** P_MSE scores of every candidate at one validation point: `[radius][candidate]`. */
type CandidateScores = number[][];

interface SmoothHessValidation {
  readonly shsg: CandidateScores;
  readonly sg: CandidateScores;
}

interface SurrogateValidation {
  readonly hg: CandidateScores;
  readonly g: CandidateScores;
}

/** What one test point yields. */
export interface PmseTestPoint {
  readonly row: number;
  /** The predicted class (the logit explained; for the neuron target only informative). */
  readonly predictedClass: number;
  /** f(x₀), the anchor of every Taylor model. */
  readonly value: number;
  /** P_MSE by sampling law, method and radius. */
  readonly pmse: Readonly<Record<string, Readonly<Record<PmseMethod, readonly number[]>>>>;
  /**
   * The P_MSE that the Monte-Carlo error of SH+SG and SG adds by itself, by sampling law and radius (see
   * {@link monteCarloNoise}): how much of their P_MSE is sampling noise rather than model misfit.
   */
  readonly noise: Readonly<Record<string, Readonly<Record<"SH+SG" | "SG", readonly number[]>>>>;
}

function sumOfSquares(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return s;
}

/** One hyperparameter choice (App. E.2.1) with its validation curve. */
export interface PmseSelection {
  readonly radius: number;
  /** σ (standard deviation) for SH+SG and SG, β for the surrogates. */
  readonly chosen: number;
  readonly candidates: readonly number[];
  readonly curve: readonly { readonly value: number; readonly mean: number; readonly standardError: number }[];
}

/** Results of one dataset and target. */
export interface PmseTargetResults {
  readonly target: PmseTarget;
  readonly validationRows: readonly number[];
  readonly testRows: readonly number[];
  readonly selection: Readonly<Record<Exclude<PmseMethod, "G">, readonly PmseSelection[]>>;
  /** Mean and standard deviation over test points, by sampling law, method and radius. */
  readonly summary: Readonly<Record<string, Readonly<Record<PmseMethod, { readonly mean: readonly number[]; readonly std: readonly number[] }>>>>;
  /** Mean over test points of {@link PmseTestPoint.noise}, by sampling law, method and radius. */
  readonly noise: Readonly<Record<string, Readonly<Record<"SH+SG" | "SG", readonly number[]>>>>;
  readonly points: readonly PmseTestPoint[];
}

/** Results of one dataset. */
export interface PmseDatasetResults {
  readonly dataset: ImageTaskDataset;
  readonly model: ImageTask["summary"];
  readonly neuron: PenultimateNeuron & { readonly className: string };
  readonly targets: readonly PmseTargetResults[];
}

/** Parse and check the pmse configuration from the CLI options. */
function configurePmse(options: RunOptions): PmseConfig {
  if (options.dataDir !== undefined) {
    checkDataDirectory(options.dataDir, "cifar10");
    throw new UsageError(
      `pmse: CIFAR-10 found in ${options.dataDir}, but this version runs pmse on MNIST and Fashion-MNIST only (ResNet-18 training needs a tensorflow backend); run without --data-dir`,
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
    targets: ["logit", "neuron"],
    radii: [...PERTURBATION_MSE_RADII],
    // --points sets the test points and caps the validation points (so `--full --points 20` keeps the paper's
    // model, grids and sample sizes on fewer points).
    validationPoints: Math.min(quick ? 2 : 200, options.points ?? Number.POSITIVE_INFINITY),
    testPoints: options.points ?? (quick ? 6 : 200),
    samples,
    validationBallSamples: quick ? 256 : 1000,
    testBallSamples: quick ? 512 : 1000,
    // App. E.2.1's grid (113 values) plus the β Table 3 reports chosen outside it (95, which [20 : 95 : 5] excludes):
    // 114 values. The fingerprint of resumable --full runs covers this list; keep its numbers and order.
    betas: quick
      ? [2, 5, 10, 20, 50, 100, 200, 400]
      : gridUnion(
          BETA_GRIDS.perturbationMSE.mnist,
          BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist,
          BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.fmnist,
        ),
    samplings: ["uniform-ball", "uniform-radius"],
  };
}

/**
 * Tables 1, 5 and 6 of the paper: P_MSE (Eq. 11) of the Taylor models (Eq. 10) of SH+SG, SG, SoftPlus and Swish
 * (H+G and G) and the vanilla gradient, for the predicted-class logit and an internal neuron of the MNIST and
 * Fashion-MNIST MLPs, at ε = 0.25, 0.5, 1.0, with σ and β chosen on validation points (App. E.2.1).
 */
export const pmseExperiment: Experiment = {
  name: "pmse",
  summary: "Tables 1, 5, 6: perturbation MSE of SmoothHess vs SoftPlus/Swish/gradient Taylor models (MNIST, FMNIST)",
  configure: configurePmse,
  async run(context: ExperimentContext, raw) {
    const config = raw as PmseConfig;
    const datasets: PmseDatasetResults[] = [];
    // A shard run stops at the first stage of each dataset and target that lacks other shards' items; the
    // datasets and targets are independent, so each still runs its own stage in this round.
    for (const dataset of config.datasets) {
      const result = await context.checkpoints.whenStagesComplete(() => runDataset(context, config, dataset));
      if (result) datasets.push(result);
    }
    context.checkpoints.throwIfStagesPending();
    const results = { datasets };
    const { report, figures } = await pmseReport(context.directory, config, results);
    return { config, results, report, figures };
  },
};

async function runDataset(context: ExperimentContext, config: PmseConfig, dataset: ImageTaskDataset): Promise<PmseDatasetResults> {
  const task = await imageClassifierTask(context, config.models[dataset]);
  const className = NEURON_CLASS[dataset];
  const neuron = penultimateNeuron(task.network, task.trainingSet, task.classes.indexOf(className));
  context.log(`pmse ${dataset}: internal neuron = unit ${neuron.unit} of hidden layer ${neuron.layer} (mean activation ${neuron.meanActivation.toFixed(3)} on "${className}")`);
  const surrogates = tfjsSurrogates(task.network);
  const oracles = new GradientOracles(task, neuron);
  try {
    const targets: PmseTargetResults[] = [];
    for (const target of config.targets) {
      const result = await context.checkpoints.whenStagesComplete(() => runTarget(context, config, task, neuron, surrogates, oracles, target));
      if (result) targets.push(result);
    }
    context.checkpoints.throwIfStagesPending();
    return { dataset, model: task.summary, neuron: { ...neuron, className }, targets };
  } finally {
    surrogates.dispose();
    await oracles.dispose();
  }
}

/** The fast tfjs gradient oracles of one network, one per explained function, created on first use. */
class GradientOracles {
  private readonly cache = new Map<string, TfjsOracle>();
  constructor(
    private readonly task: ImageTask,
    private readonly neuron: PenultimateNeuron,
  ) {}

  get(target: PmseTarget, predicted: number): TfjsOracle {
    const key = target === "logit" ? `logit-${predicted}` : "neuron";
    let oracle = this.cache.get(key);
    if (!oracle) {
      oracle = tfjsOracle(this.task.network, target === "logit" ? { output: predicted } : { layer: this.neuron.layer, unit: this.neuron.unit }, { engine: "fast" });
      this.cache.set(key, oracle);
    }
    return oracle;
  }

  async dispose(): Promise<void> {
    for (const oracle of this.cache.values()) await oracle.dispose();
    this.cache.clear();
  }
}

/** The explained function at one point: the predicted class, and the target in each package's vocabulary. */
interface ExplainedFunction {
  readonly x0: Float64Array;
  readonly predicted: number;
  readonly surrogateTarget: SurrogateTarget;
}

function explainedFunction(task: ImageTask, neuron: PenultimateNeuron, target: PmseTarget, x0: Float64Array): ExplainedFunction {
  const predicted = predictedClasses(task.network, x0, 1)[0];
  const surrogateTarget: SurrogateTarget = target === "logit" ? { output: predicted } : { layer: neuron.layer, unit: neuron.unit };
  return { x0, predicted, surrogateTarget };
}

/** The distinct σ of the three-σ rule over all radii, and where each radius's candidates sit among them. */
function sigmaCandidates(radii: readonly number[], d: number): { sigmas: number[]; index: number[][] } {
  const sigmas: number[] = [];
  const index = radii.map((radius) =>
    threeSigmaRule(radius, d).map((sigma) => {
      let at = sigmas.findIndex((s) => Math.abs(s - sigma) <= 1e-12 * sigma);
      if (at < 0) at = sigmas.push(sigma) - 1;
      return at;
    }),
  );
  return { sigmas, index };
}

/** The P_MSE balls of one point, one per radius, with f evaluated at their points. */
async function balls(
  config: PmseConfig,
  task: ImageTask,
  fn: ExplainedFunction,
  samples: number,
  seedOf: (radiusIndex: number) => number,
  sampling: BallSampling,
): Promise<PerturbationBall[]> {
  const valueOracle = tfjsValueOracle(task.network, fn.surrogateTarget as { output: number } | { layer: number; unit: number });
  return Promise.all(config.radii.map((radius, e) => PerturbationBall.create(valueOracle, fn.x0, { radius, samples, seed: seedOf(e), sampling })));
}

async function runTarget(
  context: ExperimentContext,
  config: PmseConfig,
  task: ImageTask,
  neuron: PenultimateNeuron,
  surrogates: TfjsSurrogates,
  oracles: GradientOracles,
  target: PmseTarget,
): Promise<PmseTargetResults> {
  const dataset = task.config.dataset;
  const ds = DATASET_KEYS.indexOf(dataset);
  const tg = TARGET_KEYS.indexOf(target);
  const d = task.network.inputSize;
  const { validation, test } = task.splits;
  const validationRows = explainedRows(validation.n, config.validationPoints, deriveSeed(config.seed, SEED_TAG.validationRows, ds));
  const testRows = explainedRows(test.n, config.testPoints, deriveSeed(config.seed, SEED_TAG.testRows, ds));
  const { sigmas, index: sigmaIndex } = sigmaCandidates(config.radii, d);
  const prefix = `${dataset}-${target}`;

  // Validation (App. E.2.1): score every candidate σ and β at every validation point, three items per point.
  const smoothHessScores: SmoothHessValidation[] = [];
  const surrogateScores: Record<SurrogateName, SurrogateValidation[]> = { softplus: [], swish: [] };
  const validationStage = `pmse ${prefix} validation`;
  const validationProgress = context.progress(validationStage, validationRows.length * 3);
  let done = 0;
  for (const [i, row] of validationRows.entries()) {
    const fn = explainedFunction(task, neuron, target, rowVector(validation.x, row, d));
    const ballSeed = (e: number) => deriveSeed(config.seed, SEED_TAG.validationBall, ds, tg, i, e);
    const sh = await context.checkpoints.getOrCompute(`val-${prefix}-${i}-smoothhess`, async () => {
      const ballsHere = await balls(config, task, fn, config.validationBallSamples, ballSeed, config.samplings[0]);
      const oracle = oracles.get(target, fn.predicted);
      const shsg = config.radii.map(() => [0, 0, 0]);
      const sg = config.radii.map(() => [0, 0, 0]);
      try {
        for (const [s, sigma] of sigmas.entries()) {
          const estimate = await smoothHess(oracle, fn.x0, {
            covariance: { sigma },
            samples: config.samples,
            seed: deriveSeed(config.seed, SEED_TAG.validationSmoothHess, ds, tg, i, s),
            kernel: tfjsOuterProductKernel(),
          });
          const h = hessianTensor(estimate.hessian, d);
          try {
            sigmaIndex.forEach((candidates, e) =>
              candidates.forEach((at, c) => {
                if (at !== s) return;
                shsg[e][c] = ballsHere[e].score(estimate.gradient, h);
                sg[e][c] = ballsHere[e].score(estimate.gradient);
              }),
            );
          } finally {
            h.dispose();
          }
        }
      } finally {
        ballsHere.forEach((b) => b.dispose());
      }
      return { shsg, sg } satisfies SmoothHessValidation;
    }, { stage: validationStage, item: i });
    smoothHessScores.push(sh.value);
    validationProgress.update(++done);
    for (const name of ACTIVATIONS) {
      const sweep = await context.checkpoints.getOrCompute(`val-${prefix}-${i}-${name}`, async () => {
        const ballsHere = await balls(config, task, fn, config.validationBallSamples, ballSeed, config.samplings[0]);
        const hg = config.radii.map(() => new Array<number>(config.betas.length).fill(0));
        const g = config.radii.map(() => new Array<number>(config.betas.length).fill(0));
        try {
          for (const [b, beta] of config.betas.entries()) {
            const { gradients, hessians } = await surrogates.surrogate({ name, beta }).hessians(fn.x0, 1, fn.surrogateTarget);
            const h = hessianTensor(hessians, d);
            try {
              ballsHere.forEach((ball, e) => {
                hg[e][b] = ball.score(gradients, h);
                g[e][b] = ball.score(gradients);
              });
            } finally {
              h.dispose();
            }
          }
        } finally {
          ballsHere.forEach((ball) => ball.dispose());
        }
        return { hg, g } satisfies SurrogateValidation;
      }, { stage: validationStage, item: i });
      surrogateScores[name].push(sweep.value);
      validationProgress.update(++done);
    }
  }
  validationProgress.stop();
  context.checkpoints.completeStage(validationStage);

  const indices = validationRows.map((_, i) => i);
  const select = async (candidates: readonly number[], scoreAt: (i: number, c: number) => number): Promise<PmseSelection> => {
    // Candidates are passed by position, so that σ values equal up to rounding cannot be confused.
    const selection = await selectHyperparameter({
      candidates: candidates.map((_, c) => c),
      validation: indices,
      score: (c, i) => scoreAt(i, c),
    });
    return {
      radius: Number.NaN,
      chosen: candidates[selection.best],
      candidates: [...candidates],
      curve: selection.curve.map((p) => ({ value: candidates[p.value], mean: p.mean, standardError: p.standardError })),
    };
  };
  const perRadius = async (
    candidatesAt: (e: number) => readonly number[],
    scoreAt: (e: number, i: number, c: number) => number,
  ): Promise<PmseSelection[]> => {
    const out: PmseSelection[] = [];
    for (const [e, radius] of config.radii.entries()) out.push({ ...(await select(candidatesAt(e), (i, c) => scoreAt(e, i, c))), radius });
    return out;
  };
  const sigmasAt = (e: number) => sigmaIndex[e].map((at) => sigmas[at]);
  const betasAt = () => config.betas;
  const selection = {
    "SH+SG": await perRadius(sigmasAt, (e, i, c) => smoothHessScores[i].shsg[e][c]),
    SG: await perRadius(sigmasAt, (e, i, c) => smoothHessScores[i].sg[e][c]),
    "SP (H+G)": await perRadius(betasAt, (e, i, c) => surrogateScores.softplus[i].hg[e][c]),
    "SP G": await perRadius(betasAt, (e, i, c) => surrogateScores.softplus[i].g[e][c]),
    "SW (H+G)": await perRadius(betasAt, (e, i, c) => surrogateScores.swish[i].hg[e][c]),
    "SW G": await perRadius(betasAt, (e, i, c) => surrogateScores.swish[i].g[e][c]),
  } satisfies PmseTargetResults["selection"];

  // Test: every method with its chosen σ / β, all scored on the same balls.
  const testStage = `pmse ${prefix} test`;
  const testProgress = context.progress(testStage, testRows.length);
  const points: PmseTestPoint[] = [];
  for (const [j, row] of testRows.entries()) {
    const { value } = await context.checkpoints.getOrCompute(
      `test-${prefix}-${j}`,
      () => testPoint(config, task, neuron, surrogates, oracles, target, row, j, selection, sigmas),
      { stage: testStage, item: j },
    );
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

async function testPoint(
  config: PmseConfig,
  task: ImageTask,
  neuron: PenultimateNeuron,
  surrogates: TfjsSurrogates,
  oracles: GradientOracles,
  target: PmseTarget,
  row: number,
  j: number,
  selection: PmseTargetResults["selection"],
  sigmas: readonly number[],
): Promise<PmseTestPoint> {
  const d = task.network.inputSize;
  const ds = DATASET_KEYS.indexOf(task.config.dataset);
  const tg = TARGET_KEYS.indexOf(target);
  const fn = explainedFunction(task, neuron, target, rowVector(task.splits.test.x, row, d));
  const oracle: GradientOracle = oracles.get(target, fn.predicted);

  // SmoothHess / SmoothGrad at every σ some radius chose; the seed depends on σ's place among all candidates only.
  const smooth = new Map<number, { gradient: Float64Array; hessian?: Float64Array; gradientError: number; hessianError: number }>();
  const needHessian = new Set(selection["SH+SG"].map((s) => s.chosen));
  for (const sigma of new Set([...selection["SH+SG"], ...selection.SG].map((s) => s.chosen))) {
    const s = sigmas.findIndex((x) => x === sigma);
    const options = { covariance: { sigma }, samples: config.samples, seed: deriveSeed(config.seed, SEED_TAG.testSmoothHess, ds, tg, j, s) };
    if (needHessian.has(sigma)) {
      const estimate = await smoothHess(oracle, fn.x0, { ...options, kernel: tfjsOuterProductKernel() });
      smooth.set(sigma, {
        gradient: estimate.gradient,
        hessian: estimate.hessian,
        gradientError: sumOfSquares(estimate.standardError.gradient),
        hessianError: estimate.standardError.hessianFrobenius ** 2,
      });
    } else {
      const estimate = await smoothGrad(oracle, fn.x0, options);
      smooth.set(sigma, { gradient: estimate.gradient, gradientError: sumOfSquares(estimate.standardError.gradient), hessianError: 0 });
    }
  }
  // Surrogates at every β some radius chose: a Hessian where H+G needs it, else the gradient alone.
  const surrogate: Record<SurrogateName, Map<number, { gradient: Float64Array; hessian?: Float64Array }>> = { softplus: new Map(), swish: new Map() };
  for (const name of ACTIVATIONS) {
    const [hgMethod, gMethod] = name === "softplus" ? (["SP (H+G)", "SP G"] as const) : (["SW (H+G)", "SW G"] as const);
    const hessianBetas = new Set(selection[hgMethod].map((s) => s.chosen));
    for (const beta of new Set([...selection[hgMethod], ...selection[gMethod]].map((s) => s.chosen))) {
      const model = surrogates.surrogate({ name, beta });
      if (hessianBetas.has(beta)) {
        const { gradients, hessians } = await model.hessians(fn.x0, 1, fn.surrogateTarget);
        surrogate[name].set(beta, { gradient: gradients, hessian: hessians });
      } else {
        const { gradients } = await model.oracle(fn.surrogateTarget).evaluate(fn.x0, 1);
        surrogate[name].set(beta, { gradient: Float64Array.from(gradients) });
      }
    }
  }
  // The vanilla gradient, exact in float64.
  const vanilla = Float64Array.from(networkOracle(task.reference, fn.surrogateTarget as { output: number }).evaluate(fn.x0, 1).gradients);

  const pmse: Record<string, Record<PmseMethod, number[]>> = {};
  const noise: Record<string, { "SH+SG": number[]; SG: number[] }> = {};
  let value = Number.NaN;
  for (const sampling of config.samplings) {
    const ballsHere = await balls(config, task, fn, config.testBallSamples, (e) => deriveSeed(config.seed, SEED_TAG.testBall, ds, tg, j, e), sampling);
    value = ballsHere[0].value;
    const scores = Object.fromEntries(
      (["SH+SG", "SG", "SP (H+G)", "SP G", "SW (H+G)", "SW G", "G"] as const).map((m) => [m, [] as number[]]),
    ) as Record<PmseMethod, number[]>;
    try {
      for (const [e, ball] of ballsHere.entries()) {
        const scoreWith = (entry: { gradient: Float64Array; hessian?: Float64Array }, second: boolean): number => {
          if (!second || !entry.hessian) return ball.score(entry.gradient);
          const h = hessianTensor(entry.hessian, d);
          try {
            return ball.score(entry.gradient, h);
          } finally {
            h.dispose();
          }
        };
        scores["SH+SG"].push(scoreWith(smooth.get(selection["SH+SG"][e].chosen)!, true));
        scores.SG.push(scoreWith(smooth.get(selection.SG[e].chosen)!, false));
        scores["SP (H+G)"].push(scoreWith(surrogate.softplus.get(selection["SP (H+G)"][e].chosen)!, true));
        scores["SP G"].push(scoreWith(surrogate.softplus.get(selection["SP G"][e].chosen)!, false));
        scores["SW (H+G)"].push(scoreWith(surrogate.swish.get(selection["SW (H+G)"][e].chosen)!, true));
        scores["SW G"].push(scoreWith(surrogate.swish.get(selection["SW G"][e].chosen)!, false));
        scores.G.push(ball.score(vanilla));
      }
    } finally {
      ballsHere.forEach((b) => b.dispose());
    }
    pmse[sampling] = scores;
    noise[sampling] = {
      "SH+SG": config.radii.map((radius) => monteCarloNoise(smooth.get(selection["SH+SG"][config.radii.indexOf(radius)].chosen)!, radius, d, sampling, true)),
      SG: config.radii.map((radius) => monteCarloNoise(smooth.get(selection.SG[config.radii.indexOf(radius)].chosen)!, radius, d, sampling, false)),
    };
  }
  return { row, predictedClass: fn.predicted, value, pmse, noise };
}
