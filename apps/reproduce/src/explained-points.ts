import { seededPermutation } from "@smoothhess/random";

/**
 * The rows of a data split that an experiment explains: the first `count` entries of a seeded permutation of
 * `0 … n−1` (so `--points 10` explains the first 10 of the points `--points 200` explains).
 */
export function explainedRows(n: number, count: number, seed: number): number[] {
  return Array.from(seededPermutation(n, seed).subarray(0, Math.min(count, n)));
}

/** Row `row` of a row-major `n × d` Float32 matrix as a float64 vector. */
export function rowVector(x: Float32Array, row: number, d: number): Float64Array {
  return Float64Array.from(x.subarray(row * d, (row + 1) * d));
}
