import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  described,
} from "@smoothhess/errors";
import { type HessianInput, resolveHessian } from "./hessian-input.js";

/** What {@link taylorModel} needs: an explainer's gradient (and Hessian) at `x0`, and the network's own `f(x0)`. */
export interface TaylorModelSpec {
  /**
   * The zeroth-order term: the **original network's** `f(x₀)` for every explainer (paper Eq. 10), not the
   * smoothed value `(f ∗ q)(x₀)` or the surrogate's `f_β(x₀)`, so that only the explainers `G̃, H̃` differ.
   */
  readonly value: number;
  /** `G̃`, the explainer's gradient at `x0` (SmoothGrad, a SoftPlus gradient, the vanilla gradient), length `d`. */
  readonly gradient: ArrayLike<number>;
  /**
   * `H̃`, the explainer's Hessian at `x0`: a row-major symmetric `d×d` matrix or a {@link HessianOperator}
   * (a `FactoredHessian`, evaluated without forming `d×d`). Omit it for a first-order model (`H̃ = 0`).
   */
  readonly hessian?: HessianInput;
  /** The expansion point `x₀`, length `d`. */
  readonly x0: ArrayLike<number>;
}

/**
 * The Taylor expansion-like function of paper Eq. 10,
 *
 * `f̃(x') = f(x₀) + G̃ᵀ(x' − x₀) + ½ (x' − x₀)ᵀ H̃ (x' − x₀)`,
 *
 * evaluated in batches. Create one with {@link taylorModel}.
 */
export interface TaylorModel {
  /** Input dimension `d`. */
  readonly dim: number;
  /** `1` without a Hessian, `2` with one. */
  readonly order: 1 | 2;
  /** `x₀` (a copy). */
  readonly x0: Float64Array;
  /** `f(x₀)`. */
  readonly value: number;
  /** `G̃` (a copy). */
  readonly gradient: Float64Array;
  /** `H̃` as given (dense or operator), when `order` is 2. */
  readonly hessian?: HessianInput;
  /**
   * `f̃` at `n` points given as a row-major `n×d` batch (`n` defaults to `points.length / d`).
   * Cost per point: `O(d)` plus `O(d²)` for a dense `H̃` (blocked over 16 points so `H̃` is streamed once per
   * block) or one `quadraticForm` of the operator (`O(m·d)` for a `FactoredHessian`).
   */
  evaluate(points: ArrayLike<number>, n?: number): Float64Array;
  /**
   * `f̃(x₀ + δ) − f(x₀) = G̃ᵀδ + ½ δᵀH̃δ` for `n` displacements `δ` (row-major `n×d`): the model's predicted
   * change, e.g. of an attack step.
   */
  change(displacements: ArrayLike<number>, n?: number): Float64Array;
}

/**
 * Build the Taylor model of paper Eq. 10 from an explainer's gradient `G̃` and (optionally) Hessian `H̃` at `x₀`,
 * anchored at the original network's value `f(x₀)`. Used by {@link perturbationMSE} (Eq. 11) and as the objective
 * of the attacks (Eq. 12).
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} naming the field: a non-finite `value`,
 *   `gradient` or `x0` with non-finite entries or of different lengths, an empty `x0`, a dense `hessian` that is
 *   not `d×d`, not finite or not symmetric, an operator of another `dim`.
 *
 * @example
 * ```ts
 * const { hessian, gradient } = await smoothHess(oracle, x0, { covariance: { sigma }, samples: 100_000 });
 * const fx0 = (await oracle.evaluate(Float64Array.from(x0), 1)).values[0];
 * const shsg = taylorModel({ value: fx0, gradient, hessian, x0 });   // SH + SG
 * const sg = taylorModel({ value: fx0, gradient, x0 });               // SG alone
 * shsg.evaluate(points);                                              // f̃ at a batch of points
 * ```
 */
export function taylorModel(spec: TaylorModelSpec): TaylorModel {
  if (typeof spec !== "object" || spec === null) {
    throw new InvalidArgumentError("spec", "an object { value, gradient, hessian?, x0 }", spec);
  }
  const x0 = Float64Array.from(checkFiniteArray("spec.x0", spec.x0));
  const d = x0.length;
  if (d === 0) throw new InvalidArgumentError("spec.x0", "a non-empty array", described("length 0"));
  if (spec.gradient && typeof spec.gradient.length === "number" && spec.gradient.length !== d) {
    throw new DimensionMismatchError("spec.gradient", `length ${d} (the length of x0)`, described(`length ${spec.gradient.length}`));
  }
  const gradient = Float64Array.from(checkFiniteArray("spec.gradient", spec.gradient, d));
  const value = spec.value;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidArgumentError("spec.value", "a finite number (the network's f(x0))", value);
  }
  const hessian = spec.hessian === undefined ? undefined : resolveHessian("spec.hessian", spec.hessian, d);

  const changes = (u: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n);
    if (hessian) hessian.quadraticForms(u, n, out);
    for (let p = 0; p < n; p++) {
      let s = 0;
      const base = p * d;
      for (let j = 0; j < d; j++) s += gradient[j] * u[base + j];
      out[p] = s + 0.5 * out[p];
    }
    return out;
  };

  return {
    dim: d,
    order: hessian ? 2 : 1,
    x0,
    value,
    gradient,
    hessian: spec.hessian,
    evaluate(points: ArrayLike<number>, n?: number): Float64Array {
      const count = batchCount("points", points, d, n);
      const u = new Float64Array(count * d);
      for (let p = 0; p < count; p++) {
        const base = p * d;
        for (let j = 0; j < d; j++) u[base + j] = points[base + j] - x0[j];
      }
      const out = changes(u, count);
      for (let p = 0; p < count; p++) out[p] += value;
      return out;
    },
    change(displacements: ArrayLike<number>, n?: number): Float64Array {
      const count = batchCount("displacements", displacements, d, n);
      return changes(Float64Array.from(checkFiniteArray("displacements", displacements, count * d)), count);
    },
  };
}

/**
 * The number of points in a row-major batch, checked: `n·d` finite entries.
 * @internal
 */
export function batchCount(argument: string, batch: ArrayLike<number>, d: number, n?: number): number {
  if (n === undefined) {
    if (!batch || typeof batch.length !== "number" || batch.length % d !== 0) {
      throw new DimensionMismatchError(argument, `a row-major n×${d} batch (a multiple of ${d} entries)`, described(`length ${batch?.length}`));
    }
    n = batch.length / d;
  } else {
    checkInteger("n", n, 0);
  }
  checkFiniteArray(argument, batch, n * d);
  return n;
}
