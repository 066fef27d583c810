import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";

/**
 * Sums of consecutive groups of `size` entries of a vector: the attribution of each time interval when the
 * features are samples of a curve (Fig. 3 of the paper groups 50 ms samples into 0.5 s intervals: `size` 10).
 * `v.length` must be a multiple of `size`. Linear, so sums of an unbiased SmoothGrad are unbiased for the smoothed
 * gradient's interval sums.
 * @throws {@link InvalidArgumentError} naming `size` when it is not a whole number ≥ 1 dividing the length.
 */
export function intervalSums(v: ArrayLike<number>, size: number): Float64Array {
  checkGrouping(v.length, size);
  const out = new Float64Array(v.length / size);
  for (let i = 0; i < v.length; i++) out[Math.floor(i / size)] += v[i];
  return out;
}

/**
 * Block sums of a row-major d×d matrix over groups of `size` consecutive indices: entry (I, J) of the result is
 * Σ_{i∈I, j∈J} H_ij, the interaction between intervals I and J (the Hessian of f(x) along the indicator
 * directions of the two intervals). Returns a row-major (d/size)×(d/size) matrix; symmetric when H is. Paper Fig. 4
 * (interactions between 0.5 s intervals of a spirometry curve).
 * @throws {@link DimensionMismatchError} naming `h` when it does not hold d·d entries; {@link InvalidArgumentError}
 *   naming `size` when it does not divide `d`.
 */
export function intervalBlockSums(h: ArrayLike<number>, d: number, size: number): Float64Array {
  if (h.length !== d * d) throw new DimensionMismatchError("h", `a ${d}×${d} matrix (${d * d} entries)`, described(`length ${h.length}`));
  checkGrouping(d, size);
  const m = d / size;
  const out = new Float64Array(m * m);
  for (let i = 0; i < d; i++) {
    const row = Math.floor(i / size) * m;
    for (let j = 0; j < d; j++) out[row + Math.floor(j / size)] += h[i * d + j];
  }
  return out;
}

function checkGrouping(length: number, size: number): void {
  if (!Number.isInteger(size) || size < 1 || length % size !== 0) {
    throw new InvalidArgumentError("size", `a whole number ≥ 1 that divides the length ${length}`, size);
  }
}
