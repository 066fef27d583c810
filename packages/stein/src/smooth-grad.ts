import type { GradientOracle } from "@smoothhess/oracle";
import { gradientUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { ScalarMoments } from "./scalar-moments.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";
import { VectorMoments } from "./vector-moments.js";

/** What {@link smoothGrad} returns. */
export interface SmoothGradResult {
  /** Input dimension d. */
  readonly dim: number;
  /** SmoothGrad: (1/n) Σᵢ ∇f(x₀+δᵢ), an estimate of ∇(f ∗ q_Σ)(x₀). */
  readonly gradient: Float64Array;
  /** Mean of f over the same perturbed points. */
  readonly smoothedValue: number;
  /** Gradient evaluations at perturbed points. */
  readonly samples: number;
  /** Points the oracle evaluated in all. */
  readonly oracleCalls: number;
  /** Standard errors of `gradient` (per coordinate) and `smoothedValue`. */
  readonly standardError: { readonly gradient: Float64Array; readonly smoothedValue: number };
}

/**
 * **SmoothGrad** (Smilkov et al. 2017): the average input gradient over Gaussian perturbations, at O(n·d) cost
 * beyond the oracle calls. Use {@link smoothHess} when the Hessian is wanted too: it returns the same SmoothGrad
 * from the same gradients.
 *
 * The control variate option has no effect on SmoothGrad and is ignored.
 *
 * @throws the same typed errors as {@link smoothHess}.
 */
export async function smoothGrad(oracle: GradientOracle, x0: ArrayLike<number>, options: SteinOptions): Promise<SmoothGradResult> {
  const resolved = resolveSteinOptions(oracle, x0, { ...options, controlVariate: false });
  const d = resolved.x0.length;
  const gradient = new VectorMoments(d);
  const values = new ScalarMoments();
  const summary: PassSummary = { oracleCalls: 0 };
  for await (const block of gradientUnitBlocks(oracle, resolved, "smoothGrad", summary, gradient)) {
    values.addAll(block.values);
  }
  return {
    dim: d,
    gradient: gradient.mean(),
    smoothedValue: values.mean(),
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
    standardError: { gradient: gradient.standardError(), smoothedValue: values.standardError() },
  };
}
