import { ConvergenceError } from "./convergence-error.js";

/**
 * Eigen-decomposition of a symmetric matrix, in place, without any checks (internal kernel).
 *
 * Householder reduction to tridiagonal form followed by the implicit QL algorithm with Wilkinson-type shifts:
 * EISPACK's `tred2` + `tql2` (the algorithm ml-matrix and JAMA use), rewritten for one flat row-major
 * `Float64Array` stored **transposed** so that every inner loop (the symmetric rank-2 updates, the accumulation of
 * the reflectors and the Givens rotations of the QL sweeps) runs over contiguous memory. That layout also leaves
 * the eigenvectors as the *rows* of `w`, which is the layout of {@link SymmetricEigen.vectors}.
 *
 * @param w - on entry the `n×n` symmetric matrix (row-major, both triangles); on exit row `j` is the unit
 *   eigenvector of `values[j]`.
 * @param n - order.
 * @param values - length `n`, receives the eigenvalues in ascending order.
 * @throws {@link ConvergenceError} if a QL sweep has not converged after 60 iterations for one eigenvalue
 *   (never observed on finite input; it guards against infinite loops on corrupted data).
 * @internal
 */
export function tridiagonalQLInPlace(w: Float64Array, n: number, values: Float64Array): void {
  if (n === 0) return;
  const d = values;
  const e = new Float64Array(n);
  reduceToTridiagonal(w, n, d, e);
  accumulateReflectors(w, n, d, e);
  implicitQL(w, n, d, e);
}

/**
 * First half of `tred2`: Householder reduction to tridiagonal form `T = Pᵀ A P`, `P = P_{n−1}···P₁`. In EISPACK's
 * notation `V(k, j)` is stored at `w[j*n + k]`. On exit: `T`'s diagonal is `w[i*n + i]`, its sub-diagonal
 * `T[i][i−1] = e[i]` (`i ≥ 1`); reflector `Pᵢ = I − uᵢuᵢᵀ/hᵢ` (`i ≥ 1`, identity when `hᵢ = 0`) has `uᵢ` in
 * `w[i*n .. i*n + i)` (supported on indices `< i`) and `hᵢ = d[i]`. The eigenvector of `A` for the eigenvector `z`
 * of `T` is `P_{n−1}(···(P₁z))`.
 * @internal
 */
export function reduceToTridiagonal(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];

  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;

      // e = (lower triangle of the leading i×i block) · d, one row of storage at a time
      const rowI = i * n;
      for (let j = 0; j < i; j++) {
        f = d[j];
        w[rowI + j] = f;
        const rowJ = j * n;
        g = e[j] + w[rowJ + j] * f;
        for (let k = j + 1; k < i; k++) {
          const v = w[rowJ + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // symmetric rank-2 update of the leading block
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const rowJ = j * n;
        for (let k = j; k < i; k++) w[rowJ + k] -= f * e[k] + g * d[k];
        d[j] = w[rowJ + i - 1];
        w[rowJ + i] = 0;
      }
    }
    d[i] = h;
  }
}

/** Second half of `tred2`: accumulate the reflectors into `w` and move `T`'s diagonal to `d`, as `tql2` expects. */
function accumulateReflectors(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 0; i < n - 1; i++) {
    const rowI = i * n;
    const rowNext = (i + 1) * n;
    w[rowI + n - 1] = w[rowI + i];
    w[rowI + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[rowNext + k] / h;
      for (let j = 0; j <= i; j++) {
        const rowJ = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[rowNext + k] * w[rowJ + k];
        for (let k = 0; k <= i; k++) w[rowJ + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[rowNext + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** `tql2`: implicit QL on the tridiagonal (`d` diagonal, `e` sub-diagonal), rotating the rows of `w`. */
function implicitQL(w: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;

  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new ConvergenceError("symmetricEigen", `the QL iteration for eigenvalue ${l} did not converge in 60 sweeps`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;

        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // rotate rows i and i+1 of the eigenvector matrix
          const a = i * n;
          const b = a + n;
          for (let k = 0; k < n; k++) {
            const x = w[b + k];
            const y = w[a + k];
            w[b + k] = s * y + c * x;
            w[a + k] = c * y - s * x;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }

  // selection sort into ascending order (n swaps of rows at most)
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      const a = i * n;
      const b = k * n;
      for (let j = 0; j < n; j++) {
        const t = w[a + j];
        w[a + j] = w[b + j];
        w[b + j] = t;
      }
    }
  }
}

/** `sqrt(a² + b²)` without destructive overflow or underflow, cheaper than `Math.hypot`. */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const t = y / x;
    return x * Math.sqrt(1 + t * t);
  }
  if (y === 0) return 0;
  const t = x / y;
  return y * Math.sqrt(1 + t * t);
}
