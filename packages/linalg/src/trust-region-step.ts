import { InvalidArgumentError, checkFiniteArray, checkNumberInRange, checkPositive, described } from "@smoothhess/errors";
import { solveDiagonalTrustRegion } from "./diagonal-trust-region.js";
import { type SymmetricEigen, checkEigen } from "./eigenpairs.js";
import { checkSymmetric } from "./matrix-checks.js";
import { addRowDots, subtractRowCombinations } from "./row-kernels.js";
import { symmetricEigenUnchecked } from "./symmetric-eigen.js";
import { krylovTrustRegion } from "./krylov-trust-region.js";

/**
 * A trust-region subproblem `min_δ gᵀδ + ½ δᵀHδ  subject to  ‖δ‖ ≤ r` (the SmoothHess attack, paper Eq. 64).
 * Give `H` either densely (`hessian`) or by eigenpairs (`eigen`), not both.
 */
export interface TrustRegionProblem {
  /** `g`, length `d`. */
  readonly gradient: ArrayLike<number>;
  /** `H` as a row-major symmetric `d×d` matrix. */
  readonly hessian?: ArrayLike<number>;
  /**
   * `H` by eigenpairs (from {@link symmetricEigen}, {@link topEigen}, {@link eigenFromFactors}). With `k < d` pairs
   * the matrix is taken to be exactly `H = Σⱼ λⱼqⱼqⱼᵀ`, zero on the orthogonal complement (paper Eq. 66–67).
   * The vectors must be orthonormal (not checked).
   */
  readonly eigen?: SymmetricEigen;
  /** `r > 0`. */
  readonly radius: number;
  /**
   * Relative tolerance of the hard-case test (default `1e-12`): eigenvalues within `tolerance·max|λ|` of the
   * smallest form the lowest eigenspace, and gradient coordinates below `tolerance·‖g‖` on it count as zero.
   */
  readonly hardCaseTolerance?: number;
  /**
   * How a dense `hessian` is solved: `"auto"` (default) takes the Krylov solver ({@link krylovTrustRegion}) from
   * d = {@link KRYLOV_MIN_DIMENSION} on, with the eigen path as fallback should it not converge; `"eigen"` always
   * decomposes `H` (the reference); `"krylov"` always takes the Krylov solver. Ignored with `eigen`.
   */
  readonly method?: "auto" | "eigen" | "krylov";
}

/** From this order on, {@link trustRegionStep} solves a dense `hessian` in a Krylov subspace (method `"auto"`). */
export const KRYLOV_MIN_DIMENSION = 128;

/** The exact solution of a {@link TrustRegionProblem}. */
export interface TrustRegionStep {
  /** The minimiser `δ*`, length `d`. */
  readonly step: Float64Array;
  /** `gᵀδ* + ½ δ*ᵀHδ*`, the optimal value (≤ 0). */
  readonly objective: number;
  /** The Lagrange multiplier `λ* ≥ 0`: `(H + λ*I)δ* = −g`, `H + λ*I ⪰ 0`, `λ*(‖δ*‖ − r) = 0`. */
  readonly multiplier: number;
  /** Whether the constraint is active: `‖δ*‖ = r` to rounding. */
  readonly onBoundary: boolean;
  /**
   * Whether the hard case occurred: `g` is orthogonal to the eigenspace of the smallest eigenvalue `λ₁ < 0` and
   * `‖(H − λ₁I)⁺g‖ < r`, so `λ* = −λ₁` and the boundary is reached by adding a multiple of a lowest eigenvector
   * (the positive multiple of the eigenvector as returned by the decomposition; its negative is equally optimal).
   */
  readonly hardCase: boolean;
}

/**
 * Solve the trust-region subproblem `min gᵀδ + ½ δᵀHδ  s.t.  ‖δ‖ ≤ r` **exactly** — the second-order attack of
 * the SmoothHess paper (App. D.1, Eq. 63–65), which the authors hand to a generic SDP solver.
 *
 * Method: in the eigenbasis `H = QΛQᵀ` the problem is diagonal; the multiplier is the root of the secular
 * equation `1/‖(Λ + λI)⁻¹Qᵀg‖ − 1/r = 0`, found by a safeguarded Newton iteration in the Moré–Sorensen style
 * (monotone and quadratically convergent, about ten `O(k)` iterations). Handled exactly: interior solutions
 * (`H ≻ 0`, `‖H⁻¹g‖ ≤ r`), indefinite and singular `H`, the hard case (`g ⟂` lowest eigenspace), `g = 0`
 * (a lowest eigenvector scaled to the radius when `λ₁ < 0`, else 0) and `H = 0` (the scaled steepest-descent
 * step). For `λ₁ = 0` with `g` in the range of `H` the minimum-norm minimiser is returned.
 *
 * Cost: with `eigen`, `O(d·k)`; with a dense `hessian` below d = {@link KRYLOV_MIN_DIMENSION} (or `method: "eigen"`),
 * one {@link symmetricEigen} (`O(d³)`); above, the Krylov solver {@link krylovTrustRegion} (one symmetric
 * product per subspace dimension, typically tens), which certifies the same optimality conditions to `1e-10`
 * relative and falls back to the eigen path if its subspace runs out. To solve several radii on one dense `H`, call
 * {@link krylovTrustRegion} once and `solve` each radius (one subspace for all).
 * With `k < d` pairs, `g`'s component outside their span is kept (it sees eigenvalue 0), so the result solves
 * paper Eq. 67 exactly; {@link reducedTrustRegionStep} is the paper's projected variant (Eq. 68–70).
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for an empty or non-finite gradient,
 *   `radius ≤ 0` or non-finite, neither or both of `hessian`/`eigen`, a non-square, non-symmetric or non-finite
 *   `hessian`, or malformed `eigen` (wrong `d`, lengths, `k > d`, non-finite entries).
 *
 * @example
 * ```ts
 * const { step, objective, onBoundary } = trustRegionStep({ gradient: g, hessian: h, radius: 0.5 });
 * const attacked = x0.map((x, i) => x + step[i]);
 * ```
 */
export function trustRegionStep(problem: TrustRegionProblem): TrustRegionStep {
  const { g, d, radius, tolerance } = checkProblem(problem);
  const method = problem.method ?? "auto";
  if (method !== "auto" && method !== "eigen" && method !== "krylov") {
    throw new InvalidArgumentError("method", '"auto", "eigen" or "krylov"', method);
  }
  if (problem.hessian !== undefined && (method === "krylov" || (method === "auto" && d >= KRYLOV_MIN_DIMENSION))) {
    const krylov = krylovTrustRegion(
      { gradient: g, hessian: problem.hessian },
      { hardCaseTolerance: tolerance, ...(method === "krylov" ? { maxDimension: d } : {}) },
    ).solve(radius);
    if (krylov.converged) {
      const { step, objective, multiplier, onBoundary, hardCase } = krylov;
      return { step, objective, multiplier, onBoundary, hardCase };
    }
  }
  const eigen = problemEigen(problem, d);
  return solveInEigenbasis(g, eigen, radius, tolerance, true);
}

/**
 * Common argument checks of the trust-region functions.
 * @internal
 */
export function checkProblem(problem: unknown): { g: Float64Array; d: number; radius: number; tolerance: number } {
  if (typeof problem !== "object" || problem === null) {
    throw new InvalidArgumentError("problem", "an object { gradient, hessian | eigen, radius }", problem);
  }
  const p = problem as TrustRegionProblem;
  const gradient = checkFiniteArray("gradient", p.gradient);
  if (gradient.length === 0) throw new InvalidArgumentError("gradient", "a non-empty array", described("length 0"));
  const radius = checkPositive("radius", p.radius);
  const tolerance =
    p.hardCaseTolerance === undefined ? 1e-12 : checkNumberInRange("hardCaseTolerance", p.hardCaseTolerance, 0, 1);
  const hasHessian = p.hessian !== undefined;
  const hasEigen = p.eigen !== undefined;
  if (hasHessian === hasEigen) {
    throw new InvalidArgumentError(
      hasHessian ? "eigen" : "hessian",
      "exactly one of `hessian` (a dense matrix) and `eigen` (eigenpairs)",
      described(hasHessian ? "both" : "neither"),
    );
  }
  return { g: Float64Array.from(gradient), d: gradient.length, radius, tolerance };
}

/**
 * The eigenpairs of the problem's `H`: checked `eigen`, or the full decomposition of the checked `hessian` in
 * `order`.
 * @internal
 */
export function problemEigen(problem: TrustRegionProblem, d: number, order: "ascending" | "magnitude" = "ascending"): SymmetricEigen {
  if (problem.hessian !== undefined) {
    checkSymmetric("hessian", problem.hessian, d);
    return symmetricEigenUnchecked(problem.hessian, d, order, d);
  }
  return checkEigen("eigen", problem.eigen, d);
}

/**
 * Solve in the span of `eigen`'s vectors, plus (when `withComplement` and `k < d`) the direction of `g`'s component
 * outside that span, where `H` is zero.
 * @internal
 */
export function solveInEigenbasis(
  g: Float64Array,
  eigen: SymmetricEigen,
  radius: number,
  tolerance: number,
  withComplement: boolean,
): TrustRegionStep {
  const { d, k, vectors } = eigen;
  const gamma = new Float64Array(k);
  addRowDots(gamma, 1, vectors, 0, d, k, g, 0, d, 1, d);

  let perp: Float64Array | undefined;
  let perpNorm = 0;
  if (withComplement && k < d) {
    perp = Float64Array.from(g);
    subtractRowCombinations(perp, 0, d, 1, vectors, 0, d, k, gamma, 1, d);
    perpNorm = norm(perp);
    // below rounding of the projection: g lies in the span
    if (perpNorm <= 1e-12 * norm(g)) perpNorm = 0;
  }
  const n = perp ? k + 1 : k;
  const lambda = new Float64Array(n);
  const coordinates = new Float64Array(n);
  lambda.set(eigen.values);
  coordinates.set(gamma);
  if (perp) coordinates[k] = perpNorm;

  const solution = solveDiagonalTrustRegion(lambda, coordinates, radius, tolerance);
  const c = solution.coefficients;
  const step = new Float64Array(d);
  const negated = new Float64Array(k);
  for (let j = 0; j < k; j++) negated[j] = -c[j];
  subtractRowCombinations(step, 0, d, 1, vectors, 0, d, k, negated, 1, d);
  if (perp && perpNorm > 0 && c[k] !== 0) {
    const f = c[k] / perpNorm;
    for (let i = 0; i < d; i++) step[i] += f * perp[i];
  }
  return {
    step,
    objective: solution.objective,
    multiplier: solution.multiplier,
    onBoundary: solution.onBoundary,
    hardCase: solution.hardCase,
  };
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
