/** A batch of points or gradients: `n×dim`, row-major. */
export type PointBatch = Float32Array | Float64Array;

/** What a {@link ValueOracle} returns for `n` points: one value of the scalar function per point. */
export interface ValueBatch {
  /** `values[i] = f(points[i])`, length `n`. */
  readonly values: Float64Array;
}

/** What a {@link GradientOracle} returns for `n` points: values and input gradients of one scalar function. */
export interface GradientBatch extends ValueBatch {
  /** `gradients[i*dim + j] = ∂f/∂x_j (points[i])`, row-major `n×dim`. */
  readonly gradients: Float32Array | Float64Array;
}

/**
 * A zeroth-order oracle: evaluates one scalar function `f : ℝ^dim → ℝ` on a batch of points.
 *
 * Implementations may be synchronous or asynchronous (a GPU backend, a worker pool, a remote model).
 */
export interface ValueOracle {
  /** Input dimension `d`. */
  readonly dim: number;
  /**
   * Evaluate `f` at `n` points.
   * @param points - row-major `n×dim` batch; the oracle must not keep or modify it.
   * @param n - number of points in the batch.
   */
  evaluate(points: PointBatch, n: number): ValueBatch | Promise<ValueBatch>;
  /** Largest batch the oracle wants at once; wrappers split larger requests. Optional hint. */
  readonly maxBatchSize?: number;
  /** Release resources (tensors, workers). Optional. */
  dispose?(): void | Promise<void>;
}

/**
 * A first-order oracle: evaluates one scalar function `f : ℝ^dim → ℝ` and its input gradient on a batch.
 *
 * This is the only thing the estimators in `@smoothhess/stein` need from a model. Any backend (tfjs, a float64
 * reference network, a user's own code) plugs in by implementing it. A `GradientOracle` is also a
 * {@link ValueOracle}.
 *
 * @example
 * ```ts
 * const quadratic: GradientOracle = {
 *   dim: 2,
 *   evaluate(points, n) {
 *     const values = new Float64Array(n), gradients = new Float64Array(2 * n);
 *     for (let i = 0; i < n; i++) {
 *       const x = points[2 * i], y = points[2 * i + 1];
 *       values[i] = x * y;
 *       gradients[2 * i] = y;
 *       gradients[2 * i + 1] = x;
 *     }
 *     return { values, gradients };
 *   },
 * };
 * ```
 */
export interface GradientOracle extends ValueOracle {
  /**
   * Evaluate `f` and `∇f` at `n` points.
   * @param points - row-major `n×dim` batch; the oracle must not keep or modify it.
   * @param n - number of points in the batch.
   */
  evaluate(points: PointBatch, n: number): GradientBatch | Promise<GradientBatch>;
}

/** True when `value` looks like a {@link ValueOracle} (has a positive integer `dim` and an `evaluate` method). */
export function isOracle(value: unknown): value is ValueOracle {
  const o = value as ValueOracle | null;
  return (
    typeof o === "object" && o !== null && typeof o.evaluate === "function" &&
    typeof o.dim === "number" && Number.isInteger(o.dim) && o.dim >= 1
  );
}

/** A {@link GradientOracle} that answers synchronously (the float64 reference oracles do). */
export interface SyncGradientOracle extends GradientOracle {
  evaluate(points: PointBatch, n: number): GradientBatch;
}
