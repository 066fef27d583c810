import { checkPositive } from "@smoothhess/errors";
import { type Dataset, createDataset } from "./dataset.js";
import { type GridOptions, fillGrid, squareGrid } from "./grid.js";

/** Radii of the Nested Interactions regions (paper App. F.3): the inner disc and the middle ring end at 0.6 and 1.2. */
export const NESTED_INTERACTIONS_RADII: readonly [number, number] = Object.freeze([0.6, 1.2]) as readonly [number, number];

/** Relative tolerance on the squared radius: points this close to a circle count as on it (hence outside it). */
const ON_CIRCLE = 1e-9;

/**
 * The region of `(x₁, x₂)` in the Nested Interactions dataset: 0 inside the open disc `‖x‖ < 0.6`, 1 in the
 * ring `0.6 ≤ ‖x‖ < 1.2`, 2 for `‖x‖ ≥ 1.2`. The balls `B_r(0)` of the paper are open, so points on a circle
 * belong to the outer side; to make that hold despite rounding of the coordinates, `‖x‖²` within a relative
 * 10⁻⁹ of `r²` counts as on the circle (grid points off the circles are ~10⁻⁴ away from it).
 */
export function nestedInteractionsRegion(x1: number, x2: number): 0 | 1 | 2 {
  const r2 = x1 * x1 + x2 * x2;
  const [inner, middle] = NESTED_INTERACTIONS_RADII;
  if (r2 < inner * inner * (1 - ON_CIRCLE)) return 0;
  if (r2 < middle * middle * (1 - ON_CIRCLE)) return 1;
  return 2;
}

/**
 * The Nested Interactions target (paper App. F.3): `½x₁² + x₁x₂` in the inner disc, `x₁x₂` in the ring and
 * `−5x₁x₂` outside, regions from {@link nestedInteractionsRegion}. Exact, float64.
 */
export function nestedInteractionsTarget(x1: number, x2: number): number {
  switch (nestedInteractionsRegion(x1, x2)) {
    case 0:
      return 0.5 * x1 * x1 + x1 * x2;
    case 1:
      return x1 * x2;
    default:
      return -5 * x1 * x2;
  }
}

/**
 * The Hessian of the Nested Interactions target inside a region, row-major 2×2: `[[1, 1], [1, 0]]` in the
 * inner disc, `[[0, 1], [1, 0]]` in the ring, `[[0, −5], [−5, 0]]` outside. (On the circles the target jumps
 * and has no Hessian; the region convention of {@link nestedInteractionsRegion} is used.)
 */
export function nestedInteractionsHessian(x1: number, x2: number): Float64Array {
  switch (nestedInteractionsRegion(x1, x2)) {
    case 0:
      return new Float64Array([1, 1, 1, 0]);
    case 1:
      return new Float64Array([0, 1, 1, 0]);
    default:
      return new Float64Array([0, -5, -5, 0]);
  }
}

/**
 * The exact Hessian at the origin of the Nested Interactions target smoothed by `N(0, σ²I)`,
 * `∇²(y ∗ q_σ)(0)`, row-major 2×2: the ground truth that SmoothHess of a network fitted to the data should
 * approach (paper Fig. 5).
 *
 * From Stein's lemma `H = E[y(σz)(zzᵀ − I)]/σ²` with `‖z‖² ~ χ²₂`; with `B = 0.6²/σ²` and `A = 1.2²/σ²`:
 * - `H₁₁ = 1 − e^{−B/2}(3B²/16 + B/2 + 1)` (1 for small σ, 0 for large),
 * - `H₁₂ = 1 − ¾·e^{−A/2}(A² + 4A + 8)` (1 for small σ, −5 for large),
 * - `H₂₂ = −B²e^{−B/2}/16` (0 at both ends, at most `−e^{−2}` ≈ −0.135 at `B = 4`).
 *
 * @param variance - `σ²` of the isotropic Gaussian, a finite number > 0 (the paper's tables list σ²).
 * @throws {@link InvalidArgumentError} naming `variance`.
 */
export function nestedInteractionsSmoothedHessianAtOrigin(variance: number): Float64Array {
  checkPositive("variance", variance);
  const [inner, middle] = NESTED_INTERACTIONS_RADII;
  const b = (inner * inner) / variance;
  const a = (middle * middle) / variance;
  const eb = Math.exp(-b / 2);
  const h11 = 1 - eb * ((3 * b * b) / 16 + b / 2 + 1);
  const h12 = 1 - 0.75 * Math.exp(-a / 2) * (a * a + 4 * a + 8);
  const h22 = (-b * b * eb) / 16;
  return new Float64Array([h11, h12, h12, h22]);
}

/**
 * The Nested Interactions dataset (paper App. F.3): every point of the grid over `[−2, 2]²` with spacing
 * 0.008 (251,001 points), labelled by {@link nestedInteractionsTarget}. Same row order and float32 rounding
 * as {@link fourQuadrant}: `y[r] = Math.fround(nestedInteractionsTarget(x₁, x₂))` with the float64 grid
 * coordinates. `shape = [2]`, no classes.
 *
 * @param options - grid extent and spacing (defaults: the paper's 2 and 0.008).
 * @throws {@link InvalidArgumentError} for a non-positive extent or a spacing that does not divide `2·extent`.
 */
export function nestedInteractions(options: GridOptions = {}): Dataset {
  const { x, y } = fillGrid(squareGrid(options), nestedInteractionsTarget);
  return createDataset({ x, y, shape: [2] });
}
