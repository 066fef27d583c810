import type { Dataset } from "@smoothhess/datasets";
import {
  explanationSensitivity,
  matrixExplanationDistance,
  smoothGradRobustnessBound,
  smoothHessLipschitzBound,
  vectorExplanationDistance,
  type Explainer,
} from "@smoothhess/metrics";
import { covariance, type SyncGradientOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { cLime, smoothGrad, smoothHess, zerothOrderSmoothHess } from "@smoothhess/stein";
import type { UnificationConfig } from "./config.js";
import type { MeanAndError, UnificationRow, UnificationSigmaResult } from "./results.js";

/** The four explainers at (σ², n); C-LIME only where n > d (it fits d + 1 parameters). */
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

/** One (σ², n) row: equivalence, robustness (± SE, paired differences), noise and variance per perturbation. */
export async function measureRow(oracle: SyncGradientOracle, test: Dataset, points: number, d: number, sigma2: number, n: number, config: UnificationConfig): Promise<UnificationRow> {
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

/** The Lipschitz ratios at the largest n against the bounds, and the map's own change (common draws). */
export async function measureLipschitz(
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
