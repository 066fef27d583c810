import { InvalidArgumentError, checkFiniteArray, described } from "@smoothhess/errors";
import { topEigen } from "@smoothhess/linalg";
import { type HessianInput, type ResolvedHessian, resolveHessian } from "./hessian-input.js";

/**
 * The derivatives of a loss at the explained point that CAFO and CASO need (CASO paper, Eq. 3 and 5). For a ReLU
 * network and the cross-entropy loss, `gradient = W(p − y)` and `hessian = W(diag(p) − ppᵀ)Wᵀ` with `W` the logits'
 * input Jacobian (their Prop. 1); any source plugs in: the closed form of the surrogates package, a
 * Hessian-vector product, or SmoothGrad/SmoothHess of the loss (Smooth-CASO, {@link smoothCaso}).
 */
export interface LossDerivatives {
  /** `∇ₓℓ`, length `d`. */
  readonly gradient: ArrayLike<number>;
  /** `Hₓ = ∇ₓ²ℓ`: a row-major symmetric `d×d` matrix, or an operator `{ matVec }` (e.g. a `FactoredHessian`). */
  readonly hessian?: HessianInput;
  /**
   * `L`, the largest eigenvalue of `Hₓ`, when known (e.g. from the closed form's small `c×c` problem). Otherwise it
   * is computed from `hessian` by Lanczos (`topEigen`).
   */
  readonly largestEigenvalue?: number;
}

/**
 * Checked loss derivatives with the largest eigenvalue resolved (when a Hessian or `largestEigenvalue` is given).
 * @internal
 */
export interface ResolvedLoss {
  readonly gradient: Float64Array;
  readonly hessian?: ResolvedHessian;
  readonly largestEigenvalue?: number;
}

/**
 * Validate {@link LossDerivatives}; compute `L` by Lanczos when a Hessian is given without it (and
 * `computeLargest` is true).
 * @internal
 */
export function resolveLoss(loss: LossDerivatives, computeLargest = true): ResolvedLoss {
  if (typeof loss !== "object" || loss === null) {
    throw new InvalidArgumentError("loss", "an object { gradient, hessian?, largestEigenvalue? }", loss);
  }
  const gradient = Float64Array.from(checkFiniteArray("loss.gradient", loss.gradient));
  const d = gradient.length;
  if (d === 0) throw new InvalidArgumentError("loss.gradient", "a non-empty array", described("length 0"));
  const hessian = loss.hessian === undefined ? undefined : resolveHessian("loss.hessian", loss.hessian, d);
  let largestEigenvalue = loss.largestEigenvalue;
  if (largestEigenvalue !== undefined) {
    if (typeof largestEigenvalue !== "number" || !Number.isFinite(largestEigenvalue)) {
      throw new InvalidArgumentError("loss.largestEigenvalue", "a finite number", largestEigenvalue);
    }
  } else if (hessian && computeLargest) {
    const buffer = new Float64Array(d);
    const top = topEigen((v) => hessian.matVec(v, buffer).slice(), d, 1, { order: "descending" });
    largestEigenvalue = top.values[0];
  }
  return { gradient, hessian, largestEigenvalue };
}

/** Fraction of exact zeros in `v` (the CASO paper's sparsity ratio η). @internal */
export function sparsityRatio(v: Float64Array): number {
  let zeros = 0;
  for (let i = 0; i < v.length; i++) if (v[i] === 0) zeros++;
  return zeros / v.length;
}

/** `gᵀΔ + ½ΔᵀHΔ − λ₁‖Δ‖₁ − λ₂‖Δ‖²` (the CASO objective ℓ̃; CAFO without H). @internal */
export function casoObjective(g: Float64Array, delta: Float64Array, hDelta: Float64Array | undefined, lambda1: number, lambda2: number): number {
  let lin = 0, quad = 0, sq = 0, l1 = 0;
  for (let i = 0; i < g.length; i++) {
    lin += g[i] * delta[i];
    if (hDelta) quad += delta[i] * hDelta[i];
    sq += delta[i] * delta[i];
    l1 += Math.abs(delta[i]);
  }
  return lin + 0.5 * quad - lambda1 * l1 - lambda2 * sq;
}
