import { checkFiniteArray, checkNumberInRange } from "@smoothhess/errors";
import { checkSymmetric } from "./matrix-checks.js";
import { symmetricEigenUnchecked } from "./symmetric-eigen.js";
import {
  type TrustRegionProblem,
  type TrustRegionStep,
  checkProblem,
  problemEigen,
  solveInEigenbasis,
} from "./trust-region-step.js";
import { energyRank } from "./truncate-by-energy.js";

/** A {@link TrustRegionProblem} plus the energy threshold of the paper's dimension reduction. */
export interface ReducedTrustRegionProblem extends TrustRegionProblem {
  /**
   * `T ∈ (0, 1]`: keep the fewest leading eigenpairs (by `|λ|`) carrying this fraction of `Σ|λ|` (paper Eq. 71;
   * 0.98 for MNIST/FMNIST, 0.8 for CIFAR-10 in the paper).
   */
  readonly energy: number;
}

/** The solution of the reduced problem, with the number of eigenpairs it kept. */
export interface ReducedTrustRegionStep extends TrustRegionStep {
  /** `k`, the number of eigenpairs kept by {@link truncateByEnergy}. */
  readonly rank: number;
}

/**
 * The SmoothHess paper's reduced attack (App. D.1, Eq. 66–71), solved exactly: keep the `k` eigenpairs of largest
 * `|λ|` that reach energy `T` (Eq. 71), solve `min_δ̃ (Q̃ᵀg)ᵀδ̃ + ½ δ̃ᵀΛ̃δ̃  s.t. ‖δ̃‖ ≤ r` in that `k`-dimensional
 * space (Eq. 68) with {@link trustRegionStep}'s secular-equation solver, and lift `δ* = Q̃δ̃*` (Eq. 70).
 *
 * Unlike {@link trustRegionStep} with `k < d` pairs (Eq. 67 solved exactly, where `g`'s component outside the
 * kept span still moves the step), the step here lies in the span of the kept eigenvectors, as in the paper.
 * `objective`, `multiplier`, `onBoundary` and `hardCase` refer to the reduced problem (Eq. 67–68, whose objective
 * at `δ*` is the same).
 *
 * `eigen`, if given, must be sorted by `|λ|` descending (the default order of {@link symmetricEigen},
 * {@link topEigen} and {@link eigenFromFactors}); of a dense `hessian` only the `k(T)` leading pairs are computed
 * (`symmetricEigen(h, d, { energy })`: all eigenvalues without vectors, then the `k(T)` vectors alone when that
 * is under a quarter of `d`). When `eigen` holds
 * only the leading pairs of a spectrum and says so with `totalMagnitude` (`eigenFromFactors` with `energy`), `T` is a
 * fraction of that total, as in Eq. 71: the rank and step are those of the full decomposition.
 *
 * @throws everything {@link trustRegionStep} throws, plus {@link InvalidArgumentError} for `energy` outside
 *   `(0, 1]`, `eigen.values` not sorted by `|λ|` descending, or (named `energy`) a threshold above the fraction of
 *   `totalMagnitude` that the pairs held carry.
 */
export function reducedTrustRegionStep(problem: ReducedTrustRegionProblem): ReducedTrustRegionStep {
  const { g, d, radius, tolerance } = checkProblem(problem);
  let eigen;
  if (problem.hessian !== undefined) {
    // only the k(T) pairs of Eq. 71, decided on all eigenvalues before any vector is computed
    checkSymmetric("hessian", problem.hessian, d);
    const energy = checkNumberInRange("energy", problem.energy, 0, 1, { min: true });
    eigen = symmetricEigenUnchecked(problem.hessian, d, "magnitude", { energy });
  } else {
    eigen = problemEigen(problem, d, "magnitude");
  }
  checkFiniteArray("eigen.values", eigen.values);
  const rank = energyRank(
    eigen.values,
    problem.energy,
    problem.hessian !== undefined ? "hessian eigenvalues" : "eigen.values",
    "energy",
    eigen.totalMagnitude,
  );
  const kept = { d, k: rank, values: eigen.values.subarray(0, rank), vectors: eigen.vectors.subarray(0, rank * d) };
  return { ...solveInEigenbasis(g, kept, radius, tolerance, false), rank };
}
