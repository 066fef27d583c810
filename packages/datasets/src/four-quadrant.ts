import { type Dataset, createDataset } from "./dataset.js";
import { type GridOptions, fillGrid, squareGrid } from "./grid.js";

/**
 * The interaction coefficient `K` of the Four Quadrant dataset in quadrants 1, 2, 3 and 4 (paper Sec. 5.1,
 * App. E): `y = K·x₁x₂` with `K = 5, 3, 12, −10`.
 */
export const FOUR_QUADRANT_COEFFICIENTS: readonly [number, number, number, number] = Object.freeze([5, 3, 12, -10]) as readonly [
  number,
  number,
  number,
  number,
];

/**
 * The quadrant (1–4) of `(x₁, x₂)`: 1 for `x₁ ≥ 0, x₂ ≥ 0`, 2 for `x₁ < 0 ≤ x₂`, 3 for both negative, 4 for
 * `x₂ < 0 ≤ x₁`. Points on an axis go to the quadrant on their non-negative side; their label is 0 either way.
 */
export function fourQuadrantQuadrant(x1: number, x2: number): 1 | 2 | 3 | 4 {
  if (x1 >= 0) return x2 >= 0 ? 1 : 4;
  return x2 >= 0 ? 2 : 3;
}

/** The coefficient `K` of the quadrant of `(x₁, x₂)`, see {@link FOUR_QUADRANT_COEFFICIENTS}. */
export function fourQuadrantCoefficient(x1: number, x2: number): number {
  return FOUR_QUADRANT_COEFFICIENTS[fourQuadrantQuadrant(x1, x2) - 1];
}

/** The Four Quadrant target `y(x) = K·x₁x₂`, `K` from the quadrant of `x` (exact, float64). */
export function fourQuadrantTarget(x1: number, x2: number): number {
  return fourQuadrantCoefficient(x1, x2) * x1 * x2;
}

/**
 * The Hessian of the Four Quadrant target at `(x₁, x₂)` off the axes: `[[0, K], [K, 0]]`, row-major. On an
 * axis the target is not twice differentiable; the quadrant convention of {@link fourQuadrantQuadrant} is used.
 */
export function fourQuadrantHessian(x1: number, x2: number): Float64Array {
  const k = fourQuadrantCoefficient(x1, x2);
  return new Float64Array([0, k, k, 0]);
}

/**
 * The exact Hessian at the origin of the Four Quadrant target smoothed by an isotropic Gaussian,
 * `∇²(y ∗ q_σ)(0)`, row-major 2×2. Because `y` is positively homogeneous of degree 2 it is the same for every
 * `σ > 0`: by Stein's lemma `H = E[y(σz)(zzᵀ − I)]/σ² = E[K(z) z₁z₂(zzᵀ − I)]`, which gives
 * `H₁₂ = (5 + 3 + 12 − 10)/4 = 2.5` (the value the paper's Fig. 2 recovers) and
 * `H₁₁ = H₂₂ = (5 − 3 + 12 + 10)/(2π) = 12/π ≈ 3.820`.
 */
export function fourQuadrantSmoothedHessianAtOrigin(): Float64Array {
  const [k1, k2, k3, k4] = FOUR_QUADRANT_COEFFICIENTS;
  const offDiagonal = (k1 + k2 + k3 + k4) / 4;
  const diagonal = (k1 - k2 + k3 - k4) / (2 * Math.PI);
  return new Float64Array([diagonal, offDiagonal, offDiagonal, diagonal]);
}

/**
 * The Four Quadrant dataset (paper Sec. 5.1 and App. E): every point of the grid over `[−2, 2]²` with spacing
 * 0.008 (501 × 501 = 251,001 points), labelled `y = K·x₁x₂` with `K = 5, 3, 12, −10` in quadrants 1–4.
 *
 * Rows run with `x₁` slowest: row `i·501 + j` is `(x₁, x₂) = (−2 + 0.008 i, −2 + 0.008 j)`. Coordinates and
 * labels are computed in float64 from the grid indices and rounded once to float32, so
 * `y[r] = Math.fround(fourQuadrantTarget(x₁, x₂))` with the float64 coordinates. `shape = [2]`, no classes.
 *
 * @param options - grid extent and spacing (defaults: the paper's 2 and 0.008).
 * @throws {@link InvalidArgumentError} for a non-positive extent or a spacing that does not divide `2·extent`.
 */
export function fourQuadrant(options: GridOptions = {}): Dataset {
  const { x, y } = fillGrid(squareGrid(options), fourQuadrantTarget);
  return createDataset({ x, y, shape: [2] });
}
