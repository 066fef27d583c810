import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, described } from "@smoothhess/errors";

/**
 * Check that `a` is a finite row-major `d×d` matrix; returns `a` as a Float64Array-like view.
 * @throws {@link DimensionMismatchError} when `a.length !== d*d`, {@link InvalidArgumentError} on non-finite entries.
 */
export function checkSquareMatrix(argument: string, a: ArrayLike<number>, d: number): ArrayLike<number> {
  if (a && typeof a.length === "number" && a.length !== d * d) {
    throw new DimensionMismatchError(argument, `a ${d}×${d} row-major matrix (length ${d * d})`, described(`length ${a.length}`));
  }
  return checkFiniteArray(argument, a, d * d);
}

/**
 * Check that the row-major `d×d` matrix `a` is symmetric to a relative tolerance (measured against its largest
 * absolute entry). Non-square or non-finite input is rejected first, as in {@link checkSquareMatrix}.
 * @throws {@link InvalidArgumentError} naming the first asymmetric pair of entries.
 */
export function checkSymmetric(argument: string, a: ArrayLike<number>, d: number, tolerance = 1e-10): ArrayLike<number> {
  checkSquareMatrix(argument, a, d);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  const limit = tolerance * (scale || 1);
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const gap = Math.abs(a[i * d + j] - a[j * d + i]);
      if (gap > limit) {
        throw new InvalidArgumentError(
          argument,
          "a symmetric matrix",
          described(`entries [${i},${j}] = ${a[i * d + j]} and [${j},${i}] = ${a[j * d + i]}`),
        );
      }
    }
  }
  return a;
}
