import type { BallSampling } from "./ball-sampler.js";

/**
 * The expected P_MSE added by the Monte-Carlo error of a SmoothGrad gradient `e_g` and SmoothHess matrix `E` (both
 * zero-mean): for u uniform on the sphere of radius r in d dimensions, E[(e_gᵀu)²] = r²‖e_g‖²/d and
 * E[(½uᵀEu)²] = r⁴(2‖E‖²_F + (tr E)²)/(4d(d+2)) (a property of the uniform distribution on the sphere), the cross
 * term vanishing by symmetry. ‖e_g‖² and ‖E‖²_F are taken from the estimators' own standard errors; the (tr E)²
 * term is left out, so this is a lower bound. The radial moments are those of the ball's law: uniform in the ball
 * E[r²] = ε²d/(d+2), E[r⁴] = ε⁴d/(d+4); radius uniform in [0, ε] E[r²] = ε²/3, E[r⁴] = ε⁴/5.
 *
 * Read it next to a P_MSE (paper Eq. 11) of SmoothHess / SmoothGrad Taylor models: the part of the error that more
 * gradient samples would remove.
 *
 * @param estimate - `gradientError` = ‖e_g‖² and `hessianError` = ‖E‖²_F, the squared norms of the estimators'
 *   standard errors (e.g. sums of squares of `smoothHess(…, { entrywiseError: true }).standardError` entries).
 * @param radius - the ball radius ε.
 * @param d - the input dimension.
 * @param sampling - the ball's radial law, as in {@link sampleBall}.
 * @param withHessian - include the Hessian term (a second-order model) or not (a first-order model).
 */
export function monteCarloNoise(
  estimate: { gradientError: number; hessianError: number },
  radius: number,
  d: number,
  sampling: BallSampling,
  withHessian: boolean,
): number {
  const r2 = sampling === "uniform-ball" ? (radius ** 2 * d) / (d + 2) : radius ** 2 / 3;
  const r4 = sampling === "uniform-ball" ? (radius ** 4 * d) / (d + 4) : radius ** 4 / 5;
  const gradientTerm = (r2 * estimate.gradientError) / d;
  const hessianTerm = withHessian ? (r4 * 2 * estimate.hessianError) / (4 * d * (d + 2)) : 0;
  return gradientTerm + hessianTerm;
}
