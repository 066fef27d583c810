import type { GradientOracle, PointBatch, ValueOracle } from "./gradient-oracle.js";

/** An oracle that counts its use; see {@link countingOracle}. */
export interface CountingOracle<O extends ValueOracle> extends ValueOracle {
  /** Points evaluated so far (the sum of `n` over all calls). */
  readonly pointsEvaluated: number;
  /** Calls made so far. */
  readonly calls: number;
  /** Set both counters back to zero. */
  reset(): void;
  /** The wrapped oracle's `evaluate`. */
  evaluate: O["evaluate"];
}

/**
 * Wrap an oracle so that it counts the points it evaluates and the calls made, e.g. to compare estimators at
 * equal cost or to report the cost of an explanation.
 */
export function countingOracle<O extends ValueOracle>(oracle: O): CountingOracle<O> & (O extends GradientOracle ? GradientOracle : ValueOracle) {
  let points = 0;
  let calls = 0;
  const wrapper = {
    dim: oracle.dim,
    maxBatchSize: oracle.maxBatchSize,
    dispose: oracle.dispose ? () => oracle.dispose!() : undefined,
    get pointsEvaluated() {
      return points;
    },
    get calls() {
      return calls;
    },
    reset() {
      points = 0;
      calls = 0;
    },
    evaluate(batch: PointBatch, n: number) {
      points += n;
      calls += 1;
      return oracle.evaluate(batch, n);
    },
  };
  return wrapper as unknown as CountingOracle<O> & (O extends GradientOracle ? GradientOracle : ValueOracle);
}
