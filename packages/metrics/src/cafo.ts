import { type LossDerivatives, casoObjective, resolveLoss, sparsityRatio } from "./loss-derivatives.js";
import { resolveLambda1, resolveLambda2 } from "./regularization-weights.js";

/** Options of {@link cafo}. */
export interface CafoOptions {
  /** `λ₁ ≥ 0` (default 0). */
  readonly lambda1?: number;
  /**
   * `λ₂ > 0`. Default: `L/2 + margin` as for CASO (the paper uses the same `λ₂` for both), which needs
   * `loss.hessian` or `loss.largestEigenvalue`.
   */
  readonly lambda2?: number;
  /** `c₁ > 0` of the default `λ₂` (default 10). */
  readonly margin?: number;
}

/** What {@link cafo} returns. */
export interface CafoResult {
  /** The explanation `Δ*`, length `d`. */
  readonly explanation: Float64Array;
  /** The CAFO objective `gᵀΔ* − λ₁‖Δ*‖₁ − λ₂‖Δ*‖²` (≥ 0). */
  readonly objective: number;
  /** The L1 weight `λ₁` used. */
  readonly lambda1: number;
  /** The L2 weight `λ₂` used. */
  readonly lambda2: number;
  /** Sparsity ratio `η`: the fraction of exactly-zero entries. */
  readonly sparsity: number;
}

/**
 * The **CAFO** explanation (Context-Aware First-Order; Singla et al. 2019, Def. 2, Eq. 3):
 *
 * `Δ* = argmax_Δ ∇ₓℓᵀΔ − λ₁‖Δ‖₁ − λ₂‖Δ‖₂²`.
 *
 * The objective separates over coordinates, so it is solved **in closed form** (no iterations):
 * `Δ*ᵢ = sign(gᵢ)·max(|gᵢ| − λ₁, 0) / (2λ₂)` — the soft-thresholded gradient, `g/(2λ₂)` when `λ₁ = 0` (their
 * App. A.5). It is the fixed point of the proximal iteration {@link caso} runs, with `H = 0`.
 *
 * @throws {@link InvalidArgumentError} for a malformed gradient or Hessian, `λ₁ < 0`, `λ₂ ≤ 0`, or no `λ₂` and
 *   no way to derive it.
 */
export function cafo(loss: LossDerivatives, options: CafoOptions = {}): CafoResult {
  // L is needed only to derive λ₂; an explicit λ₂ > 0 is always admissible (no Hessian term to dominate)
  const resolved = resolveLoss(loss, options?.lambda2 === undefined);
  const lambda1 = resolveLambda1(options.lambda1);
  const lambda2 = resolveLambda2(options, options.lambda2 === undefined ? resolved.largestEigenvalue : undefined, "CAFO");
  const g = resolved.gradient;
  const explanation = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const shrunk = Math.abs(g[i]) - lambda1;
    explanation[i] = shrunk > 0 ? (Math.sign(g[i]) * shrunk) / (2 * lambda2) : 0;
  }
  return {
    explanation,
    objective: casoObjective(g, explanation, undefined, lambda1, lambda2),
    lambda1,
    lambda2,
    sparsity: sparsityRatio(explanation),
  };
}
