import { InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";

/**
 * Check a batch of `n` points of dimension `d` (row-major, finite) and the Hessian size it implies.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming `points` or `n`.
 * @internal
 */
export function checkPointBatch(points: unknown, n: unknown, d: number, denseLimit: number): number {
  const count = checkInteger("n", n, 0);
  if (d > denseLimit) {
    throw new InvalidArgumentError(
      "points",
      `inputs of dimension ≤ ${denseLimit} for dense d×d Hessians (use hessianVectorProducts for larger d)`,
      described(`dimension ${d}`),
    );
  }
  checkFiniteArray("points", points, count * d);
  return count;
}

/**
 * Check a point `x0` of dimension `d` and `k` directions (`k×d`, row-major, finite).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming `x0`, `directions` or `k`.
 * @internal
 */
export function checkDirections(x0: unknown, directions: unknown, k: unknown, d: number): number {
  checkFiniteArray("x0", x0, d);
  const count = checkInteger("k", k, 0);
  checkFiniteArray("directions", directions, count * d);
  return count;
}

/** Default largest input dimension for which dense Hessians are formed. @internal */
export const DEFAULT_DENSE_LIMIT = 8192;
