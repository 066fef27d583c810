import type { GradientOracle } from "@smoothhess/oracle";
import { factoredHessian, type FactoredHessian } from "./factored-hessian.js";
import { gradientUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { ScalarMoments } from "./scalar-moments.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";
import { VectorMoments } from "./vector-moments.js";

/** What {@link smoothHessFactored} returns. */
export interface SmoothHessFactoredResult {
  /** Input dimension d. */
  readonly dim: number;
  /**
   * SmoothHess as `sym(AᵀB)/m`: A holds Σ⁻¹δ per Monte-Carlo unit, B the matching gradient term, m the number of
   * units (sample pairs when antithetic). Exactly the matrix {@link smoothHess} would return for the same options.
   */
  readonly hessian: FactoredHessian;
  /** SmoothGrad from the same gradients. */
  readonly gradient: Float64Array;
  /** Mean of f over the same perturbed points. */
  readonly smoothedValue: number;
  /** Gradient evaluations at perturbed points. */
  readonly samples: number;
  /** Points the oracle evaluated in all. */
  readonly oracleCalls: number;
  /** Standard errors of `gradient` and `smoothedValue`. */
  readonly standardError: { readonly gradient: Float64Array; readonly smoothedValue: number };
}

/**
 * SmoothHess and SmoothGrad for large d, returning the Hessian in factored form `sym(AᵀB)/m` (two m×d
 * float64 factors, m = samples/2 with antithetic pairs) instead of a dense d×d matrix. Memory is 16·m·d bytes;
 * no d×d array is ever allocated. Use `hessian.matVec`, or `eigenFromFactors` from `@smoothhess/linalg` for its
 * eigenpairs.
 *
 * @throws the same typed errors as {@link smoothHess}.
 */
export async function smoothHessFactored(
  oracle: GradientOracle,
  x0: ArrayLike<number>,
  options: SteinOptions,
): Promise<SmoothHessFactoredResult> {
  const resolved = resolveSteinOptions(oracle, x0, options);
  const d = resolved.x0.length;
  const m = resolved.units;
  const left = new Float64Array(m * d);
  const right = new Float64Array(m * d);
  const gradient = new VectorMoments(d);
  const values = new ScalarMoments();
  const summary: PassSummary = { oracleCalls: 0 };
  let offset = 0;
  for await (const block of gradientUnitBlocks(oracle, resolved, "smoothHessFactored", summary, gradient)) {
    left.set(block.white, offset);
    right.set(block.diff, offset);
    offset += block.units * d;
    values.addAll(block.values);
  }
  return {
    dim: d,
    hessian: factoredHessian(left, right, m, d, 1 / m),
    gradient: gradient.mean(),
    smoothedValue: values.mean(),
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
    standardError: { gradient: gradient.standardError(), smoothedValue: values.standardError() },
  };
}
