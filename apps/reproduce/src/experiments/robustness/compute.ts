import {
  denseNetworkGradientBound,
  explanationSensitivity,
  smoothGradDistanceBound,
  smoothHessLipschitzBound,
  type Explainer,
  type MatrixSensitivity,
  type VectorSensitivity,
} from "@smoothhess/metrics";
import type { GradientOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothHess, type SmoothHessResult } from "@smoothhess/stein";
import { predictedClasses, tfjsOracle } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import { imageClassifierTask } from "../../image-classifier-task.js";
import type { RobustnessConfig } from "./config.js";

/** Distances of one method at one (σ², ε), maxima over the explained points. */
export interface MethodSensitivity {
  /** Largest distance to a neighbour: L2 (saliency, SmoothGrad) or spectral norm (SmoothHess). */
  readonly maxDistance: number;
  /** Mean distance to the neighbours. */
  readonly meanDistance: number;
  /** Largest top-k distance (1 − shared share of the top-k features / pairs). */
  readonly maxTopK: number;
  /** Mean top-k distance. */
  readonly meanTopK: number;
  /** Distance between two explanations of the same x with different seeds (0 for saliency). */
  readonly estimatorNoise: number;
}

/** One (σ², ε) cell. */
export interface RobustnessCell {
  readonly sigma2: number;
  readonly radius: number;
  readonly saliency: MethodSensitivity;
  readonly smoothGrad: MethodSensitivity;
  readonly smoothHess: MethodSensitivity;
  /** Bounds on the largest possible change within the ball, from a certified and from an observed gradient norm. */
  readonly bounds: {
    readonly smoothGradCertified: number;
    readonly smoothGradObserved: number;
    readonly smoothHessCertified: number;
    readonly smoothHessObserved: number;
  };
}

/** One dataset. */
export interface RobustnessDataset {
  readonly dataset: string;
  readonly testAccuracy: number;
  readonly points: readonly { readonly testIndex: number; readonly label: number }[];
  /** Certified sup‖∇f‖₂ of the explained logits (largest over points), and the largest gradient norm the samples met. */
  readonly gradMaxCertified: number;
  readonly gradMaxObserved: number;
  readonly cells: readonly RobustnessCell[];
}

/** Every number of a robustness run (results.json). */
export interface RobustnessResults {
  readonly datasets: readonly RobustnessDataset[];
}

/** Wrap an oracle to remember the largest gradient norm it returned. */
function normTracking(inner: GradientOracle): { oracle: GradientOracle; largest(): number } {
  let largest = 0;
  const d = inner.dim;
  return {
    oracle: {
      dim: d,
      maxBatchSize: inner.maxBatchSize,
      async evaluate(points, n) {
        const r = await inner.evaluate(points, n);
        for (let p = 0; p < n; p++) {
          let s = 0;
          for (let j = p * d; j < (p + 1) * d; j++) s += r.gradients[j] * r.gradients[j];
          largest = Math.max(largest, Math.sqrt(s));
        }
        return r;
      },
    },
    largest: () => largest,
  };
}

function summary(s: VectorSensitivity | MatrixSensitivity): MethodSensitivity {
  const size = (r: VectorSensitivity["max"] | MatrixSensitivity["max"]) => ("l2" in r ? r.l2 : r.spectral);
  const top = (r: VectorSensitivity["max"] | MatrixSensitivity["max"]) => ("l2" in r ? r.topK : r.topKPairs) ?? Number.NaN;
  return {
    maxDistance: size(s.max),
    meanDistance: size(s.mean),
    maxTopK: top(s.max),
    meanTopK: top(s.mean),
    estimatorNoise: s.estimatorNoise ? size(s.estimatorNoise) : 0,
  };
}

function worst(a: MethodSensitivity | undefined, b: MethodSensitivity, count: number): MethodSensitivity {
  if (!a) return b;
  return {
    maxDistance: Math.max(a.maxDistance, b.maxDistance),
    meanDistance: a.meanDistance + (b.meanDistance - a.meanDistance) / count,
    maxTopK: Math.max(a.maxTopK, b.maxTopK),
    meanTopK: a.meanTopK + (b.meanTopK - a.meanTopK) / count,
    estimatorNoise: Math.max(a.estimatorNoise, b.estimatorNoise),
  };
}

/** Sensitivity of saliency, SmoothGrad and SmoothHess of the predicted logit over σ² and ε, on MNIST and FMNIST. */
export async function computeRobustness(context: ExperimentContext, config: RobustnessConfig): Promise<RobustnessResults> {
  const datasets: RobustnessDataset[] = [];
  // A shard run stops at each dataset's point stage while other shards' points are missing; the datasets are
  // independent, so each still computes its own points in this round.
  for (const taskConfig of config.tasks) {
    const result = await context.checkpoints.whenStagesComplete(() => robustnessDataset(context, config, taskConfig));
    if (result) datasets.push(result);
  }
  context.checkpoints.throwIfStagesPending();
  return { datasets };
}

/**
 * One dataset: every explained point is one checkpointed item of the stage `<dataset> robustness` (all its σ² and
 * ε cells), so a shard computes every N-th point; the worst case over points needs all of them.
 */
async function robustnessDataset(context: ExperimentContext, config: RobustnessConfig, taskConfig: RobustnessConfig["tasks"][number]): Promise<RobustnessDataset> {
  const task = await imageClassifierTask(context, taskConfig);
  try {
    const test = task.splits.test;
    const d = test.d;
    const predicted = predictedClasses(task.network, test.x, test.n);
    const chosen: { testIndex: number; label: number }[] = [];
    for (let i = 0; i < test.n && chosen.length < config.points; i++) if (predicted[i] === test.y[i]) chosen.push({ testIndex: i, label: test.y[i] });

    if (chosen.length === 0) throw new Error(`${taskConfig.dataset}: the classifier gets no test point right, nothing to explain`);
    const perPoint: { cells: RobustnessCell[] }[] = [];
    let gradMaxCertified = 0, gradMaxObserved = 0;
    const stage = `${taskConfig.dataset} robustness`;
    const progress = context.progress(stage, chosen.length * config.sigma2.length * config.radii.length);
    const perPointValues: { observed: number; cells: RobustnessCell[] }[] = [];
    let done = 0;
    for (const [p, point] of chosen.entries()) {
      const x = Float64Array.from(test.x.subarray(point.testIndex * d, (point.testIndex + 1) * d));
      const certified = denseNetworkGradientBound(task.reference, { output: point.label });
      gradMaxCertified = Math.max(gradMaxCertified, certified);
      const inner = tfjsOracle(task.network, { output: point.label }, { engine: "fast" });
      const tracking = normTracking(inner);
      try {
        const saliency: Explainer = async (q) => (await tracking.oracle.evaluate(Float32Array.from(q), 1)).gradients;
        const key = `${taskConfig.dataset}-point-${point.testIndex}`;
        const { value } = await context.checkpoints.getOrCompute(key, async () => {
          const cells: Omit<RobustnessCell, "bounds">[] = [];
          for (const sigma2 of config.sigma2) {
            // SmoothGrad and SmoothHess come from the same gradients: one estimate per (point, seed), shared
            const memo = new Map<string, Promise<SmoothHessResult>>();
            const estimate = (q: Float64Array, seed: number) => {
              const k = `${seed}:${q.join(",")}`;
              let r = memo.get(k);
              if (!r) memo.set(k, (r = smoothHess(tracking.oracle, q, { covariance: { variance: sigma2 }, samples: config.samples, seed })));
              return r;
            };
            const smoothGradExplainer: Explainer = async (q, seed) => (await estimate(q, seed)).gradient;
            const smoothHessExplainer: Explainer = async (q, seed) => (await estimate(q, seed)).hessian;
            for (const radius of config.radii) {
              const options = {
                neighbourhood: { kind: "ball", radius },
                neighbours: config.neighbours,
                seed: deriveSeed(config.seed, p, Math.round(radius * 1000)),
                explainerSeeds: "common",
                topK: config.topK,
              } as const;
              const sal = await explanationSensitivity(saliency, x, { ...options, shape: "vector", estimatorNoise: false });
              const sg = await explanationSensitivity(smoothGradExplainer, x, { ...options, shape: "vector" });
              const sh = await explanationSensitivity(smoothHessExplainer, x, { ...options, shape: "matrix" });
              memo.clear();
              cells.push({ sigma2, radius, saliency: summary(sal), smoothGrad: summary(sg), smoothHess: summary(sh) });
              progress.update(++done);
            }
          }
          // bounds from the certified gradient norm and from the largest one every sample of this point met
          const observed = tracking.largest();
          return {
            observed,
            cells: cells.map((cell): RobustnessCell => {
              const sigma = Math.sqrt(cell.sigma2);
              return {
                ...cell,
                bounds: {
                  smoothGradCertified: smoothGradDistanceBound(certified, sigma, cell.radius),
                  smoothGradObserved: smoothGradDistanceBound(observed, sigma, cell.radius),
                  smoothHessCertified: smoothHessLipschitzBound({ gradMax: certified }, sigma) * cell.radius,
                  smoothHessObserved: smoothHessLipschitzBound({ gradMax: observed }, sigma) * cell.radius,
                },
              };
            }),
          };
        }, { stage, item: p });
        perPointValues.push(value);
      } finally {
        await inner.dispose?.();
      }
    }
    progress.stop();
    context.checkpoints.completeStage(stage);
    for (const value of perPointValues) {
      gradMaxObserved = Math.max(gradMaxObserved, value.observed);
      perPoint.push({ cells: value.cells });
    }
    // worst case over points, cell by cell
    const cells = perPoint[0].cells.map((cell, c) => {
      let saliency: MethodSensitivity | undefined, smoothGrad: MethodSensitivity | undefined, smoothHessCell: MethodSensitivity | undefined;
      const bounds = { smoothGradCertified: 0, smoothGradObserved: 0, smoothHessCertified: 0, smoothHessObserved: 0 };
      perPoint.forEach(({ cells: own }, i) => {
        saliency = worst(saliency, own[c].saliency, i + 1);
        smoothGrad = worst(smoothGrad, own[c].smoothGrad, i + 1);
        smoothHessCell = worst(smoothHessCell, own[c].smoothHess, i + 1);
        for (const k of Object.keys(bounds) as (keyof typeof bounds)[]) bounds[k] = Math.max(bounds[k], own[c].bounds[k]);
      });
      return { sigma2: cell.sigma2, radius: cell.radius, saliency: saliency!, smoothGrad: smoothGrad!, smoothHess: smoothHessCell!, bounds };
    });
    return {
      dataset: taskConfig.dataset,
      testAccuracy: task.summary.accuracy.test,
      points: chosen,
      gradMaxCertified,
      gradMaxObserved,
      cells,
    };
  } finally {
    task.network.dispose?.();
  }
}
