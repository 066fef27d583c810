import { SmoothHessError } from "@smoothhess/errors";

/**
 * The sampled design matrix of a regression-based estimator (`cLime`) is singular, so its normal equations have
 * no unique solution: too few samples for the dimension, or perturbations too small for the rows `[1, δᵀ]` to be
 * numerically independent. Code `"singular-design"`.
 */
export class SingularDesignError extends SmoothHessError {
  /** The estimator that sampled the design, e.g. `"cLime"`. */
  readonly estimator: string;

  constructor(estimator: string, detail: string) {
    super("singular-design", `${estimator}: the sampled design matrix is singular; ${detail}`);
    this.estimator = estimator;
  }
}
