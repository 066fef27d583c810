import { DimensionMismatchError, described } from "@smoothhess/errors";

/**
 * A symmetric d×d matrix kept as `H = scale · sym(Aᵀ B)` with `A`, `B` of size m×d (row-major float64), i.e.
 * `H = scale/2 · (AᵀB + BᵀA)`. A Monte-Carlo Hessian has this form with m ≤ n, so at large d it can be stored,
 * multiplied and eigendecomposed (see `@smoothhess/linalg`) without ever allocating d×d.
 */
export interface FactoredHessian {
  /** Order d. */
  readonly dim: number;
  /** Rows m of each factor. */
  readonly rank: number;
  /** A, m×d row-major (for SmoothHess: the whitened perturbations Σ⁻¹δ). */
  readonly left: Float64Array;
  /** B, m×d row-major (for SmoothHess: the matching gradient terms). */
  readonly right: Float64Array;
  /** The scalar in front (for SmoothHess: 1/m). */
  readonly scale: number;
  /** `out = H v` in O(m·d). */
  matVec(v: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** `vᵀ H v` in O(m·d). */
  quadraticForm(v: ArrayLike<number>): number;
  /** The dense d×d matrix (only for small d: it allocates d²). */
  toDense(): Float64Array;
}

/**
 * Wrap two m×d factors as a {@link FactoredHessian} `scale · sym(AᵀB)`.
 * @throws {@link DimensionMismatchError} when the factors' lengths are not m·d.
 */
export function factoredHessian(left: Float64Array, right: Float64Array, rank: number, dim: number, scale: number): FactoredHessian {
  if (left.length !== rank * dim) throw new DimensionMismatchError("left", `length m·d = ${rank * dim}`, described(`length ${left.length}`));
  if (right.length !== rank * dim) throw new DimensionMismatchError("right", `length m·d = ${rank * dim}`, described(`length ${right.length}`));
  const av = new Float64Array(rank), bv = new Float64Array(rank);
  const project = (v: ArrayLike<number>) => {
    for (let u = 0; u < rank; u++) {
      let a = 0, b = 0;
      for (let i = u * dim, j = 0; j < dim; i++, j++) {
        a += left[i] * v[j];
        b += right[i] * v[j];
      }
      av[u] = a;
      bv[u] = b;
    }
  };
  return {
    dim,
    rank,
    left,
    right,
    scale,
    matVec(v: ArrayLike<number>, out: Float64Array = new Float64Array(dim)): Float64Array {
      if (v.length !== dim) throw new DimensionMismatchError("v", `length ${dim}`, described(`length ${v.length}`));
      project(v);
      out.fill(0);
      // H v = scale/2 (Aᵀ(Bv) + Bᵀ(Av))
      for (let u = 0; u < rank; u++) {
        const cb = 0.5 * scale * bv[u], ca = 0.5 * scale * av[u];
        for (let i = u * dim, j = 0; j < dim; i++, j++) out[j] += cb * left[i] + ca * right[i];
      }
      return out;
    },
    quadraticForm(v: ArrayLike<number>): number {
      if (v.length !== dim) throw new DimensionMismatchError("v", `length ${dim}`, described(`length ${v.length}`));
      project(v);
      let s = 0;
      for (let u = 0; u < rank; u++) s += av[u] * bv[u];
      return scale * s;
    },
    toDense(): Float64Array {
      const out = new Float64Array(dim * dim);
      for (let u = 0; u < rank; u++) {
        const row = u * dim;
        for (let r = 0; r < dim; r++) {
          const a = 0.5 * scale * left[row + r], b = 0.5 * scale * right[row + r];
          if (a === 0 && b === 0) continue;
          for (let c = 0; c < dim; c++) out[r * dim + c] += a * right[row + c] + b * left[row + c];
        }
      }
      return out;
    },
  };
}
