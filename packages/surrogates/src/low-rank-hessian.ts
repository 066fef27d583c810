import { DimensionMismatchError, InvalidArgumentError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import { eigenFromFactors, type EigenOrder, type SymmetricEigen } from "@smoothhess/linalg";

/** Options of {@link LowRankHessian.eigen}. */
export interface LowRankEigenOptions {
  /** Number of eigenpairs, `0 ≤ k ≤ d` (default `min(d, r)`: every pair that can be non-zero). */
  readonly k?: number;
  /** Order of the pairs (default `"magnitude"`, as in `@smoothhess/linalg`). */
  readonly order?: EigenOrder;
}

/**
 * A symmetric `d×d` matrix kept in factored form `H = W M Wᵀ`, with a tall `W` (`d×r`) and a small symmetric
 * middle factor `M` (`r×r`). The input Hessian of the cross-entropy loss of a ReLU network (CASO Prop. 1:
 * `W` = the transposed logit Jacobian, `M = diag(p) − ppᵀ`) and that of its SoftMax probability have this form
 * with `r = c` classes; nothing of size `d×d` is formed unless {@link LowRankHessian.toDense} is called.
 */
export interface LowRankHessian {
  /** Order of H. */
  readonly d: number;
  /** Columns of W (rank bound). */
  readonly r: number;
  /** `W`, row-major `d×r` (column i of W is `∇ₓ logit_i` for the logit heads). */
  readonly w: Float64Array;
  /** `M`, row-major `r×r`, symmetric. */
  readonly middle: Float64Array;
  /** `H v = W (M (Wᵀ v))` in `O(d·r)`; writes into `out` when given. */
  matVec(v: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** `vᵀ H v`. */
  quadraticForm(v: ArrayLike<number>): number;
  /** The dense `d×d` matrix (row-major, exactly symmetric). */
  toDense(): Float64Array;
  /**
   * Eigenpairs of H through the small factor (CASO App. C), never forming `d×d`: a Householder QR `W = QR`
   * (`d×r`) reduces the problem to the `r×r` matrix `R M Rᵀ`, whose eigenvectors are lifted by Q. This replaces the
   * paper's Cholesky of `diag(p) − ppᵀ`, which is singular (its rows sum to 0) and so has no Cholesky factor in
   * floating point; the QR route also serves indefinite middles (the SoftMax-probability Hessian). Cost `O(d·r²)`.
   */
  eigen(options?: LowRankEigenOptions): SymmetricEigen;
}

/**
 * Wrap `W` (`d×r`) and a symmetric `M` (`r×r`) as a {@link LowRankHessian}. The arrays are used as given (not
 * copied); do not modify them afterwards.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for sizes that do not fit, non-finite entries
 *   or a middle factor that is not symmetric (relative tolerance 1e-12).
 */
export function lowRankHessian(w: Float64Array, middle: Float64Array, d: number, r: number): LowRankHessian {
  checkInteger("d", d, 1);
  checkInteger("r", r, 1);
  if (!(w instanceof Float64Array)) throw new InvalidArgumentError("w", "a Float64Array (d×r, row-major)", w);
  if (!(middle instanceof Float64Array)) throw new InvalidArgumentError("middle", "a Float64Array (r×r, row-major)", middle);
  checkFiniteArray("w", w, d * r);
  checkFiniteArray("middle", middle, r * r);
  let scale = 0;
  for (let i = 0; i < r * r; i++) scale = Math.max(scale, Math.abs(middle[i]));
  for (let i = 0; i < r; i++) {
    for (let j = i + 1; j < r; j++) {
      if (Math.abs(middle[i * r + j] - middle[j * r + i]) > 1e-12 * scale) {
        throw new InvalidArgumentError("middle", "a symmetric matrix", described(`entries (${i},${j}) and (${j},${i}) differ`));
      }
    }
  }
  return makeLowRank(w, middle, d, r);
}

/** @internal Wrap without checks (the producers of this package build valid factors). */
export function makeLowRank(w: Float64Array, middle: Float64Array, d: number, r: number): LowRankHessian {
  const small = (v: ArrayLike<number>): Float64Array => {
    if (v.length !== d) throw new DimensionMismatchError("v", `length ${d}`, described(`length ${v.length}`));
    const y = new Float64Array(r); // Wᵀ v
    for (let i = 0; i < d; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const row = i * r;
      for (let a = 0; a < r; a++) y[a] += w[row + a] * vi;
    }
    const z = new Float64Array(r); // M Wᵀ v
    for (let a = 0; a < r; a++) {
      let s = 0;
      for (let b = 0; b < r; b++) s += middle[a * r + b] * y[b];
      z[a] = s;
    }
    return z;
  };
  return {
    d,
    r,
    w,
    middle,
    matVec(v, out = new Float64Array(d)) {
      const z = small(v);
      for (let i = 0; i < d; i++) {
        let s = 0;
        const row = i * r;
        for (let a = 0; a < r; a++) s += w[row + a] * z[a];
        out[i] = s;
      }
      return out;
    },
    quadraticForm(v) {
      const z = small(v);
      const y = new Float64Array(r);
      for (let i = 0; i < d; i++) for (let a = 0; a < r; a++) y[a] += w[i * r + a] * v[i];
      let s = 0;
      for (let a = 0; a < r; a++) s += y[a] * z[a];
      return s;
    },
    toDense() {
      const wm = new Float64Array(d * r); // W M
      for (let i = 0; i < d; i++) {
        for (let b = 0; b < r; b++) {
          let s = 0;
          for (let a = 0; a < r; a++) s += w[i * r + a] * middle[a * r + b];
          wm[i * r + b] = s;
        }
      }
      const h = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) {
          let s = 0;
          for (let a = 0; a < r; a++) s += wm[i * r + a] * w[j * r + a];
          h[i * d + j] = s;
          h[j * d + i] = s;
        }
      }
      return h;
    },
    eigen(options: LowRankEigenOptions = {}) {
      const k = options.k === undefined ? Math.min(d, r) : checkInteger("options.k", options.k, 0, d);
      // H = sym(AᵀB) with A = Wᵀ (r×d) and B = M Wᵀ (r×d), since M is symmetric.
      const a = new Float64Array(r * d);
      const b = new Float64Array(r * d);
      for (let i = 0; i < d; i++) for (let c = 0; c < r; c++) a[c * d + i] = w[i * r + c];
      for (let c = 0; c < r; c++) {
        for (let e = 0; e < r; e++) {
          const m = middle[c * r + e];
          if (m === 0) continue;
          for (let i = 0; i < d; i++) b[c * d + i] += m * a[e * d + i];
        }
      }
      return eigenFromFactors(a, b, r, d, { scale: 1, k, order: options.order });
    },
  };
}
