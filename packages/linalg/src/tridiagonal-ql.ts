import { ConvergenceError } from "./convergence-error.js";

/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson-type shifts (EISPACK `tql1`/`tql2`, the algorithm ml-matrix and JAMA use): the one QL loop of the
 * package. With `z` it also rotates the rows of `z` (start from the identity to get the eigenvectors of `T` as
 * rows; start from a basis to get that basis times them); without, it costs `O(n²)` and no vector is touched.
 *
 * @param d - the diagonal, length `n`; on exit the eigenvalues in ascending order.
 * @param e - `e[i] = T[i+1][i]` for `i < n − 1` (length ≥ `n`); destroyed.
 * @param n - order.
 * @param z - `null`, or the rows to rotate: row `r` occupies `z[zOff + r·ld .. + n)`; on exit row `r` belongs to
 *   `d[r]` (rows follow the sort).
 * @throws {@link ConvergenceError} if an eigenvalue has not converged after 60 sweeps (not seen on finite input).
 * @internal
 */
export function tridiagonalQL(d: Float64Array, e: Float64Array, n: number, z: Float64Array | null = null, zOff = 0, ld = n): void {
  if (n === 0) return;
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
          if (z) {
            const a = zOff + i * ld;
            const b = a + ld;
            for (let k = 0; k < n; k++) {
              const x = z[b + k];
              const y = z[a + k];
              z[b + k] = s * y + c * x;
              z[a + k] = c * y - s * x;
            }
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
  if (!z) {
    d.subarray(0, n).sort();
    return;
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
      const a = zOff + i * ld;
      const b = zOff + k * ld;
      for (let j = 0; j < n; j++) {
        const t = z[a + j];
        z[a + j] = z[b + j];
        z[b + j] = t;
      }
    }
  }
}

/** `sqrt(a² + b²)` without destructive overflow or underflow, cheaper than `Math.hypot`. @internal */
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
