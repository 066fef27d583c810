import { DimensionMismatchError, checkInteger, described } from "@smoothhess/errors";

/**
 * Quadratic forms `uᵢᵀ H uᵢ` of a fixed set of rows `U` (row-major `rows×dim`), for any number of matrices `H`:
 * what a {@link QuadraticFormKernel} returns from `bind(U)`. Scoring a second-order Taylor model (paper Eq. 10) on a
 * P_MSE ball (Eq. 11) is one call: `½ uᵀH̃u` for every point of the ball is the only `O(d²)` part of the model.
 */
export interface BoundQuadraticForms {
  /** Number of rows of `U`. */
  readonly rows: number;
  /** Their length `d` (`H` is `d×d`). */
  readonly dim: number;
  /**
   * `out[i] = uᵢᵀ H uᵢ` for every row `uᵢ` of `U`, as float64 (a backend may multiply in float32 inside).
   * `H` is row-major `d×d`; it need not be symmetric (`uᵀHu = uᵀ ½(H + Hᵀ) u`). The kernel keeps no reference to it.
   * @throws `DimensionMismatchError` for an `H` without `d·d` entries, `DisposedError` after `dispose()`.
   */
  evaluate(hessian: ArrayLike<number>): Float64Array | PromiseLike<Float64Array>;
  /** Release what `bind` allocated for `U` (a tensor, a copy). Idempotent. */
  dispose(): void | PromiseLike<void>;
}

/**
 * A backend's way of computing `uᵀHu` for all rows of a matrix `U` at once, as `(U H) ⊙ U` summed by rows — one
 * `n×d` by `d×d` matrix product per `H`. `U` is handed over **once** (`bind`), since a validation sweep scores
 * hundreds of Hessians on the same points. {@link perturbationBalls} takes one as its `kernel` option.
 *
 * Implementations: {@link linalgQuadraticFormKernel} (float64, plain JavaScript, no dependencies; the default),
 * `tfjsQuadraticFormKernel` of `@smoothhess/metrics/tfjs` (float32 on the active tfjs backend), and
 * `onnxQuadraticFormKernel` of `@smoothhess/onnx` (float32 on ONNX Runtime's GEMM; matches this interface
 * structurally). Any object of this shape works.
 */
export interface QuadraticFormKernel {
  /** E.g. `"linalg-float64"`, `"onnx-cpu-float32"`: for logs and benchmark tables. */
  readonly name: string;
  /**
   * Take the rows `U` (row-major `rows×dim`, the first `rows·dim` entries of `displacements`) for later
   * {@link BoundQuadraticForms.evaluate} calls. The caller must not modify them while bound (a kernel may keep a
   * reference instead of a copy).
   */
  bind(displacements: Float64Array, rows: number, dim: number): BoundQuadraticForms | PromiseLike<BoundQuadraticForms>;
}

/**
 * Check the arguments of {@link QuadraticFormKernel.bind}: `rows ≥ 1`, `dim ≥ 1`, at least `rows·dim` entries.
 * @internal
 */
export function checkBindArguments(displacements: ArrayLike<number>, rows: number, dim: number): void {
  checkInteger("rows", rows, 1);
  checkInteger("dim", dim, 1);
  if (!(displacements?.length >= rows * dim)) {
    throw new DimensionMismatchError("displacements", `a row-major ${rows}×${dim} matrix (${rows * dim} entries)`, described(`${displacements?.length} entries`));
  }
}

/**
 * Check the `H` of {@link BoundQuadraticForms.evaluate}: exactly `d·d` entries.
 * @internal
 */
export function checkHessianLength(hessian: ArrayLike<number>, dim: number): void {
  if (hessian?.length !== dim * dim) {
    throw new DimensionMismatchError("hessian", `a row-major ${dim}×${dim} matrix (${dim * dim} entries)`, described(`${hessian?.length} entries`));
  }
}
