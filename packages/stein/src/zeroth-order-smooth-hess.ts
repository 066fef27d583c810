import { addTransposedProduct, symmetrizeInPlace } from "@smoothhess/linalg";
import type { ValueOracle } from "@smoothhess/oracle";
import { valueUnitBlocks, type PassSummary } from "./gradient-pass.js";
import { resolveSteinOptions, type SteinOptions } from "./stein-options.js";
import { ScalarMoments } from "./scalar-moments.js";
import { VectorMoments } from "./vector-moments.js";

/** What {@link zerothOrderSmoothHess} returns. */
export interface ZerothOrderHessResult {
  /** Input dimension d. */
  readonly dim: number;
  /** (1/n) Σᵢ (f(x₀+δᵢ) − f(x₀)) (Σ⁻¹δᵢδᵢᵀΣ⁻¹ − Σ⁻¹): SmoothHess from values only, row-major d×d. */
  readonly hessian: Float64Array;
  /** The zeroth-order SmoothGrad from the same values (as `zerothOrderSmoothGrad`). */
  readonly gradient: Float64Array;
  /** Mean of f over the perturbed points. */
  readonly smoothedValue: number;
  /** Value evaluations at perturbed points. */
  readonly samples: number;
  /** Points the oracle evaluated in all. */
  readonly oracleCalls: number;
  /** Standard errors: per gradient coordinate, and the RMS Frobenius error of the Hessian. */
  readonly standardError: { readonly gradient: Float64Array; readonly hessianFrobenius: number };
}

/**
 * The zeroth-order Stein Hessian: by the second-order Stein identity,
 * ∇²(f ∗ q_Σ)(x₀) = E[(f(x₀+δ) − c)(Σ⁻¹δδᵀΣ⁻¹ − Σ⁻¹)] for any constant c, so SmoothHess can be estimated from
 * function values alone. Its variance is far larger than the first-order estimator's (it grows like d²/n rather
 * than d/n); use it only for models without gradients.
 *
 * Unlike the first-order estimators, the control variate (c = f(x₀), one extra call) does **not** cancel under
 * antithetic pairs here and removes most of the variance, so it defaults to `true`.
 *
 * @throws the same typed errors as `smoothHess`.
 */
export async function zerothOrderSmoothHess(
  oracle: ValueOracle,
  x0: ArrayLike<number>,
  options: SteinOptions,
): Promise<ZerothOrderHessResult> {
  const resolved = resolveSteinOptions(oracle, x0, options, { controlVariate: true });
  const { sigma } = resolved;
  const d = resolved.x0.length;
  const sum = new Float64Array(d * d);
  const gradient = new VectorMoments(d);
  const values = new ScalarMoments();
  const even = new ScalarMoments();
  const summary: PassSummary = { oracleCalls: 0 };
  let scaled = new Float64Array(0), terms = new Float64Array(0);
  const precision = denseInverse(sigma, d);
  let precisionNorm = 0;
  for (let k = 0; k < d * d; k++) precisionNorm += precision[k] * precision[k];
  const whitePrecision = new Float64Array(d);
  let frobeniusSquares = 0;
  for await (const block of valueUnitBlocks(oracle, resolved, "zerothOrderSmoothHess", summary)) {
    const m = block.units;
    if (scaled.length < m * d) {
      scaled = new Float64Array(m * d);
      terms = new Float64Array(m * d);
    }
    for (let u = 0; u < m; u++) {
      const w = block.white.subarray(u * d, (u + 1) * d);
      let ww = 0;
      for (let i = 0; i < d; i++) {
        scaled[u * d + i] = block.even[u] * w[i];
        terms[u * d + i] = block.odd[u] * w[i];
        ww += w[i] * w[i];
      }
      // ‖e(wwᵀ − Σ⁻¹)‖²_F = e²(‖w‖⁴ − 2 wᵀΣ⁻¹w + ‖Σ⁻¹‖²_F)
      sigma.applyInverse(w, whitePrecision);
      let wpw = 0;
      for (let i = 0; i < d; i++) wpw += w[i] * whitePrecision[i];
      frobeniusSquares += block.even[u] ** 2 * (ww * ww - 2 * wpw + precisionNorm);
    }
    addTransposedProduct(sum, scaled, block.white, m, d, d);
    gradient.addRows(terms, m);
    values.addAll(block.values);
    even.addAll(block.even);
  }
  const units = resolved.units;
  const meanEven = even.mean();
  for (let k = 0; k < d * d; k++) sum[k] = sum[k] / units - meanEven * precision[k];
  const hessian = symmetrizeInPlace(sum, d);
  let norm = 0;
  for (let k = 0; k < d * d; k++) norm += hessian[k] * hessian[k];
  return {
    dim: d,
    hessian,
    gradient: gradient.mean(),
    smoothedValue: values.mean(),
    samples: resolved.samples,
    oracleCalls: summary.oracleCalls,
    standardError: {
      gradient: gradient.standardError(),
      hessianFrobenius: units > 1 ? Math.sqrt(Math.max(frobeniusSquares - units * norm, 0) / (units - 1) / units) : Number.NaN,
    },
  };
}

/** Σ⁻¹ as a dense matrix, column by column through `applyInverse` (solves, never an explicit inversion). */
function denseInverse(sigma: { applyInverse(v: ArrayLike<number>, out?: Float64Array): Float64Array }, d: number): Float64Array {
  const out = new Float64Array(d * d);
  const e = new Float64Array(d);
  const column = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    sigma.applyInverse(e, column);
    for (let i = 0; i < d; i++) out[i * d + j] = column[i];
  }
  return out;
}
