import { DimensionMismatchError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import type { PointBatch } from "./gradient-oracle.js";

/**
 * Check the arguments of an oracle's `evaluate(points, n)`: `n` an integer ≥ 0 and `points` a Float64Array or
 * Float32Array of `n·dim` entries. The reference oracles call it, so a short batch is reported by the argument's
 * name (`points`) instead of surfacing as a length error of some inner vector.
 * @throws {@link InvalidArgumentError} naming `n` or `points`; {@link DimensionMismatchError} for a wrong length.
 */
export function checkPointBatch(points: unknown, n: unknown, dim: number): PointBatch {
  checkInteger("n", n, 0);
  if (!(points instanceof Float64Array || points instanceof Float32Array)) {
    throw new InvalidArgumentError("points", "a Float64Array or Float32Array (row-major n×dim)", points);
  }
  const count = n as number;
  if (points.length !== count * dim) {
    throw new DimensionMismatchError("points", `n·dim = ${count}·${dim} = ${count * dim} entries`, described(`${points.length} entries`));
  }
  return points;
}
