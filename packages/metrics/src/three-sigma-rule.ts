import { checkInteger, checkPositive } from "@smoothhess/errors";

/**
 * The three smoothing scales the SmoothHess paper validates for SmoothHess and SmoothGrad in its P_MSE experiments
 * (Sec. 5.1, App. E.2.1), from the criterion `σ = ε/√d` (an isotropic Gaussian of standard deviation `σ` in `d`
 * dimensions concentrates on the sphere of radius `σ√d`):
 *
 * `σ ∈ { ε/(2√d), 3ε/(4√d), ε/√d }`, ascending.
 *
 * These are **standard deviations**: use `{ sigma }` as the covariance (the paper's tables list `σ²`; e.g. MNIST,
 * ε = 0.25: `(3ε/(4√784))² ≈ 4.5e-5`).
 *
 * @param epsilon - the neighbourhood radius `ε > 0`.
 * @param dim - the input dimension `d ≥ 1`.
 * @throws {@link InvalidArgumentError} for `ε ≤ 0` or a non-integer `d < 1`.
 */
export function threeSigmaRule(epsilon: number, dim: number): [number, number, number] {
  checkPositive("epsilon", epsilon);
  checkInteger("dim", dim, 1);
  const unit = epsilon / Math.sqrt(dim);
  return [unit / 2, (3 * unit) / 4, unit];
}
