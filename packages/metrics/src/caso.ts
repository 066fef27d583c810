import { InvalidArgumentError, checkInteger, checkNumberInRange, checkPositive, described } from "@smoothhess/errors";
import { type LossDerivatives, casoObjective, resolveLoss, sparsityRatio } from "./loss-derivatives.js";
import { proximalGradient } from "./proximal-gradient.js";
import { resolveLambda1, resolveLambda2 } from "./regularization-weights.js";

/** Options of {@link caso}. */
export interface CasoOptions {
  /** `λ₁ ≥ 0`, the L1 (group-feature sparsity) weight (default 0). */
  readonly lambda1?: number;
  /** `λ₂ > L/2`, the L2 weight (default `L/2 + margin`, the paper's rule, see {@link casoLambda2}). */
  readonly lambda2?: number;
  /** `c₁ > 0` in `λ₂ = L/2 + c₁` (default 10, as in the paper). Ignored when `lambda2` is given. */
  readonly margin?: number;
  /** Iteration budget (default 1000). The paper ran 10 iterations; set `maxIterations: 10` to reproduce that. */
  readonly maxIterations?: number;
  /** Stop when the proximal-gradient step `‖z − y‖ ≤ tolerance·‖z‖` (default 1e-12). */
  readonly tolerance?: number;
  /**
   * Initial step size `α` of the backtracking (default `1/(2λ₂)`, always accepted for a positive semidefinite `H`;
   * the paper used 0.1).
   */
  readonly stepSize?: number;
  /** Backtracking factor in `(0, 1)` (default 0.5, as in the paper). */
  readonly decay?: number;
}

/** What {@link caso} returns. */
export interface CasoResult {
  /** The explanation `Δ*` (length `d`): visualise `|Δ*|`. */
  readonly explanation: Float64Array;
  /** The CASO objective `ℓ̃(Δ*) = gᵀΔ + ½ΔᵀHΔ − λ₁‖Δ‖₁ − λ₂‖Δ‖²` at the solution (≥ 0 = ℓ̃(0)). */
  readonly objective: number;
  /** `ℓ̃` after every iteration, starting with `ℓ̃(0) = 0`: non-decreasing. */
  readonly objectiveHistory: Float64Array;
  /** The L1 weight `λ₁` used. */
  readonly lambda1: number;
  /** The L2 weight `λ₂` used (pass it to {@link cafo} to compare the two as the CASO paper does). */
  readonly lambda2: number;
  /** `L`, the largest eigenvalue of `H` (given or computed). */
  readonly largestEigenvalue: number;
  /** Sparsity ratio `η`: the fraction of exactly-zero entries of `Δ*` (CASO paper Sec. 4.1). */
  readonly sparsity: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Whether the tolerance was met within `maxIterations`. */
  readonly converged: boolean;
  /** The step size the backtracking ended with. */
  readonly stepSize: number;
}

/**
 * The **CASO** explanation (Context-Aware Second-Order; Singla et al. 2019, Def. 3, Eq. 5):
 *
 * `Δ* = argmax_Δ ∇ₓℓᵀΔ + ½ ΔᵀHₓΔ − λ₁‖Δ‖₁ − λ₂‖Δ‖₂²`,
 *
 * the perturbation that most increases the second-order model of the loss under an L1 (sparsity, group-feature)
 * and an L2 penalty. With `λ₂ > L/2` (Theorem 3; default `λ₂ = L/2 + 10` as in the paper) the objective is strongly
 * concave, and it is solved by proximal gradient with Nesterov momentum (FISTA, their Sec. 4) — here the monotone
 * variant with backtracking and restart, so the objective increases at every iteration — using the gradient of
 * Eq. 7, `∇ℓ + HΔ − 2λ₂Δ`, and soft-thresholding for the L1 term. With `λ₁ = 0` the solution is
 * `(2λ₂I − H)⁻¹∇ℓ` (their App. A.5).
 *
 * `H` enters only through products `Hv`, so a factored or implicit Hessian (`{ matVec }`) never forms `d×d`.
 *
 * @param loss - `gradient`, `hessian` (required here) and optionally `largestEigenvalue`; see {@link LossDerivatives}.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for malformed derivatives, a missing
 *   Hessian, `λ₁ < 0`, `λ₂ ≤ 0` or `λ₂ ≤ L/2`, `margin ≤ 0`, or bad iteration settings; `ConvergenceError` if the
 *   backtracking cannot find a step (only for a non-symmetric operator).
 *
 * @example
 * ```ts
 * const { explanation, sparsity } = caso({ gradient: lossGradient, hessian: lossHessian }, { lambda1: 1e-3 });
 * ```
 */
export function caso(loss: LossDerivatives, options: CasoOptions = {}): CasoResult {
  if (typeof loss === "object" && loss !== null && loss.hessian === undefined) {
    throw new InvalidArgumentError("loss.hessian", "the loss Hessian (a d×d matrix or { matVec }); for a first-order explanation use cafo()", undefined);
  }
  const resolved = resolveLoss(loss);
  const hessian = resolved.hessian!;
  const largestEigenvalue = resolved.largestEigenvalue!;
  const lambda1 = resolveLambda1(options.lambda1);
  const lambda2 = resolveLambda2(options, largestEigenvalue, "CASO");
  const maxIterations = checkInteger("options.maxIterations", options.maxIterations ?? 1000, 1);
  const tolerance = options.tolerance === undefined ? 1e-12 : checkNumberInRange("options.tolerance", options.tolerance, 0, 1);
  const stepSize = options.stepSize === undefined ? 1 / (2 * lambda2) : checkPositive("options.stepSize", options.stepSize);
  const decay = options.decay === undefined ? 0.5 : checkNumberInRange("options.decay", options.decay, 0, 1, { min: true, max: true });
  if (!Number.isFinite(stepSize)) throw new InvalidArgumentError("options.stepSize", "a finite step size", described(`${stepSize}`));

  const result = proximalGradient(
    { gradient: resolved.gradient, matVec: (v, out) => hessian.matVec(v, out), lambda1, lambda2 },
    { maxIterations, tolerance, stepSize, decay },
  );
  const explanation = result.solution;
  const hDelta = hessian.matVec(explanation, new Float64Array(explanation.length));
  return {
    explanation,
    objective: casoObjective(resolved.gradient, explanation, hDelta, lambda1, lambda2),
    objectiveHistory: result.history,
    lambda1,
    lambda2,
    largestEigenvalue,
    sparsity: sparsityRatio(explanation),
    iterations: result.iterations,
    converged: result.converged,
    stepSize: result.stepSize,
  };
}
