import type { UnificationDatasetSpec } from "./config.js";

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
