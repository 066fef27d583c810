import { createDataset, loadTabularCsv, simulatedClusters, standardizeFeatures, subsetDataset, type Dataset } from "@smoothhess/datasets";
import {
  eluClassifier,
  eluClassifierProbabilities,
  eluProbabilityOracle,
  explanationSensitivity,
  matrixExplanationDistance,
  smoothGradRobustnessBound,
  smoothHessLipschitzBound,
  vectorExplanationDistance,
  trainEluClassifier,
  type Explainer,
} from "@smoothhess/metrics";
import { checkInteger } from "@smoothhess/errors";
import { covariance, type SyncGradientOracle } from "@smoothhess/oracle";
import { deriveSeed, gaussianSampler, seededPermutation } from "@smoothhess/random";
import { cLime, smoothGrad, smoothHess, zerothOrderSmoothHess } from "@smoothhess/stein";
import type { ExperimentContext } from "../../experiment.js";
import type { UnificationConfig, UnificationDatasetSpec } from "./config.js";

/** A mean over the explained points and its standard error (sd/√points). */
export interface MeanAndError {
  readonly mean: number;
  readonly standardError: number;
}

/** One perturbation count n at one σ², averaged over the explained points. */
export interface UnificationRow {
  readonly n: number;
  /** Mean L1 distance SmoothGrad ↔ C-LIME (Fig. 2), and mean Frobenius distance SmoothHess ↔ zeroth-order Stein Hessian. */
  readonly equivalence: { readonly smoothGradCLime: number | null; readonly smoothHessZerothOrder: number };
  /** Average over points of the max distance to the 10 neighbours' explanations (Fig. 3): L1 for vectors, Frobenius for matrices. */
  readonly robustness: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
  /** Standard errors over the points of the `robustness` means. */
  readonly robustnessStandardError: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
  /**
   * Paired over the points (same x, same neighbours): C-LIME − SmoothGrad and zeroth-order − SmoothHess robustness,
   * with the standard error of the mean difference. Positive and above 2 SE: the first-order method is more robust.
   */
  readonly robustnessDifference: { readonly cLimeMinusSmoothGrad: MeanAndError | null; readonly zerothOrderMinusSmoothHess: MeanAndError };
  /** Average distance between two explanations of the same x with different seeds: the estimators' own noise. */
  readonly noise: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
  /**
   * The estimators' variance per perturbation, n · tr Cov(E_n(x)), mean over points: n‖E − E'‖²/2 of the two
   * explanations of x behind `noise` (squared L2 for vectors, Frobenius for matrices) is an unbiased estimate of it.
   * At equal n, the method with the larger value has the noisier explanations.
   */
  readonly variancePerSample: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
}

/** All n of one σ², plus the map's Lipschitz ratios at the largest n against the bounds. */
export interface UnificationSigmaResult {
  readonly sigma2: number;
  readonly rows: readonly UnificationRow[];
  /**
   * At the largest n with common random numbers (the change of the map, not of the noise): the largest ratio
   * ‖E(x') − E(x)‖/‖x' − x‖ over points and neighbours (L2 for SmoothGrad, spectral for SmoothHess), and the bounds
   * for |f − ½| ≤ ½ (f a probability).
   */
  readonly lipschitz: {
    readonly smoothGrad: number;
    readonly smoothHess: number;
    readonly smoothGradBound: number;
    readonly smoothGradBoundWang: number;
    readonly smoothHessBound: number;
  };
  /**
   * The change of the smoothed maps themselves over the neighbours: the average over points of the max distance
   * (L1 / Frobenius) at the largest n with common random numbers. With fresh perturbations per explanation the
   * robustness curves fall towards this floor, not to 0; SmoothGrad and C-LIME share it (Thm. 1).
   */
  readonly mapChange: { readonly smoothGrad: number; readonly smoothHess: number };
}

/** One dataset's run. */
export interface UnificationDatasetResult {
  readonly name: UnificationDatasetSpec["name"];
  readonly d: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly featureNames: readonly string[];
  readonly epochs: number;
  readonly finalLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly points: number;
  readonly sigma: readonly UnificationSigmaResult[];
}

/** One dimension of the sweep (Simulated padded with d − 2 irrelevant features), at the sweep's (σ², n). */
export interface UnificationDimensionRow extends UnificationRow {
  readonly d: number;
  readonly testAccuracy: number;
}

/** Every number of a unification run (results.json). */
export interface UnificationResults {
  readonly datasets: readonly UnificationDatasetResult[];
  /** See {@link UnificationConfig.dimensionSweep}. */
  readonly dimensionSweep: { readonly sigma2: number; readonly n: number; readonly rows: readonly UnificationDimensionRow[] };
}

async function loadDataset(spec: UnificationDatasetSpec, seed: number): Promise<{ data: Dataset; featureNames: string[]; standardise: boolean }> {
  if (spec.name === "simulated") {
    const data = simulatedClusters({ seed });
    const extra = checkInteger("noiseFeatures", spec.noiseFeatures ?? 0, 0);
    if (extra === 0) return { data, featureNames: ["x1", "x2"], standardise: false };
    // the same two informative features, then `extra` independent N(0, 1) columns the label does not depend on
    const d = 2 + extra;
    const x = new Float32Array(data.n * d);
    const rng = gaussianSampler(deriveSeed(seed, 30, extra));
    for (let i = 0; i < data.n; i++) {
      x[i * d] = data.x[2 * i];
      x[i * d + 1] = data.x[2 * i + 1];
      for (let j = 2; j < d; j++) x[i * d + j] = rng.normal();
    }
    const names = Array.from({ length: d }, (_, j) => `x${j + 1}`);
    return { data: createDataset({ x, y: data.y, shape: [d], classes: data.classes ? [...data.classes] : undefined }), featureNames: names, standardise: false };
  }
  const loaded = await loadTabularCsv(spec.file!, { label: spec.label!, positive: spec.positive });
  return { data: loaded.dataset, featureNames: [...loaded.featureNames], standardise: true };
}

function accuracy(net: ReturnType<typeof eluClassifier>, data: Dataset): number {
  let right = 0;
  for (let i = 0; i < data.n; i++) {
    const p = eluClassifierProbabilities(net, data.x.subarray(i * data.d, (i + 1) * data.d));
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    if (best === data.y[i]) right++;
  }
  return right / data.n;
}

/** One dataset of a unification run, split, standardised and with its trained ELU network. */
export interface PreparedUnificationDataset {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly featureNames: readonly string[];
  readonly net: ReturnType<typeof eluClassifier>;
  /** Training loss per epoch. */
  readonly losses: readonly number[];
  /** The class-1 probability of `net` with exact gradients: the f that is explained. */
  readonly oracle: SyncGradientOracle;
}

/** §6.1: load a dataset, split it 80 / 20, standardise real datasets with the training statistics, train the network. */
export async function prepareUnificationDataset(
  spec: UnificationDatasetSpec,
  config: Pick<UnificationConfig, "seed" | "hidden">,
): Promise<PreparedUnificationDataset> {
  const { data: raw, featureNames, standardise } = await loadDataset(spec, config.seed);
  const order = seededPermutation(raw.n, deriveSeed(config.seed, 1));
  const trainSize = Math.round(0.8 * raw.n);
  let train = subsetDataset(raw, order.subarray(0, trainSize));
  let test = subsetDataset(raw, order.subarray(trainSize));
  if (standardise) {
    const scaled = standardizeFeatures(train);
    train = scaled.dataset;
    test = standardizeFeatures(test, subsetDataset(raw, order.subarray(0, trainSize))).dataset;
  }
  const net = eluClassifier([raw.d, ...config.hidden, 2], deriveSeed(config.seed, 2));
  const losses = trainEluClassifier(net, train.x, train.y, { epochs: spec.epochs, seed: deriveSeed(config.seed, 3) });
  return { train, test, featureNames, net, losses, oracle: eluProbabilityOracle(net, 1) };
}

/** Train the ELU network of every dataset and measure equivalence and robustness over n and σ². */
export async function computeUnification(context: ExperimentContext, config: UnificationConfig): Promise<UnificationResults> {
  const results: UnificationDatasetResult[] = [];
  for (const [datasetIndex, spec] of config.datasets.entries()) {
    const { train, test, featureNames, net, losses, oracle } = await prepareUnificationDataset(spec, config);
    const d = test.d;
    const points = Math.min(config.points, test.n);
    context.log(`${spec.name}: d = ${d}, test accuracy ${(100 * accuracy(net, test)).toFixed(1)} %, explaining ${points} test points`);

    const sigma: UnificationSigmaResult[] = [];
    for (const [s, sigma2] of config.sigma2.entries()) {
      // One stage per (dataset, σ²), one item per n. Items are numbered across all stages, so in a shard run the
      // costly largest n of the stages fall to different shards instead of all to the same one.
      const stage = `unification ${spec.name} σ²=${sigma2}`;
      const firstItem = (datasetIndex * config.sigma2.length + s) * config.perturbations.length;
      const result = await context.checkpoints.whenStagesComplete(async () => {
        const rows: UnificationRow[] = [];
        const progress = context.progress(`${spec.name} σ²=${sigma2}`, config.perturbations.length);
        for (const [k, n] of config.perturbations.entries()) {
          const key = `${spec.name}-s2-${sigma2}-n-${n}`.replace(/[^A-Za-z0-9._-]/g, "_");
          const { value } = await context.checkpoints.getOrCompute(key, () => measureRow(oracle, test, points, d, sigma2, n, config), { stage, item: firstItem + k });
          rows.push(value);
          progress.update(k + 1);
        }
        progress.stop();
        context.checkpoints.completeStage(stage);
        // outside the stage: computed by whichever process completes the stage (a shard's next round, or the merge)
        const lipschitz = await context.checkpoints.getOrCompute(`${spec.name}-s2-${sigma2}-lipschitz`.replace(/[^A-Za-z0-9._-]/g, "_"), () =>
          measureLipschitz(oracle, test, points, d, sigma2, config),
        );
        return { sigma2, rows, ...lipschitz.value } satisfies UnificationSigmaResult;
      });
      if (result) sigma.push(result);
    }
    results.push({
      name: spec.name,
      d,
      trainSize: train.n,
      testSize: test.n,
      featureNames,
      epochs: spec.epochs,
      finalLoss: losses[losses.length - 1],
      trainAccuracy: accuracy(net, train),
      testAccuracy: accuracy(net, test),
      points,
      sigma,
    });
  }
  const sweep = config.dimensionSweep;
  const sweepRows = await context.checkpoints.whenStagesComplete(async () => {
    const stage = "unification dimension sweep";
    const firstItem = config.datasets.length * config.sigma2.length * config.perturbations.length;
    const rows: UnificationDimensionRow[] = [];
    const progress = context.progress(`Simulated padded to d ∈ {${sweep.dimensions.join(", ")}}`, sweep.dimensions.length);
    for (const [k, d] of sweep.dimensions.entries()) {
      const key = `dimension-sweep-d-${d}-s2-${sweep.sigma2}-n-${sweep.n}`.replace(/[^A-Za-z0-9._-]/g, "_");
      const { value } = await context.checkpoints.getOrCompute(
        key,
        async () => {
          const { test, net, oracle } = await prepareUnificationDataset({ name: "simulated", epochs: 15, noiseFeatures: d - 2 }, config);
          const row = await measureRow(oracle, test, Math.min(config.points, test.n), d, sweep.sigma2, sweep.n, config);
          return { d, testAccuracy: accuracy(net, test), ...row } satisfies UnificationDimensionRow;
        },
        { stage, item: firstItem + k },
      );
      rows.push(value);
      progress.update(k + 1);
    }
    progress.stop();
    context.checkpoints.completeStage(stage);
    return rows;
  });
  // a shard run (or a merge before the shards finished) stops here, after every stage did its own items
  context.checkpoints.throwIfStagesPending();
  return { datasets: results, dimensionSweep: { sigma2: sweep.sigma2, n: sweep.n, rows: sweepRows! } };
}

function explainers(oracle: SyncGradientOracle, d: number, sigma2: number, n: number) {
  const cov = covariance({ variance: sigma2 }, d);
  // §6.1: plain Monte-Carlo perturbations (no antithetic pairs) for both families
  const options = (seed: number) => ({ covariance: cov, samples: n, seed, antithetic: false });
  const smoothGradExplainer: Explainer = async (p, seed) => (await smoothGrad(oracle, p, options(seed))).gradient;
  const cLimeExplainer: Explainer | null = n > d ? async (p, seed) => (await cLime(oracle, p, options(seed))).coefficients : null;
  const smoothHessExplainer: Explainer = async (p, seed) => (await smoothHess(oracle, p, options(seed))).hessian;
  const zerothExplainer: Explainer = async (p, seed) => (await zerothOrderSmoothHess(oracle, p, options(seed))).hessian;
  return { smoothGradExplainer, cLimeExplainer, smoothHessExplainer, zerothExplainer };
}

/** Mean and standard error of per-point values. */
function meanAndError(values: readonly number[]): MeanAndError {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : Number.NaN;
  return { mean, standardError: Math.sqrt(variance / n) };
}

async function measureRow(oracle: SyncGradientOracle, test: Dataset, points: number, d: number, sigma2: number, n: number, config: UnificationConfig): Promise<UnificationRow> {
  const e = explainers(oracle, d, sigma2, n);
  const per = { eqV: [] as number[], eqM: [] as number[], rSG: [] as number[], rCL: [] as number[], rSH: [] as number[], rZO: [] as number[] };
  const sums = { nSG: 0, nCL: 0, nSH: 0, nZO: 0, vSG: 0, vCL: 0, vSH: 0, vZO: 0 };
  const neighbourhood = { kind: "gaussian", scale: Math.sqrt(config.neighbourVariance) } as const;
  for (let i = 0; i < points; i++) {
    const x = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
    // §6.3 draws the neighbours of x once; every method, n and σ² sees the same ones (paired comparisons). Each
    // explanation is computed "by perturbations": a fresh sample for x and for every x' (config.draws "independent"),
    // of its own per method, n and σ².
    const draws = deriveSeed(config.seed, 11, i, n, Math.round(sigma2 * 1e6));
    const options = { neighbourhood, neighbours: config.neighbours, seed: deriveSeed(config.seed, 10, i), explainerSeeds: config.draws } as const;
    const sg = await explanationSensitivity(e.smoothGradExplainer, x, { ...options, explainerSeed: deriveSeed(draws, 1), shape: "vector" });
    const sh = await explanationSensitivity(e.smoothHessExplainer, x, { ...options, explainerSeed: deriveSeed(draws, 3), shape: "matrix" });
    const zo = await explanationSensitivity(e.zerothExplainer, x, { ...options, explainerSeed: deriveSeed(draws, 4), shape: "matrix" });
    per.rSG.push(sg.max.l1);
    per.rSH.push(sh.max.frobenius);
    per.rZO.push(zo.max.frobenius);
    sums.nSG += sg.estimatorNoise!.l1;
    sums.nSH += sh.estimatorNoise!.frobenius;
    sums.nZO += zo.estimatorNoise!.frobenius;
    sums.vSG += sg.estimatorNoise!.l2 ** 2;
    sums.vSH += sh.estimatorNoise!.frobenius ** 2;
    sums.vZO += zo.estimatorNoise!.frobenius ** 2;
    // equivalence: the two families at the same x, each with its own perturbations (§6.2)
    per.eqM.push(matrixExplanationDistance(sh.explanation, zo.explanation, d).frobenius);
    if (e.cLimeExplainer) {
      const cl = await explanationSensitivity(e.cLimeExplainer, x, { ...options, explainerSeed: deriveSeed(draws, 2), shape: "vector" });
      per.rCL.push(cl.max.l1);
      sums.nCL += cl.estimatorNoise!.l1;
      sums.vCL += cl.estimatorNoise!.l2 ** 2;
      per.eqV.push(vectorExplanationDistance(sg.explanation, cl.explanation).l1);
    }
  }
  const mean = (s: number) => s / points;
  // E‖E − E'‖² = 2 tr Cov for two independent explanations of the same x
  const perSample = (s: number) => (n * s) / (2 * points);
  const clime = e.cLimeExplainer !== null;
  const r = { sg: meanAndError(per.rSG), cl: clime ? meanAndError(per.rCL) : null, sh: meanAndError(per.rSH), zo: meanAndError(per.rZO) };
  return {
    n,
    equivalence: { smoothGradCLime: clime ? meanAndError(per.eqV).mean : null, smoothHessZerothOrder: meanAndError(per.eqM).mean },
    robustness: { smoothGrad: r.sg.mean, cLime: r.cl?.mean ?? null, smoothHess: r.sh.mean, zerothOrderHess: r.zo.mean },
    robustnessStandardError: { smoothGrad: r.sg.standardError, cLime: r.cl?.standardError ?? null, smoothHess: r.sh.standardError, zerothOrderHess: r.zo.standardError },
    robustnessDifference: {
      cLimeMinusSmoothGrad: clime ? meanAndError(per.rCL.map((v, i) => v - per.rSG[i])) : null,
      zerothOrderMinusSmoothHess: meanAndError(per.rZO.map((v, i) => v - per.rSH[i])),
    },
    noise: { smoothGrad: mean(sums.nSG), cLime: clime ? mean(sums.nCL) : null, smoothHess: mean(sums.nSH), zerothOrderHess: mean(sums.nZO) },
    variancePerSample: { smoothGrad: perSample(sums.vSG), cLime: clime ? perSample(sums.vCL) : null, smoothHess: perSample(sums.vSH), zerothOrderHess: perSample(sums.vZO) },
  };
}

async function measureLipschitz(
  oracle: SyncGradientOracle,
  test: Dataset,
  points: number,
  d: number,
  sigma2: number,
  config: UnificationConfig,
): Promise<Pick<UnificationSigmaResult, "lipschitz" | "mapChange">> {
  const n = config.perturbations[config.perturbations.length - 1];
  const e = explainers(oracle, d, sigma2, n);
  let sgRatio = 0, shRatio = 0, sgChange = 0, shChange = 0;
  for (let i = 0; i < points; i++) {
    const x = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
    const options = {
      neighbourhood: { kind: "gaussian", scale: Math.sqrt(config.neighbourVariance) },
      neighbours: config.neighbours,
      // the neighbours of the rows, so the floor is paired with the robustness curves
      seed: deriveSeed(config.seed, 10, i),
      explainerSeeds: "common",
      estimatorNoise: false,
    } as const;
    const sg = await explanationSensitivity(e.smoothGradExplainer, x, { ...options, shape: "vector" });
    const sh = await explanationSensitivity(e.smoothHessExplainer, x, { ...options, shape: "matrix" });
    sgRatio = Math.max(sgRatio, sg.lipschitzRatio.max);
    shRatio = Math.max(shRatio, sh.lipschitzRatio.max);
    sgChange += sg.max.l1;
    shChange += sh.max.frobenius;
  }
  const sigma = Math.sqrt(sigma2);
  return {
    lipschitz: {
      smoothGrad: sgRatio,
      smoothHess: shRatio,
      smoothGradBound: smoothGradRobustnessBound(0.5, sigma),
      smoothGradBoundWang: smoothGradRobustnessBound(0.5, sigma, { constant: "paper" }),
      smoothHessBound: smoothHessLipschitzBound({ valueMax: 0.5 }, sigma),
    },
    mapChange: { smoothGrad: sgChange / points, smoothHess: shChange / points },
  };
}
