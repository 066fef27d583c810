/**
 * Running mean and standard error of i.i.d. vector samples, coordinate by coordinate, in float64.
 * Uses sums of deviations from the first sample (shifted data) so that large means do not cancel the variance.
 */
export class VectorMoments {
  /** The first sample (the shift); set by the first `addRows`, or by a caller that adds rows in its own loop. */
  readonly shift: Float64Array;
  /** Σ (x − shift), coordinate by coordinate. */
  readonly sum: Float64Array;
  /** Σ (x − shift)². */
  readonly sumSquares: Float64Array;
  /** Samples added. A caller that updates the sums in its own loop (gradient-pass.ts) sets the shift and the count. */
  count = 0;

  constructor(readonly dim: number) {
    this.shift = new Float64Array(dim);
    this.sum = new Float64Array(dim);
    this.sumSquares = new Float64Array(dim);
  }

  /** Add `m` samples stored as the rows of `rows` (m×dim). */
  addRows(rows: ArrayLike<number>, m: number): void {
    const d = this.dim;
    if (this.count === 0 && m > 0) for (let i = 0; i < d; i++) this.shift[i] = rows[i];
    for (let u = 0; u < m; u++) {
      const row = u * d;
      for (let i = 0; i < d; i++) {
        const x = rows[row + i] - this.shift[i];
        this.sum[i] += x;
        this.sumSquares[i] += x * x;
      }
    }
    this.count += m;
  }

  /** The sample mean. */
  mean(): Float64Array {
    const out = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) out[i] = this.shift[i] + this.sum[i] / this.count;
    return out;
  }

  /** Standard error of the mean, `sqrt(s²/n)` with the unbiased sample variance s²; NaN with fewer than 2 samples. */
  standardError(): Float64Array {
    const out = new Float64Array(this.dim);
    const n = this.count;
    for (let i = 0; i < this.dim; i++) {
      const variance = (this.sumSquares[i] - (this.sum[i] * this.sum[i]) / n) / (n - 1);
      out[i] = n > 1 ? Math.sqrt(Math.max(variance, 0) / n) : Number.NaN;
    }
    return out;
  }
}
