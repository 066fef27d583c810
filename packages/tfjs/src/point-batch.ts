import { DimensionMismatchError, InvalidArgumentError, checkInteger, described, firstNonFinite } from "@smoothhess/errors";

/**
 * Check an oracle input batch: `points` a Float32Array or Float64Array of exactly `n × dim` finite numbers;
 * returns it as a Float32Array (tfjs computes in float32).
 * @throws {@link InvalidArgumentError} for a wrong type, a bad `n` or a non-finite entry;
 *   {@link DimensionMismatchError} for a wrong length.
 */
export function toFloat32Batch(points: unknown, n: unknown, dim: number): Float32Array {
  const count = checkInteger("n", n, 0);
  if (!(points instanceof Float32Array || points instanceof Float64Array)) {
    throw new InvalidArgumentError("points", "a Float32Array or Float64Array (n × dim, row-major)", points);
  }
  if (points.length !== count * dim) {
    throw new DimensionMismatchError(
      "points",
      `length n × dim = ${count} × ${dim} = ${count * dim}`,
      described(`length ${points.length}`),
    );
  }
  const bad = firstNonFinite(points);
  if (bad >= 0) {
    throw new InvalidArgumentError(
      "points",
      "a finite number at every index",
      described(`${points[bad]} at index ${bad} (point ${Math.floor(bad / dim)})`),
    );
  }
  return points instanceof Float32Array ? points : Float32Array.from(points);
}
