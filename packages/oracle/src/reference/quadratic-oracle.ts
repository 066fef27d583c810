import { checkFiniteArray, checkInteger } from "@smoothhess/errors";
import { checkSymmetric } from "@smoothhess/linalg";
import type { GradientBatch, PointBatch, SyncGradientOracle } from "../gradient-oracle.js";
import { checkPointBatch } from "../point-batch-check.js";

/** Coefficients of `f(x) = c + bᵀ(x − x̄) + ½ (x − x̄)ᵀ A (x − x̄)`. */
export interface QuadraticSpec {
  /** Symmetric `d×d` row-major A (the exact Hessian of f). */
  readonly hessian: ArrayLike<number>;
  /** b (the gradient of f at the center); default 0. */
  readonly gradient?: ArrayLike<number>;
  /** c (the value at the center); default 0. */
  readonly constant?: number;
  /** x̄; default 0. */
  readonly center?: ArrayLike<number>;
}

/**
 * A float64 {@link GradientOracle} for a quadratic function, whose Hessian is known exactly everywhere and whose
 * Gaussian smoothing changes only the constant: the ground truth for Hessian estimators and Taylor-model metrics.
 *
 * @param dim - input dimension d.
 * @throws {@link InvalidArgumentError} for a non-symmetric or mis-sized Hessian, a gradient/center of the wrong
 *   length, or a non-finite constant.
 */
export function quadraticOracle(dim: number, spec: QuadraticSpec): SyncGradientOracle {
  checkInteger("dim", dim, 1);
  const a = Float64Array.from(checkSymmetric("spec.hessian", spec.hessian, dim));
  const b = spec.gradient ? Float64Array.from(checkFiniteArray("spec.gradient", spec.gradient, dim)) : new Float64Array(dim);
  const center = spec.center ? Float64Array.from(checkFiniteArray("spec.center", spec.center, dim)) : new Float64Array(dim);
  const c = checkFiniteArray("spec.constant", [spec.constant ?? 0])[0];
  return {
    dim,
    evaluate(points: PointBatch, n: number): GradientBatch {
      checkPointBatch(points, n, dim);
      const values = new Float64Array(n);
      const gradients = new Float64Array(n * dim);
      const u = new Float64Array(dim);
      for (let p = 0; p < n; p++) {
        for (let i = 0; i < dim; i++) u[i] = points[p * dim + i] - center[i];
        let value = c;
        for (let i = 0; i < dim; i++) {
          let au = 0;
          for (let j = 0; j < dim; j++) au += a[i * dim + j] * u[j];
          gradients[p * dim + i] = b[i] + au;
          value += u[i] * (b[i] + 0.5 * au);
        }
        values[p] = value;
      }
      return { values, gradients };
    },
  };
}
