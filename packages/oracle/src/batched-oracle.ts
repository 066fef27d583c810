import { checkInteger } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch, ValueBatch, ValueOracle } from "./gradient-oracle.js";

/**
 * Wrap an oracle so that a request for `n` points is split into consecutive calls of at most `maxBatchSize`
 * points, and the answers are concatenated in order. Use it to keep a GPU or a worker's memory bounded while
 * callers ask for any number of points. `gradients` come back as a Float64Array when the inner oracle answered
 * with float64, else as a Float32Array.
 *
 * The wrapper always answers with a Promise.
 *
 * @param maxBatchSize - positive integer; defaults to the inner oracle's `maxBatchSize` hint, else 1024.
 */
export function batchedOracle(oracle: GradientOracle, maxBatchSize?: number): GradientOracle;
export function batchedOracle(oracle: ValueOracle, maxBatchSize?: number): ValueOracle;
export function batchedOracle(oracle: ValueOracle, maxBatchSize = oracle.maxBatchSize ?? 1024): ValueOracle {
  checkInteger("maxBatchSize", maxBatchSize, 1);
  const dim = oracle.dim;
  return {
    dim,
    maxBatchSize,
    dispose: oracle.dispose ? () => oracle.dispose!() : undefined,
    async evaluate(points: PointBatch, n: number): Promise<ValueBatch> {
      if (n <= maxBatchSize) return oracle.evaluate(points, n);
      const values = new Float64Array(n);
      let gradients: Float32Array | Float64Array | undefined;
      for (let start = 0; start < n; start += maxBatchSize) {
        const m = Math.min(maxBatchSize, n - start);
        const part = (await oracle.evaluate(points.subarray(start * dim, (start + m) * dim), m)) as Partial<GradientBatch>;
        values.set(part.values!.subarray(0, m), start);
        if (part.gradients) {
          gradients ??= part.gradients instanceof Float64Array ? new Float64Array(n * dim) : new Float32Array(n * dim);
          gradients.set(part.gradients.subarray(0, m * dim), start * dim);
        }
      }
      return gradients ? ({ values, gradients } as GradientBatch) : { values };
    },
  };
}
