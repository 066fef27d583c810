/** Running mean and standard error of i.i.d. scalar samples (shifted sums, float64). */
export class ScalarMoments {
  private shift = 0;
  private sum = 0;
  private sumSquares = 0;
  private count = 0;

  /** Add every entry of `values`. */
  addAll(values: ArrayLike<number>): void {
    if (this.count === 0 && values.length > 0) this.shift = values[0];
    for (let i = 0; i < values.length; i++) {
      const x = values[i] - this.shift;
      this.sum += x;
      this.sumSquares += x * x;
    }
    this.count += values.length;
  }

  /** The sample mean. */
  mean(): number {
    return this.shift + this.sum / this.count;
  }

  /** Standard error of the mean; NaN with fewer than 2 samples. */
  standardError(): number {
    const n = this.count;
    if (n < 2) return Number.NaN;
    return Math.sqrt(Math.max((this.sumSquares - (this.sum * this.sum) / n) / (n - 1), 0) / n);
  }
}
