import { checkInteger } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import { type Dataset, createDataset } from "./dataset.js";

/** Options of {@link simulatedClusters}. */
export interface SimulatedClustersOptions {
  /** Number of examples (default 1,000, as Agarwal et al. §6.1). */
  readonly n?: number;
  /** Seed of the labels and features (default 0). */
  readonly seed?: number;
}

/** The class means μ₀ = (−1, −1) and μ₁ = (1, 1) of {@link simulatedClusters}. */
export const SIMULATED_CLUSTER_MEANS: readonly (readonly [number, number])[] = Object.freeze([
  Object.freeze([-1, -1] as const),
  Object.freeze([1, 1] as const),
]);

/**
 * The **Simulated** dataset of Agarwal et al. (2021), §6.1: `n = 1000` examples in ℝ²; each label `y ∈ {0, 1}` is
 * drawn at random (fair coin, independently per example) and the features from `N(μ_y, I₂)` with
 * `μ₀ = (−1, −1)`, `μ₁ = (1, 1)`. Two overlapping Gaussian clusters: the Bayes classifier `x₁ + x₂ > 0` errs on
 * `Φ(−√2) ≈ 7.9 %` of the points.
 *
 * Seeded: per example one uniform (the label), then two standard normals. Features are computed in float64 and
 * stored as float32, like every dataset of this package. `shape = [2]`, `classes = ["0", "1"]`.
 *
 * @throws {@link InvalidArgumentError} for `n < 1` or a bad seed.
 *
 * @example
 * ```ts
 * import { simulatedClusters } from "@smoothhess/datasets";
 * const data = simulatedClusters(); // 1,000 points
 * data.x[0], data.x[1], data.y[0];
 * ```
 */
export function simulatedClusters(options: SimulatedClustersOptions = {}): Dataset {
  const n = checkInteger("options.n", options.n ?? 1000, 1);
  const rng = gaussianSampler(options.seed ?? 0, "options.seed");
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = rng.uniform() < 0.5 ? 0 : 1;
    const [m1, m2] = SIMULATED_CLUSTER_MEANS[label];
    y[i] = label;
    x[2 * i] = m1 + rng.normal();
    x[2 * i + 1] = m2 + rng.normal();
  }
  return createDataset({ x, y, shape: [2], classes: ["0", "1"] });
}
