import type { ValueOracle } from "@smoothhess/oracle";
import { valueUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";
import { VectorMoments } from "./vector-moments.js";

/** What {@link zerothOrderSmoothGrad} returns. */
export interface ZerothOrderGradResult {
  /** Input dimension d. */
  readonly dim: number;
  /** (1/n) Σᵢ Σ⁻¹δᵢ f(x₀+δᵢ) (paper Eq. 3): an estimate of the SmoothGrad ∇(f ∗ q_Σ)(x₀) from values only. */
  readonly gradient: Float64Array;
  /** Value evaluations at perturbed points. */
  readonly samples: number;
  /** Points the oracle evaluated in all. */
  readonly oracleCalls: number;
  /** Standard error of each coordinate of `gradient`. */
  readonly standardError: { readonly gradient: Float64Array };
}

/**
 * The zeroth-order Stein gradient (paper Eq. 3, Stein's lemma): SmoothGrad estimated from function values alone,
 * for models that cannot return gradients. With antithetic pairs (default) each pair contributes
 * Σ⁻¹δ·(f(x₀+δ) − f(x₀−δ))/2; without them, set `controlVariate: true` to subtract f(x₀), which removes the
 * variance that the constant part of f otherwise adds.
 *
 * @throws the same typed errors as `smoothHess`.
 */
export async function zerothOrderSmoothGrad(
  oracle: ValueOracle,
  x0: ArrayLike<number>,
  options: SteinOptions,
): Promise<ZerothOrderGradResult> {
  const resolved = resolveSteinOptions(oracle, x0, options);
  const d = resolved.x0.length;
  const moments = new VectorMoments(d);
  const summary: PassSummary = { oracleCalls: 0 };
  let terms = new Float64Array(0);
  for await (const block of valueUnitBlocks(oracle, resolved, "zerothOrderSmoothGrad", summary)) {
    const m = block.units;
    if (terms.length < m * d) terms = new Float64Array(m * d);
    for (let u = 0; u < m; u++) for (let i = 0; i < d; i++) terms[u * d + i] = block.odd[u] * block.white[u * d + i];
    moments.addRows(terms, m);
  }
  return {
    dim: d,
    gradient: moments.mean(),
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
    standardError: { gradient: moments.standardError() },
  };
}
