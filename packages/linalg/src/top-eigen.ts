import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkFiniteArray,
  checkInteger,
  checkPositive,
  described,
  firstNonFinite,
} from "@smoothhess/errors";
import { ConvergenceError } from "./convergence-error.js";
import { type EigenOrder, type SymmetricEigen, checkEigenOrder, fixEigenvectorSigns } from "./eigenpairs.js";
import { uniformGenerator } from "./random.js";
import { addRowDots, subtractRowCombinations } from "./row-kernels.js";
import { symmetricEigenUnchecked } from "./symmetric-eigen.js";

/**
 * A symmetric linear operator given by its action: returns `H x` (length `d`) for a vector `x` of length `d`.
 * It receives a fresh copy of the iterate, which it may keep or modify.
 */
export type SymmetricOperator = (x: Float64Array) => ArrayLike<number>;

/** Options of {@link topEigen}. */
export interface TopEigenOptions {
  /**
   * Which end of the spectrum (default `"magnitude"`): the `k` eigenvalues of largest `|λ|`, the `k` largest
   * (`"descending"`) or the `k` smallest (`"ascending"`), returned in that order.
   */
  readonly order?: EigenOrder;
  /**
   * Stop when every wanted Ritz pair has `‖Hy − θy‖ ≤ tolerance · ‖H‖` (`‖H‖` estimated by the largest `|θ|` and
   * `‖Hv‖` seen). Default `1e-10`.
   */
  readonly tolerance?: number;
  /** Size `p` of the Lanczos basis, `k < p ≤ d` or `p = d` (default `min(d, max(2k + 1, k + 20))`). */
  readonly subspaceSize?: number;
  /** Budget of operator applications (default `max(1000, 30·p)`). */
  readonly maxMatVecs?: number;
  /** Seed of the random start vector (default 0). Same seed, same result. */
  readonly seed?: number;
  /** Start vector (length `d`, not all zero) instead of a random one. */
  readonly start?: ArrayLike<number>;
}

/** What {@link topEigen} returns: the eigenpairs plus how they were obtained. */
export interface TopEigenResult extends SymmetricEigen {
  /** `‖H qⱼ − λⱼ qⱼ‖` for each returned pair (from the Lanczos relation). */
  readonly residuals: Float64Array;
  /** Number of operator applications used. */
  readonly matVecs: number;
  /** Number of thick restarts. */
  readonly restarts: number;
}

/**
 * The `k` extreme eigenpairs of a symmetric operator known only through `x ↦ Hx` (a Hessian-vector product, a
 * factored or implicit matrix): thick-restart Lanczos (Wu & Simon, 2000) with full reorthogonalisation.
 *
 * Each cycle extends an orthonormal Krylov basis to `p` vectors (every new vector is orthogonalised twice against
 * all earlier ones, so the basis stays orthonormal to rounding and no spurious copies appear), computes the Ritz
 * pairs of `VᵀHV`, and, until the wanted ones have converged, restarts from the best `k + (p−k)/2` Ritz vectors
 * plus the current residual direction. Memory `p·d` doubles; work `O(p·d)` per operator application beyond the
 * application itself. When `p = d` the basis spans the whole space and the answer is exact after `d` steps.
 * An invariant subspace (Krylov breakdown) is continued with a fresh random vector orthogonal to the basis.
 *
 * Like every single-vector Krylov method, Lanczos sees one vector per eigenspace per start vector: an eigenvalue
 * of multiplicity > 1 is found once (the copies are reached only after a breakdown). Use
 * {@link eigenFromFactors} or {@link symmetricEigen} when `H` is available in factored or dense form.
 *
 * @param matvec - the operator `x ↦ Hx`; it must be symmetric (`yᵀHx = xᵀHy`) and return `d` finite numbers.
 * @param d - dimension, integer ≥ 1.
 * @param k - number of eigenpairs, integer in `[0, d]`.
 * @param options - order, tolerance, basis size, budget, seed or start vector.
 * @throws {@link InvalidArgumentError} for a non-function `matvec`, bad sizes (`k > d`), bad options or an operator
 *   that returns the wrong length or non-finite numbers; {@link ConvergenceError} (with the current Ritz pairs in
 *   `partial`) when `maxMatVecs` is spent first.
 *
 * @example
 * ```ts
 * const top = topEigen((x) => hessianVectorProduct(x), d, 10); // 10 largest-|λ| pairs
 * ```
 */
export function topEigen(matvec: SymmetricOperator, d: number, k: number, options: TopEigenOptions = {}): TopEigenResult {
  if (typeof matvec !== "function") throw new InvalidArgumentError("matvec", "a function x ↦ Hx", matvec);
  checkInteger("d", d, 1);
  checkInteger("k", k, 0, d);
  const order = checkEigenOrder("options.order", options.order);
  const tolerance = options.tolerance === undefined ? 1e-10 : checkPositive("options.tolerance", options.tolerance);
  const p =
    options.subspaceSize === undefined
      ? Math.min(d, Math.max(2 * k + 1, k + 20))
      : checkInteger("options.subspaceSize", options.subspaceSize, Math.min(d, k + 1), d);
  const maxMatVecs =
    options.maxMatVecs === undefined ? Math.max(1000, 30 * p) : checkInteger("options.maxMatVecs", options.maxMatVecs, 1);
  const seed = options.seed === undefined ? 0 : checkInteger("options.seed", options.seed);
  if (k === 0) return { d, k, values: new Float64Array(0), vectors: new Float64Array(0), residuals: new Float64Array(0), matVecs: 0, restarts: 0 };

  const random = uniformGenerator(seed);
  const basis = new Float64Array(p * d);
  const t = new Float64Array(p * p);
  const w = new Float64Array(d);
  const coef = new Float64Array(p);
  let normEstimate = 0;
  let matVecs = 0;
  let restarts = 0;

  const apply = (row: number): void => {
    const out = matvec(basis.slice(row * d, row * d + d));
    matVecs++;
    if (!out || typeof out.length !== "number" || out.length !== d) {
      throw new DimensionMismatchError("matvec", `a function returning ${d} numbers`, described(`a result of length ${out?.length}`));
    }
    const bad = firstNonFinite(out);
    if (bad >= 0) {
      throw new InvalidArgumentError("matvec", "a function returning finite numbers", described(`${String(out[bad])} at index ${bad}`));
    }
    for (let i = 0; i < d; i++) w[i] = out[i];
  };
  // w ← w − V[0..n) V[0..n)ᵀ w, twice; the coefficients are accumulated into coef[0..n)
  const orthogonalise = (n: number): void => {
    coef.fill(0, 0, n);
    const h = new Float64Array(n);
    for (let pass = 0; pass < 2; pass++) {
      h.fill(0);
      addRowDots(h, 1, basis, 0, d, n, w, 0, d, 1, d);
      subtractRowCombinations(w, 0, d, 1, basis, 0, d, n, h, 1, d);
      for (let i = 0; i < n; i++) coef[i] += h[i];
    }
  };
  // a random unit vector orthogonal to V[0..n), stored in row n
  const freshVector = (n: number): void => {
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < d; i++) w[i] = random() - 0.5;
      const before = norm(w);
      orthogonalise(n);
      const after = norm(w);
      if (after > 1e-3 * before) {
        for (let i = 0; i < d; i++) basis[n * d + i] = w[i] / after;
        return;
      }
    }
    throw new ConvergenceError("topEigen", "could not draw a start vector orthogonal to the Krylov basis");
  };

  if (options.start !== undefined) {
    const start = checkFiniteArray("options.start", options.start, d);
    let s = 0;
    for (let i = 0; i < d; i++) s += start[i] * start[i];
    if (s === 0) throw new InvalidArgumentError("options.start", "a non-zero vector", described("the zero vector"));
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < d; i++) basis[i] = start[i] * inv;
  } else {
    freshVector(0);
  }

  let kept = 0;
  let beta = 0;
  const residual = new Float64Array(d);
  for (;;) {
    for (let j = kept; j < p; j++) {
      apply(j);
      normEstimate = Math.max(normEstimate, norm(w));
      orthogonalise(j + 1);
      for (let i = 0; i <= j; i++) {
        t[i * p + j] = coef[i];
        t[j * p + i] = coef[i];
      }
      beta = norm(w);
      if (j + 1 < p) {
        if (beta > 1e-12 * normEstimate) {
          for (let i = 0; i < d; i++) basis[(j + 1) * d + i] = w[i] / beta;
        } else {
          beta = 0;
          freshVector(j + 1);
        }
        t[(j + 1) * p + j] = beta;
        t[j * p + j + 1] = beta;
      } else {
        residual.set(w);
      }
    }

    // Rayleigh–Ritz on the p×p projection
    const ritz = symmetricEigenUnchecked(t, p, order, p);
    const s = ritz.vectors;
    for (let i = 0; i < p; i++) normEstimate = Math.max(normEstimate, Math.abs(ritz.values[i]));
    const residuals = new Float64Array(k);
    let converged = true;
    for (let i = 0; i < k; i++) {
      residuals[i] = p === d ? 0 : beta * Math.abs(s[i * p + p - 1]);
      if (residuals[i] > tolerance * normEstimate) converged = false;
    }
    const keep = Math.min(p - 1, k + Math.floor((p - k) / 2));
    const outOfBudget = matVecs + (p - keep) > maxMatVecs;
    if (converged || outOfBudget) {
      const vectors = ritzVectors(basis, s, p, d, k);
      fixEigenvectorSigns(vectors, k, d);
      const result: TopEigenResult = { d, k, values: ritz.values.slice(0, k), vectors, residuals, matVecs, restarts };
      if (!converged) {
        throw new ConvergenceError(
          "topEigen",
          `${k} eigenpairs did not reach relative residual ${tolerance} within ${matVecs} operator applications ` +
            `(largest residual ${Math.max(...residuals)} with ‖H‖ ≈ ${normEstimate}); raise maxMatVecs or subspaceSize`,
          result,
        );
      }
      return result;
    }

    // thick restart: keep `keep` Ritz vectors and continue from the residual direction
    const y = ritzVectors(basis, s, p, d, keep);
    basis.set(y, 0);
    t.fill(0);
    for (let i = 0; i < keep; i++) {
      t[i * p + i] = ritz.values[i];
      const b = beta * s[i * p + p - 1];
      t[i * p + keep] = b;
      t[keep * p + i] = b;
    }
    if (beta > 1e-12 * normEstimate) {
      for (let i = 0; i < d; i++) basis[keep * d + i] = residual[i] / beta;
    } else {
      freshVector(keep);
      for (let i = 0; i < keep; i++) {
        t[i * p + keep] = 0;
        t[keep * p + i] = 0;
      }
    }
    kept = keep;
    restarts++;
  }
}

/** The first `n` Ritz vectors `Σ_c S[i][c]·V_c` (rows of the result). */
function ritzVectors(basis: Float64Array, s: Float64Array, p: number, d: number, n: number): Float64Array {
  const coefficients = new Float64Array(p * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) coefficients[c * n + i] = -s[i * p + c];
  const out = new Float64Array(n * d);
  subtractRowCombinations(out, 0, d, n, basis, 0, d, p, coefficients, n, d);
  return out;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
