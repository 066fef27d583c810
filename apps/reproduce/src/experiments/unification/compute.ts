import { loadTabularCsv, simulatedClusters, standardizeFeatures, subsetDataset, type Dataset } from "@smoothhess/datasets";
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
import { covariance, type SyncGradientOracle } from "@smoothhess/oracle";
import { deriveSeed, seededPermutation } from "@smoothhess/random";
import { cLime, smoothGrad, smoothHess, zerothOrderSmoothHess } from "@smoothhess/stein";
import type { ExperimentContext } from "../../experiment.js";
import type { UnificationConfig, UnificationDatasetSpec } from "./config.js";

/** One perturbation count n at one σ², averaged over the explained points. */
export interface UnificationRow {
  readonly n: number;
  /** Mean L1 distance SmoothGrad ↔ C-LIME (Fig. 2), and mean Frobenius distance SmoothHess ↔ zeroth-order Stein Hessian. */
  readonly equivalence: { readonly smoothGradCLime: number | null; readonly smoothHessZerothOrder: number };
  /** Average over points of the max distance to the 10 neighbours' explanations (Fig. 3): L1 for vectors, Frobenius for matrices. */
  readonly robustness: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
  /** Average distance between two explanations of the same x with different seeds: the estimators' own noise. */
  readonly noise: { readonly smoothGrad: number; readonly cLime: number | null; readonly smoothHess: number; readonly zerothOrderHess: number };
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

/** Every number of a unification run (results.json). */
export interface UnificationResults {
  readonly datasets: readonly UnificationDatasetResult[];
}

async function loadDataset(spec: UnificationDatasetSpec, seed: number): Promise<{ data: Dataset; featureNames: string[]; standardise: boolean }> {
  if (spec.name === "simulated") return { data: simulatedClusters({ seed }), featureNames: ["x1", "x2"], standardise: false };
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

/** Train the ELU network of every dataset and measure equivalence and robustness over n and σ². */
export async function computeUnification(context: ExperimentContext, config: UnificationConfig): Promise<UnificationResults> {
  const results: UnificationDatasetResult[] = [];
  for (const [datasetIndex, spec] of config.datasets.entries()) {
    const { data: raw, featureNames, standardise } = await loadDataset(spec, config.seed);
    // §6.1: 80 / 20 split; real datasets standardised with the training statistics
    const order = seededPermutation(raw.n, deriveSeed(config.seed, 1));
    const trainSize = Math.round(0.8 * raw.n);
    let train = subsetDataset(raw, order.subarray(0, trainSize));
    let test = subsetDataset(raw, order.subarray(trainSize));
    if (standardise) {
      const scaled = standardizeFeatures(train);
      train = scaled.dataset;
      test = standardizeFeatures(test, subsetDataset(raw, order.subarray(0, trainSize))).dataset;
    }
    const d = raw.d;
    const net = eluClassifier([d, ...config.hidden, 2], deriveSeed(config.seed, 2));
    const losses = trainEluClassifier(net, train.x, train.y, { epochs: spec.epochs, seed: deriveSeed(config.seed, 3) });
    const oracle = eluProbabilityOracle(net, 1);
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
        return { sigma2, rows, lipschitz: lipschitz.value } satisfies UnificationSigmaResult;
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
  // a shard run (or a merge before the shards finished) stops here, after every (dataset, σ²) did its own items
  context.checkpoints.throwIfStagesPending();
  return { datasets: results };
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

async function measureRow(oracle: SyncGradientOracle, test: Dataset, points: number, d: number, sigma2: number, n: number, config: UnificationConfig): Promise<UnificationRow> {
  const e = explainers(oracle, d, sigma2, n);
  const sums = { eqV: 0, eqM: 0, rSG: 0, rCL: 0, rSH: 0, rZO: 0, nSG: 0, nCL: 0, nSH: 0, nZO: 0 };
  const neighbourhood = { kind: "gaussian", scale: Math.sqrt(config.neighbourVariance) } as const;
  for (let i = 0; i < points; i++) {
    const x = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
    const seed = deriveSeed(config.seed, 10, i, n, Math.round(sigma2 * 1e6));
    // every method sees the same neighbours (a paired comparison) with Monte-Carlo draws of its own
    const options = { neighbourhood, neighbours: config.neighbours, seed } as const;
    const sg = await explanationSensitivity(e.smoothGradExplainer, x, { ...options, explainerSeed: deriveSeed(seed, 1), shape: "vector" });
    const sh = await explanationSensitivity(e.smoothHessExplainer, x, { ...options, explainerSeed: deriveSeed(seed, 3), shape: "matrix" });
    const zo = await explanationSensitivity(e.zerothExplainer, x, { ...options, explainerSeed: deriveSeed(seed, 4), shape: "matrix" });
    sums.rSG += sg.max.l1;
    sums.nSG += sg.estimatorNoise!.l1;
    sums.rSH += sh.max.frobenius;
    sums.nSH += sh.estimatorNoise!.frobenius;
    sums.rZO += zo.max.frobenius;
    sums.nZO += zo.estimatorNoise!.frobenius;
    // equivalence: the two families at the same x, each with its own perturbations (§6.2)
    sums.eqM += matrixExplanationDistance(sh.explanation, zo.explanation, d).frobenius;
    if (e.cLimeExplainer) {
      const cl = await explanationSensitivity(e.cLimeExplainer, x, { ...options, explainerSeed: deriveSeed(seed, 2), shape: "vector" });
      sums.rCL += cl.max.l1;
      sums.nCL += cl.estimatorNoise!.l1;
      sums.eqV += vectorExplanationDistance(sg.explanation, cl.explanation).l1;
    }
  }
  const mean = (s: number) => s / points;
  const clime = e.cLimeExplainer !== null;
  return {
    n,
    equivalence: { smoothGradCLime: clime ? mean(sums.eqV) : null, smoothHessZerothOrder: mean(sums.eqM) },
    robustness: { smoothGrad: mean(sums.rSG), cLime: clime ? mean(sums.rCL) : null, smoothHess: mean(sums.rSH), zerothOrderHess: mean(sums.rZO) },
    noise: { smoothGrad: mean(sums.nSG), cLime: clime ? mean(sums.nCL) : null, smoothHess: mean(sums.nSH), zerothOrderHess: mean(sums.nZO) },
  };
}

async function measureLipschitz(oracle: SyncGradientOracle, test: Dataset, points: number, d: number, sigma2: number, config: UnificationConfig): Promise<UnificationSigmaResult["lipschitz"]> {
  const n = config.perturbations[config.perturbations.length - 1];
  const e = explainers(oracle, d, sigma2, n);
  let sgRatio = 0, shRatio = 0;
  for (let i = 0; i < points; i++) {
    const x = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
    const options = {
      neighbourhood: { kind: "gaussian", scale: Math.sqrt(config.neighbourVariance) },
      neighbours: config.neighbours,
      seed: deriveSeed(config.seed, 20, i),
      explainerSeeds: "common",
      estimatorNoise: false,
    } as const;
    sgRatio = Math.max(sgRatio, (await explanationSensitivity(e.smoothGradExplainer, x, { ...options, shape: "vector" })).lipschitzRatio.max);
    shRatio = Math.max(shRatio, (await explanationSensitivity(e.smoothHessExplainer, x, { ...options, shape: "matrix" })).lipschitzRatio.max);
  }
  const sigma = Math.sqrt(sigma2);
  return {
    smoothGrad: sgRatio,
    smoothHess: shRatio,
    smoothGradBound: smoothGradRobustnessBound(0.5, sigma),
    smoothGradBoundWang: smoothGradRobustnessBound(0.5, sigma, { constant: "paper" }),
    smoothHessBound: smoothHessLipschitzBound({ valueMax: 0.5 }, sigma),
  };
}
