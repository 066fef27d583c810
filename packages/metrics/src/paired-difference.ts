import { DimensionMismatchError, checkFiniteArray, described } from "@smoothhess/errors";

/** The mean of paired differences and its standard error. */
export interface PairedDifference {
  /** Mean over pairs of `a[i] − b[i]`. */
  readonly mean: number;
  /** Standard error of that mean, sd/√n with the unbiased sd of the differences (NaN for a single pair). */
  readonly standardError: number;
}

/**
 * A paired comparison of two methods scored on the same points (e.g. the P_MSE of two Taylor models at the same test
 * points, or whether each of two attacks flipped the class): the mean of the per-point differences `a[i] − b[i]`
 * and its standard error. Pairing removes the between-point variance that comparing two separate means would keep,
 * so |mean| < 2·standardError says the points cannot tell the two methods apart.
 *
 * @throws {@link DimensionMismatchError} when `a` and `b` differ in length or are empty; `InvalidArgumentError` for
 *   a non-finite entry.
 *
 * @example
 * ```ts
 * const { mean, standardError } = pairedDifference(pmseOfA, pmseOfB);
 * const tie = Math.abs(mean) < 2 * standardError;
 * ```
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): PairedDifference {
  if (a.length === 0 || b.length !== a.length) {
    throw new DimensionMismatchError("b", `as many values as a (${a.length}, at least 1)`, described(`length ${b.length}`));
  }
  checkFiniteArray("a", a);
  checkFiniteArray("b", b);
  const n = a.length;
  const diffs = new Float64Array(n);
  for (let i = 0; i < n; i++) diffs[i] = a[i] - b[i];
  let sum = 0;
  for (let i = 0; i < n; i++) sum += diffs[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (diffs[i] - mean) ** 2;
  const variance = n > 1 ? squares / (n - 1) : Number.NaN;
  return { mean, standardError: Math.sqrt(variance / n) };
}
