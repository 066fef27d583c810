import { InvalidArgumentError, checkFiniteArray, checkNumberInRange, described } from "@smoothhess/errors";
import { spectrumEnergy } from "./eigenpairs.js";

/**
 * The number of leading eigenvalues that carry a fraction `T` of the total eigenvalue magnitude: Eq. 71 of the
 * SmoothHess paper (App. D.1),
 *
 * `k = min { k' ≥ 1 : Σ_{i≤k'} |λᵢ| ≥ T · Σ_{i≤d} |λᵢ| }`.
 *
 * `values` must already be sorted by `|λ|` descending (the order {@link symmetricEigen} returns by default);
 * unsorted input is rejected rather than silently truncated at the wrong pairs. The total is the last partial sum
 * of the same running sum, so `T = 1` returns the index of the last non-zero eigenvalue and never more than
 * `values.length`. All-zero input returns 1 (the smallest `k' ≥ 1`), an empty array 0.
 *
 * When `values` holds only the top eigenvalues of a larger matrix (from {@link topEigen} or
 * {@link eigenFromFactors} with `k < d`), the fraction is of the energy of the values given — unless the spectrum's
 * whole `Σ|λ|` is passed as `totalMagnitude` (an eigendecomposition's `totalMagnitude`, see {@link spectrumEnergy}),
 * as {@link reducedTrustRegionStep} does.
 *
 * @param values - eigenvalues sorted by magnitude, largest first.
 * @param T - energy threshold in `(0, 1]` (the paper uses 0.98 for MNIST/FMNIST and 0.8 for CIFAR-10).
 * @param totalMagnitude - `Σ|λ|` of the whole spectrum `values` lead (default: theirs).
 * @returns `k`, between 1 and `values.length` (0 for an empty array).
 * @throws {@link InvalidArgumentError} for non-finite values, values not sorted by `|λ|` descending, `T` outside
 *   `(0, 1]`, or a `T` the values cannot reach out of `totalMagnitude`.
 */
export function truncateByEnergy(values: ArrayLike<number>, T: number, totalMagnitude?: number): number {
  return energyRank(values, T, "values", "T", totalMagnitude);
}

/**
 * {@link truncateByEnergy} with the name of the `values` argument for error messages, and optionally the spectrum's
 * whole `Σ|λ|` (`totalMagnitude` of a {@link SymmetricEigen} holding only leading pairs; see {@link spectrumEnergy}):
 * then `k = min { k' : Σ_{i≤k'} |λᵢ| ≥ T · total }`, and a `T` the values cannot reach throws.
 * @internal
 */
export function energyRank(
  values: ArrayLike<number>,
  T: number,
  argument: string,
  thresholdArgument = "T",
  totalMagnitude?: number,
): number {
  checkFiniteArray(argument, values);
  checkNumberInRange(thresholdArgument, T, 0, 1, { min: true });
  const n = values.length;
  for (let i = 1; i < n; i++) {
    if (Math.abs(values[i]) > Math.abs(values[i - 1])) {
      throw new InvalidArgumentError(
        argument,
        "eigenvalues sorted by |λ| descending",
        described(`|${argument}[${i}]| = ${Math.abs(values[i])} > |${argument}[${i - 1}]| = ${Math.abs(values[i - 1])}`),
      );
    }
  }
  if (n === 0) return 0;
  const prefix = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += Math.abs(values[i]);
    prefix[i] = sum;
  }
  const { total } = spectrumEnergy({ values, totalMagnitude });
  const target = T * total;
  if (sum < target) {
    throw new InvalidArgumentError(
      thresholdArgument,
      `at most ${sum / total}: the ${n} pairs held carry Σ|λ| = ${sum} of the spectrum's ${total} (ask for more pairs)`,
      T,
    );
  }
  for (let i = 0; i < n; i++) if (prefix[i] >= target) return i + 1;
  return n;
}
