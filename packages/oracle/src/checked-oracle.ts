import { DimensionMismatchError, described } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch, ValueBatch, ValueOracle } from "./gradient-oracle.js";
import { OracleOutputError } from "./oracle-output-error.js";

/** Options of {@link checkedOracle}. */
export interface CheckedOracleOptions {
  /** Require a `gradients` field of length `n·dim` (default `true`; set `false` for value-only oracles). */
  readonly gradients?: boolean;
}

/**
 * Wrap an oracle so that every call is checked: the request must have `points.length === n·dim`, and the
 * answer must have `values` of length `n` and (unless `gradients: false`) `gradients` of length `n·dim`, all
 * finite. A violation throws {@link OracleOutputError} naming the batch, the point and the coordinate, so a
 * NaN from deep inside a long run is traced to its source instead of poisoning an average.
 *
 * The wrapper always answers with a Promise.
 */
export function checkedOracle(oracle: GradientOracle, options?: { gradients?: true }): GradientOracle;
export function checkedOracle(oracle: ValueOracle, options: { gradients: false }): ValueOracle;
export function checkedOracle(oracle: ValueOracle, options: CheckedOracleOptions = {}): ValueOracle {
  const wantGradients = options.gradients ?? true;
  const dim = oracle.dim;
  let batch = 0;
  return {
    dim,
    maxBatchSize: oracle.maxBatchSize,
    dispose: oracle.dispose ? () => oracle.dispose!() : undefined,
    async evaluate(points: PointBatch, n: number): Promise<ValueBatch> {
      const index = batch++;
      if (points.length !== n * dim) {
        throw new DimensionMismatchError("points", `n·dim = ${n}·${dim} = ${n * dim} entries`, described(`${points.length} entries`));
      }
      const result = (await oracle.evaluate(points, n)) as Partial<GradientBatch> | undefined;
      const values = result?.values;
      if (!values || values.length !== n) {
        throw new OracleOutputError(index, -1, `expected values of length ${n}, received ${values ? `length ${values.length}` : "none"}`);
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(values[i])) {
          throw new OracleOutputError(index, i, `value of point ${i} is ${values[i]}`);
        }
      }
      if (!wantGradients) return result as ValueBatch;
      const gradients = result.gradients;
      if (!gradients || gradients.length !== n * dim) {
        throw new OracleOutputError(
          index,
          -1,
          `expected gradients of length n·dim = ${n * dim}, received ${gradients ? `length ${gradients.length}` : "none"}`,
        );
      }
      for (let k = 0; k < gradients.length; k++) {
        if (!Number.isFinite(gradients[k])) {
          const i = Math.floor(k / dim);
          throw new OracleOutputError(index, i, `gradient of point ${i} is ${gradients[k]} at coordinate ${k - i * dim}`);
        }
      }
      return result as GradientBatch;
    },
  };
}
