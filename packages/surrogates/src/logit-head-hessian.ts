import { InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import { makeLowRank, type LowRankHessian } from "./low-rank-hessian.js";
import { thenMaybe } from "./maybe-promise.js";
import { headDerivatives } from "./output-head.js";
import type { ReferenceModel } from "./reference-model.js";
import type { LogitJacobian, SecondOrderModel } from "./second-order-model.js";
import { activationLabel } from "./surrogate-activation.js";

/** Value, gradient and factored Hessian of a function of the logits of a ReLU network at one point. */
export interface LogitHeadHessian {
  /** The function's value at x₀. */
  readonly value: number;
  /** Its input gradient `W ∇h` (length d). */
  readonly gradient: Float64Array;
  /** Its input Hessian `W ∇²h Wᵀ`, with `W` the transposed logit Jacobian (`d×c`). */
  readonly hessian: LowRankHessian;
  /** The logits at x₀. */
  readonly logits: Float64Array;
}

/**
 * The exact input Hessian of the **cross-entropy loss** of a ReLU network at x₀, in the closed form of CASO
 * Prop. 1: `H = W (diag(p) − ppᵀ) Wᵀ`, with `W` (`d×c`) the transposed Jacobian of the logits and `p` the SoftMax
 * probabilities, kept factored (`hessian.w`, `hessian.middle`); also the loss `−log p_y` and its gradient
 * `W(p − e_y)` (CASO Eq. 14). Exact because a ReLU network is affine around almost every x₀.
 *
 * Accurate for confident predictions too (`p_y` rounding to 1, margins above ~37 in float64): the loss is
 * `log1p(Σ_{j≠y} e^{z_j − z_y})` from label-shifted logits rather than `logsumexp(z) − z_y` (which rounds to 0), the
 * label's entry of `p − e_y` is `−Σ_{j≠y} p_j` rather than `p_y − 1` (which rounds to 0 and would drop `−∇z_y` from
 * the gradient), and the diagonal `p_i(1 − p_i)` of the middle factor is `p_i Σ_{k≠i} p_k` where `p_i > ½`; every
 * entry keeps its relative precision (see `headDerivatives`).
 *
 * Costs c backward passes; `hessian.eigen()` gives the eigenpairs through the c×c factor (CASO App. C).
 *
 * @param model - the ReLU model (`surrogates.original`, or `referenceModel` of a ReLU `DenseNetwork`).
 * @param x0 - the point, length d.
 * @param label - the class y of the loss, `0 ≤ y < c`.
 * @throws {@link InvalidArgumentError} when `model` is not piecewise linear (a surrogate's loss has curvature this
 *   formula leaves out: use `model.hessians(x0, 1, { crossEntropy: y })` there), for a bad `label` or `x0`.
 * @example
 * ```ts
 * const { hessian, gradient } = crossEntropyHessian(net.original, x0, 7);
 * const top = hessian.eigen({ k: 1 });   // CASO Thm. 4: close to rank one when p_y ≈ 1
 * ```
 */
export function crossEntropyHessian(model: ReferenceModel, x0: ArrayLike<number>, label: number): LogitHeadHessian;
export function crossEntropyHessian(
  model: SecondOrderModel,
  x0: ArrayLike<number>,
  label: number,
): LogitHeadHessian | Promise<LogitHeadHessian>;
export function crossEntropyHessian(
  model: SecondOrderModel,
  x0: ArrayLike<number>,
  label: number,
): LogitHeadHessian | Promise<LogitHeadHessian> {
  return logitHeadHessian(model, x0, "crossEntropy", checkInteger("label", label, 0, model.outputDim - 1));
}

/**
 * The exact ("vanilla") input Hessian of the **SoftMax probability** of class k of a ReLU network at x₀ — the
 * "H + G" competitor of the SmoothHess paper (Table 8) — kept factored:
 * `H = W · p_k[(e_k − p)(e_k − p)ᵀ − diag(p) + ppᵀ] · Wᵀ` with `W` the transposed logit Jacobian; also `p_k` and its
 * gradient `W p_k(e_k − p)`. The middle factor is indefinite, so `hessian.eigen()` reports both signs.
 *
 * Accurate for confident predictions too (`p_k` rounding to 1, margins above ~37 in float64): `1 − p_k` is
 * `Σ_{j≠k} p_j` from class-shifted logits, so the k-th seed entry `p_k(1 − p_k)` does not round to 0 (which would drop
 * `∇z_k` from the gradient), and every entry of the middle factor is a product of `p_k`, `1 − p_k`, `p_j` and
 * `2p_k − 1` or `1 − 2p_i` (see `headDerivatives`); every entry keeps its relative precision, and nothing overflows.
 *
 * @param model - the ReLU model.
 * @param x0 - the point, length d.
 * @param k - the class, `0 ≤ k < c`.
 * @throws {@link InvalidArgumentError} when `model` is not piecewise linear, for a bad `k` or `x0`.
 */
export function softmaxHessian(model: ReferenceModel, x0: ArrayLike<number>, k: number): LogitHeadHessian;
export function softmaxHessian(
  model: SecondOrderModel,
  x0: ArrayLike<number>,
  k: number,
): LogitHeadHessian | Promise<LogitHeadHessian>;
export function softmaxHessian(
  model: SecondOrderModel,
  x0: ArrayLike<number>,
  k: number,
): LogitHeadHessian | Promise<LogitHeadHessian> {
  return logitHeadHessian(model, x0, "softmax", checkInteger("k", k, 0, model.outputDim - 1));
}

function logitHeadHessian(
  model: SecondOrderModel,
  x0: ArrayLike<number>,
  kind: "softmax" | "crossEntropy",
  unit: number,
): LogitHeadHessian | Promise<LogitHeadHessian> {
  if (model?.activation?.name !== "relu") {
    throw new InvalidArgumentError(
      "model",
      "a piecewise-linear (ReLU) model: the closed form W·∇²h·Wᵀ omits the curvature of smooth activations",
      described(`a model with activation ${model?.activation ? activationLabel(model.activation) : "unknown"}`),
    );
  }
  const d = model.dim;
  checkFiniteArray("x0", x0, d);
  return thenMaybe(model.logitJacobian(x0), (lj: LogitJacobian) => {
    const c = lj.logits.length;
    const head = headDerivatives(kind, unit, lj.logits);
    const w = new Float64Array(d * c); // Jᵀ
    const gradient = new Float64Array(d);
    for (let i = 0; i < c; i++) {
      const s = head.seed[i];
      const row = i * d;
      for (let j = 0; j < d; j++) {
        const v = lj.jacobian[row + j];
        w[j * c + i] = v;
        gradient[j] += s * v;
      }
    }
    return { value: head.value, gradient, hessian: makeLowRank(w, head.curvature as Float64Array, d, c), logits: lj.logits };
  });
}
