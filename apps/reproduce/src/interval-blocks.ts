/**
 * Sums of consecutive groups of `size` entries of a vector: the attribution of each time interval when the
 * features are samples of a curve (Fig. 3 of the paper groups 50 ms samples into 0.5 s intervals: `size` 10).
 * `v.length` must be a multiple of `size`.
 */
export function intervalSums(v: ArrayLike<number>, size: number): Float64Array {
  checkGrouping(v.length, size, "intervalSums");
  const out = new Float64Array(v.length / size);
  for (let i = 0; i < v.length; i++) out[Math.floor(i / size)] += v[i];
  return out;
}

/**
 * Block sums of a row-major d×d matrix over groups of `size` consecutive indices: entry (I, J) of the result is
 * Σ_{i∈I, j∈J} H_ij, the interaction between intervals I and J (the Hessian of f(x) along the indicator
 * directions of the two intervals). Returns a row-major (d/size)×(d/size) matrix; symmetric when H is.
 */
export function intervalBlockSums(h: ArrayLike<number>, d: number, size: number): Float64Array {
  if (h.length !== d * d) throw new Error(`intervalBlockSums: expected a ${d}×${d} matrix (${d * d} entries), got ${h.length}`);
  checkGrouping(d, size, "intervalBlockSums");
  const m = d / size;
  const out = new Float64Array(m * m);
  for (let i = 0; i < d; i++) {
    const row = Math.floor(i / size) * m;
    for (let j = 0; j < d; j++) out[row + Math.floor(j / size)] += h[i * d + j];
  }
  return out;
}

/**
 * Batch means: the mean of `batches` (equal-sized independent estimates of the same vector) and the standard
 * error of that mean, sd/√B with the unbiased sd over the B batches. Valid for any linear function of an
 * unbiased Monte-Carlo estimate, e.g. block sums of SmoothHess; needs B ≥ 2.
 */
export function batchMeans(batches: readonly ArrayLike<number>[]): { mean: Float64Array; standardError: Float64Array } {
  const b = batches.length;
  if (b < 2) throw new Error(`batchMeans: needs at least 2 batches, got ${b}`);
  const n = batches[0].length;
  const mean = new Float64Array(n);
  for (const batch of batches) {
    if (batch.length !== n) throw new Error(`batchMeans: batches of different lengths (${n} and ${batch.length})`);
    for (let i = 0; i < n; i++) mean[i] += batch[i] / b;
  }
  const standardError = new Float64Array(n);
  for (const batch of batches) for (let i = 0; i < n; i++) standardError[i] += (batch[i] - mean[i]) ** 2;
  for (let i = 0; i < n; i++) standardError[i] = Math.sqrt(standardError[i] / (b - 1) / b);
  return { mean, standardError };
}

function checkGrouping(length: number, size: number, name: string): void {
  if (!Number.isInteger(size) || size < 1 || length % size !== 0) {
    throw new Error(`${name}: group size ${size} does not divide the length ${length}`);
  }
}
