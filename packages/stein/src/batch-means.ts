import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";

/**
 * Batch means: the mean of `batches` (equal-sized independent estimates of the same vector) and the standard
 * error of that mean, sd/√B with the unbiased sd over the B batches. Valid for any linear function of an
 * unbiased Monte-Carlo estimate, e.g. block sums of SmoothHess; needs B ≥ 2.
 * @throws {@link InvalidArgumentError} naming `batches` for fewer than 2; {@link DimensionMismatchError} for batches
 *   of different lengths.
 */
export function batchMeans(batches: readonly ArrayLike<number>[]): { mean: Float64Array; standardError: Float64Array } {
  const b = batches.length;
  if (b < 2) throw new InvalidArgumentError("batches", "at least 2 batches", described(`${b} batch${b === 1 ? "" : "es"}`));
  const n = batches[0].length;
  const mean = new Float64Array(n);
  for (const batch of batches) {
    if (batch.length !== n) throw new DimensionMismatchError("batches", `batches of one length (${n})`, described(`a batch of length ${batch.length}`));
    for (let i = 0; i < n; i++) mean[i] += batch[i] / b;
  }
  const standardError = new Float64Array(n);
  for (const batch of batches) for (let i = 0; i < n; i++) standardError[i] += (batch[i] - mean[i]) ** 2;
  for (let i = 0; i < n; i++) standardError[i] = Math.sqrt(standardError[i] / (b - 1) / b);
  return { mean, standardError };
}
