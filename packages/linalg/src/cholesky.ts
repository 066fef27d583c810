import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { SmoothHessError, checkInteger } from "@smoothhess/errors";
import { checkArrayLength, checkNotAliased } from "./kernel-checks.js";
import { checkSymmetric } from "./matrix-checks.js";

/** Thrown when a matrix that must be symmetric positive definite is not. */
export class NotPositiveDefiniteError extends SmoothHessError {
  /** The argument at fault. */
  readonly argument: string;
  constructor(argument: string) {
    super("not-positive-definite", `${argument}: expected a symmetric positive definite matrix; its Cholesky factorisation failed`);
    this.argument = argument;
  }
}

/**
 * Cholesky factor `L` (lower triangular, row-major `d×d`, `A = L Lᵀ`) of a symmetric positive definite matrix,
 * computed with ml-matrix's `CholeskyDecomposition`.
 *
 * @param a - row-major `d×d` symmetric positive definite matrix.
 * @param d - its order.
 * @param argument - name used in error messages.
 * @throws {@link InvalidArgumentError} for non-square, non-finite or non-symmetric input,
 *   {@link NotPositiveDefiniteError} when `a` is not positive definite.
 */
export function cholesky(a: ArrayLike<number>, d: number, argument = "matrix"): Float64Array {
  checkSymmetric(argument, a, d);
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) rows.push(Array.from({ length: d }, (_, j) => a[i * d + j]));
  const decomposition = new CholeskyDecomposition(new Matrix(rows));
  if (!decomposition.isPositiveDefinite()) throw new NotPositiveDefiniteError(argument);
  const lower = decomposition.lowerTriangularMatrix;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      const v = lower.get(i, j);
      if (j === i && !(v > 0)) throw new NotPositiveDefiniteError(argument);
      out[i * d + j] = v;
    }
  }
  return out;
}

/**
 * Solve `L y = b` in place (`b` becomes `y`) for lower-triangular row-major `L` (forward substitution).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a bad `d`, `lower` shorter than `d²`,
 *   `b` shorter than `d`.
 */
export function solveLowerInPlace(lower: ArrayLike<number>, d: number, b: Float64Array): Float64Array {
  checkTriangular(lower, d, b, "b");
  for (let i = 0; i < d; i++) {
    let s = b[i];
    const row = i * d;
    for (let j = 0; j < i; j++) s -= lower[row + j] * b[j];
    b[i] = s / lower[row + i];
  }
  return b;
}

/**
 * Solve `Lᵀ y = b` in place for lower-triangular row-major `L` (back substitution with the transpose).
 * @throws as {@link solveLowerInPlace}.
 */
export function solveLowerTransposeInPlace(lower: ArrayLike<number>, d: number, b: Float64Array): Float64Array {
  checkTriangular(lower, d, b, "b");
  for (let i = d - 1; i >= 0; i--) {
    const y = b[i] / lower[i * d + i];
    b[i] = y;
    // subtract column i of Lᵀ (= row i of L) from the entries above
    const row = i * d;
    for (let j = 0; j < i; j++) b[j] -= lower[row + j] * y;
  }
  return b;
}

/**
 * `out = L x` for lower-triangular row-major `L`. `out` must not alias `x`.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a bad `d`, `lower` shorter than `d²`,
 *   `x` or `out` shorter than `d`, `out === x`.
 */
export function lowerMatVec(lower: ArrayLike<number>, d: number, x: ArrayLike<number>, out: Float64Array = new Float64Array(d)): Float64Array {
  checkTriangular(lower, d, x, "x");
  checkArrayLength("out", out, d, `a vector of length ${d}`);
  checkNotAliased("out", out, x, "x");
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j <= i; j++) s += lower[row + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Lengths of a triangular kernel's arguments. */
function checkTriangular(lower: ArrayLike<number>, d: number, vector: unknown, name: string): void {
  checkInteger("d", d, 0);
  checkArrayLength("lower", lower, d * d, `a ${d}×${d} row-major matrix`);
  checkArrayLength(name, vector, d, `a vector of length ${d}`);
}
