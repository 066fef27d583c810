import type { GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { ModelActivation, SurrogateActivationInput } from "./surrogate-activation.js";
import type { SurrogateTarget } from "./surrogate-target.js";

/** Values, input gradients and exact input Hessians of one target at `n` points. */
export interface HessianBatch {
  /** Number of points. */
  readonly n: number;
  /** Input dimension. */
  readonly d: number;
  /** `values[p] = f(x_p)`. */
  readonly values: Float64Array;
  /** `gradients[p*d + j] = ∂f/∂x_j (x_p)`, row-major `n×d`. */
  readonly gradients: Float64Array;
  /** `hessians[p*d*d + i*d + j] = ∂²f/∂x_i∂x_j (x_p)`: `n` row-major `d×d` blocks, each exactly symmetric. */
  readonly hessians: Float64Array;
}

/** Hessian-vector products `H(x₀) v_r` for `k` directions, with the value and gradient at `x₀`. */
export interface HessianVectorProducts {
  /** `f(x₀)`. */
  readonly value: number;
  /** `∇f(x₀)`, length `d`. */
  readonly gradient: Float64Array;
  /** Row `r` is `H(x₀) v_r`: row-major `k×d`. */
  readonly products: Float64Array;
}

/** The logits at one point and their Jacobian. */
export interface LogitJacobian {
  /** Logits, length `c`. */
  readonly logits: Float64Array;
  /** Row `i` is `∇ₓ logit_i`: row-major `c×d`. */
  readonly jacobian: Float64Array;
}

/**
 * One network evaluated with one activation — the ReLU original or a smooth surrogate f_β — that answers exact
 * second-order questions about any {@link SurrogateTarget}.
 *
 * Methods may answer synchronously (the float64 reference) or with a promise (tfjs); `await` works for both.
 */
export interface SecondOrderModel {
  /** Input dimension d. */
  readonly dim: number;
  /** Number of logits c. */
  readonly outputDim: number;
  /** Units of hidden layer l at index l − 1 (the places where the activation is applied). */
  readonly hiddenSizes: readonly number[];
  /** The activation every hidden unit uses in this model. */
  readonly activation: ModelActivation;
  /**
   * A gradient oracle (the contract of `@smoothhess/oracle`) for `target`: values and exact input gradients.
   * @throws {@link InvalidArgumentError} for a target out of range.
   */
  oracle(target: SurrogateTarget): GradientOracle;
  /**
   * Values, gradients and exact `d×d` Hessians of `target` at `n` points (`points` is row-major `n×d`).
   * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a bad batch or target.
   */
  hessians(points: PointBatch, n: number, target: SurrogateTarget): HessianBatch | Promise<HessianBatch>;
  /**
   * `H(x₀) v` for `k` directions (`directions` is row-major `k×d`), without forming `H`: the route for large d.
   * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for bad arguments.
   */
  hessianVectorProducts(
    x0: ArrayLike<number>,
    directions: ArrayLike<number>,
    k: number,
    target: SurrogateTarget,
  ): HessianVectorProducts | Promise<HessianVectorProducts>;
  /** Logits at `x₀` and their input Jacobian (`c` backward passes). */
  logitJacobian(x0: ArrayLike<number>): LogitJacobian | Promise<LogitJacobian>;
}

/**
 * The capability "give me the smooth surrogate of this ReLU network": the same weights with every ReLU replaced
 * by SoftPlus_β, Swish_β or GELU. Implemented by {@link referenceSurrogates} (float64 `DenseNetwork`) and by
 * `tfjsSurrogates` (`@smoothhess/surrogates/tfjs`).
 *
 * `surrogate(activation)` is cheap by contract: it shares the weights and everything precomputed from them, so a
 * sweep over 100+ values of β rebuilds nothing.
 */
export interface SurrogateNetwork<M extends SecondOrderModel = SecondOrderModel> {
  /** Input dimension d. */
  readonly dim: number;
  /** Number of logits c. */
  readonly outputDim: number;
  /** Units of hidden layer l at index l − 1. */
  readonly hiddenSizes: readonly number[];
  /** The ReLU network itself (its Hessian is the "vanilla" one: zero for logits and neurons). */
  readonly original: M;
  /**
   * The surrogate f with every ReLU replaced by `activation`.
   * @throws {@link InvalidArgumentError} for an unknown activation or β ≤ 0 (naming `activation.beta`).
   */
  surrogate(activation: SurrogateActivationInput): M;
}
