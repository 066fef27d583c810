import { InvalidArgumentError, checkNumberInRange, checkPositive } from "@smoothhess/errors";
import { normalCdf, normalPdf } from "@smoothhess/oracle";

/*
 * Lipschitz bounds of Gaussian-smoothed explanations under Σ = σ²I, with σ the standard deviation. Write
 * f_σ = f ∗ N(0, σ²I), w ~ N(0, σ²I), g = w/σ ~ N(0, I). Differentiating the Gaussian density in its mean
 * (Stein's lemma) moves derivatives from f onto Hermite polynomials of g:
 *
 *   SmoothGrad  ∇f_σ(x)  = E ∇f(x + w)                         = E[f(x + w) g]/σ
 *   SmoothHess  ∇²f_σ(x) = E[∇f(x + w) gᵀ]/σ                   = E[f(x + w)(ggᵀ − I)]/σ²
 *   its change  ∂ᵤ∇²f_σ  = E[∇f(x + w) ⊗ (g(u·g) − u)]/σ²     = E[f(x + w) He₃(g)[·,·,u]]/σ³
 *
 * With ‖∇f‖₂ ≤ G (or |f − c| ≤ F for some constant c) the norm of each derivative is at most G (or F) times
 * E|Hermite polynomial| in the worst unit directions, divided by the power of σ. The constants below are those
 * expectations; each is attained by a one-dimensional piecewise-linear function (a ReLU network with ≤ 3 units),
 * so none can be lowered. The metrics README has the derivation.
 */

/** E|g| = √(2/π) ≈ 0.7979: SmoothGrad's Lipschitz constant per unit of sup‖∇f‖₂ / σ (sharp). */
export const SMOOTHGRAD_GRADIENT_CONSTANT = Math.sqrt(2 / Math.PI);

/**
 * ½: the constant Agarwal et al. (2021) state in Thm. 2 (`L = ∇f_max/(2σ)`). Their Lemma 5 writes
 * `∫|p − q| = d_TV`, but `d_TV = ½∫|p − q|`; the correct constant is {@link SMOOTHGRAD_GRADIENT_CONSTANT}, and
 * `f(y) = G|uᵀ(y − x)|` at `x` exceeds the stated bound by the factor √(2/π)/½ ≈ 1.596.
 */
export const AGARWAL_SMOOTHGRAD_CONSTANT = 0.5;

/** E|g² − 1| = 4φ(1) ≈ 0.9679: SmoothGrad's Lipschitz constant per unit of sup|f| / σ² (sharp). */
export const SMOOTHGRAD_VALUE_CONSTANT = 4 * normalPdf(1);

/** 2: the constant of Wang et al. (2020), Thm. 2 (`λ ≤ 2F/σ²`); valid, 2.07× the sharp {@link SMOOTHGRAD_VALUE_CONSTANT}. */
export const WANG_SMOOTHGRAD_CONSTANT = 2;

/**
 * max over unit a, u of E|(aᵀg)(uᵀg) − aᵀu| = E|g² − 1| = 4φ(1) ≈ 0.9679: SmoothHess's Lipschitz constant (spectral
 * norm) per unit of sup‖∇f‖₂ / σ² (sharp; the maximum is at a = u).
 */
export const SMOOTHHESS_GRADIENT_CONSTANT = 4 * normalPdf(1);

/**
 * max over unit a, u of E|He₃(g)[a, a, u]| = E|g³ − 3g| = 2φ(0) + 8φ(√3) ≈ 1.5100: SmoothHess's Lipschitz constant
 * (spectral norm) per unit of sup|f| / σ³ (sharp; the maximum over the angle between a and u is at a = u,
 * checked numerically in the tests).
 */
export const SMOOTHHESS_VALUE_CONSTANT = 2 * normalPdf(0) + 8 * normalPdf(Math.sqrt(3));

/** Which constant a paper bound uses: the sharp one proven here, or the one the paper states. */
export interface BoundConstantOption {
  /**
   * `"sharp"` (default): the smallest constant that holds for every f with the given bound (attained by a
   * constructed worst case). `"paper"`: the constant as the cited paper states it.
   */
  readonly constant?: "sharp" | "paper";
}

function constantOf(option: BoundConstantOption | undefined, sharp: number, paper: number): number {
  const c = option?.constant ?? "sharp";
  if (c !== "sharp" && c !== "paper") throw new InvalidArgumentError("options.constant", '"sharp" or "paper"', c);
  return c === "sharp" ? sharp : paper;
}

/**
 * Lipschitz constant (L2 → L2) of SmoothGrad — and of C-LIME in expectation, which equals it (Agarwal et al.
 * Thm. 1) — for a function whose gradient norm is at most `gradMax` everywhere:
 * `‖SG_σ(x) − SG_σ(x')‖₂ ≤ L‖x − x'‖₂` with `L = √(2/π)·gradMax/σ` (sharp).
 *
 * With `{ constant: "paper" }` it returns Agarwal et al.'s Thm. 2 value `gradMax/(2σ)`, which is **not** a valid
 * bound (see {@link AGARWAL_SMOOTHGRAD_CONSTANT}); it is offered to compare with the paper.
 *
 * @param gradMax - `sup‖∇f‖₂`, finite and ≥ 0.
 * @param sigma - the smoothing standard deviation σ > 0 (Σ = σ²I).
 * @throws {@link InvalidArgumentError} for `gradMax < 0`, `sigma ≤ 0`, non-finite input or an unknown constant.
 *
 * @example
 * ```ts
 * import { smoothGradLipschitzBound } from "@smoothhess/metrics";
 * smoothGradLipschitzBound(1, 0.1); // ≈ 7.98
 * smoothGradLipschitzBound(1, 0.1, { constant: "paper" }); // 5, as Agarwal et al. Thm. 2 states
 * ```
 */
export function smoothGradLipschitzBound(gradMax: number, sigma: number, options?: BoundConstantOption): number {
  checkNumberInRange("gradMax", gradMax, 0, Infinity, { max: true });
  checkPositive("sigma", sigma);
  return (constantOf(options, SMOOTHGRAD_GRADIENT_CONSTANT, AGARWAL_SMOOTHGRAD_CONSTANT) * gradMax) / sigma;
}

/**
 * The exact worst-case SmoothGrad change between two points at distance `distance`, for `‖∇f‖₂ ≤ gradMax`:
 * `‖SG_σ(x) − SG_σ(x')‖₂ ≤ 2·gradMax·(2Φ(‖x − x'‖/(2σ)) − 1)` — twice `gradMax` times the total-variation distance
 * of `N(x, σ²I)` and `N(x', σ²I)`. Never above {@link smoothGradLipschitzBound}`·distance` nor `2·gradMax`, and
 * tighter than both once `distance` is comparable to σ; attained by `f(y) = G|uᵀ(y − m)|` with m the midpoint.
 *
 * @throws {@link InvalidArgumentError} for negative or non-finite arguments, `sigma ≤ 0`.
 */
export function smoothGradDistanceBound(gradMax: number, sigma: number, distance: number): number {
  checkNumberInRange("gradMax", gradMax, 0, Infinity, { max: true });
  checkPositive("sigma", sigma);
  checkNumberInRange("distance", distance, 0, Infinity, { max: true });
  // 2Φ(t) − 1 = erf(t/√2); written with Φ(−t) to keep accuracy for small t
  const t = distance / (2 * sigma);
  return 2 * gradMax * (1 - 2 * normalCdf(-t));
}

/**
 * Robustness constant λ of SmoothGrad for a bounded function, `|f| ≤ valueMax` (Wang et al. 2020, Thm. 2):
 * `‖SG_σ(x) − SG_σ(x')‖₂ ≤ λ‖x − x'‖₂` with `λ = 4φ(1)·valueMax/σ² ≈ 0.968·valueMax/σ²` (sharp), or the paper's
 * `2·valueMax/σ²` with `{ constant: "paper" }` (valid, 2.07× looser).
 *
 * Since adding a constant to f does not change SmoothGrad, `valueMax` may be half the range,
 * `(sup f − inf f)/2` — for a probability, ½.
 *
 * @param valueMax - `sup|f − c|` for some constant c, finite and ≥ 0.
 * @param sigma - the smoothing standard deviation σ > 0.
 * @throws {@link InvalidArgumentError} for bad input.
 */
export function smoothGradRobustnessBound(valueMax: number, sigma: number, options?: BoundConstantOption): number {
  checkNumberInRange("valueMax", valueMax, 0, Infinity, { max: true });
  checkPositive("sigma", sigma);
  return (constantOf(options, SMOOTHGRAD_VALUE_CONSTANT, WANG_SMOOTHGRAD_CONSTANT) * valueMax) / (sigma * sigma);
}

/** What is known about f for {@link smoothHessLipschitzBound}: a bound on its gradient, or on its values. */
export type SmoothHessBoundInput = { readonly gradMax: number } | { readonly valueMax: number };

/**
 * Lipschitz constant (L2 → spectral norm) of SmoothHess under Σ = σ²I, derived here by Stein's lemma applied once
 * more (metrics README, "Robustness of SmoothHess"):
 *
 * - from `sup‖∇f‖₂ ≤ gradMax`: `‖H_σ(x) − H_σ(x')‖₂ ≤ 4φ(1)·gradMax/σ² · ‖x − x'‖₂` (4φ(1) ≈ 0.9679);
 * - from `sup|f − c| ≤ valueMax`: `‖H_σ(x) − H_σ(x')‖₂ ≤ (2φ(0) + 8φ(√3))·valueMax/σ³ · ‖x − x'‖₂` (≈ 1.5100).
 *
 * Both constants are sharp: `f(y) = G·ψ(uᵀ(y − x))` with ψ′ = sign(t² − σ²) (three ReLU units) attains the first
 * at x, and f = F·sign(He₃(uᵀ(y − x)/σ)) the second.
 *
 * @param bound - `{ gradMax }` or `{ valueMax }`, finite and ≥ 0.
 * @param sigma - the smoothing standard deviation σ > 0.
 * @throws {@link InvalidArgumentError} for a bound that is neither, negative or non-finite, or `sigma ≤ 0`.
 *
 * @example
 * ```ts
 * import { smoothHessLipschitzBound } from "@smoothhess/metrics";
 * smoothHessLipschitzBound({ gradMax: 2 }, 0.5); // 4φ(1)·2/0.25 ≈ 7.74
 * ```
 */
export function smoothHessLipschitzBound(bound: SmoothHessBoundInput, sigma: number): number {
  if (typeof bound !== "object" || bound === null) throw new InvalidArgumentError("bound", "{ gradMax } or { valueMax }", bound);
  checkPositive("sigma", sigma);
  const hasGrad = "gradMax" in bound, hasValue = "valueMax" in bound;
  if (hasGrad === hasValue) throw new InvalidArgumentError("bound", "exactly one of { gradMax } or { valueMax }", bound);
  if (hasGrad) {
    const g = checkNumberInRange("bound.gradMax", bound.gradMax, 0, Infinity, { max: true });
    return (SMOOTHHESS_GRADIENT_CONSTANT * g) / (sigma * sigma);
  }
  const f = checkNumberInRange("bound.valueMax", (bound as { valueMax: number }).valueMax, 0, Infinity, { max: true });
  return (SMOOTHHESS_VALUE_CONSTANT * f) / (sigma * sigma * sigma);
}

/**
 * Wang et al. (2020), Thm. 3: to first order, the saliency map moves by at most `radius · max|ξᵢ|` within the ball
 * of `radius`, ξ the eigenvalues of the input Hessian at x. A Taylor estimate, not a bound: for a ReLU network the
 * Hessian is 0 almost everywhere, and the saliency map jumps across activation boundaries instead.
 *
 * @param hessianSpectralNorm - `max|ξᵢ|` of the Hessian at x, ≥ 0.
 * @param radius - the radius δ ≥ 0.
 * @throws {@link InvalidArgumentError} for negative or non-finite input.
 */
export function saliencyTaylorBound(hessianSpectralNorm: number, radius: number): number {
  checkNumberInRange("hessianSpectralNorm", hessianSpectralNorm, 0, Infinity, { max: true });
  checkNumberInRange("radius", radius, 0, Infinity, { max: true });
  return hessianSpectralNorm * radius;
}
