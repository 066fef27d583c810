import { ConvergenceError } from "./convergence-error.js";
import { type EigenOrder, orderedIndices } from "./eigenpairs.js";
import { uniformGenerator } from "./random.js";
import { addRowDots, subtractRowCombinations } from "./row-kernels.js";
import { hypot, reduceToTridiagonal } from "./tridiagonal-ql.js";

/**
 * The first `k` eigenpairs (in `order`) of a symmetric matrix, for `k` well below `n` (internal kernel).
 *
 * Full QL (`tql2`) spends most of its time rotating all `n` eigenvectors; when only `k` are wanted this path does
 * what LAPACK's `dsyevx` does: Householder tridiagonalisation without accumulating the reflectors
 * (`≈ 4n³/3` flops), all eigenvalues of the tridiagonal `T` by implicit QL without vectors (`O(n²)`), the wanted
 * eigenvectors of `T` by inverse iteration with reorthogonalisation inside clusters (LAPACK `dstein`'s scheme,
 * `O(nk)` plus `O(n·c²)` per cluster of `c` close eigenvalues), and the back-transformation by the reflectors
 * (`n²k` multiply-adds).
 *
 * Every returned vector is checked (`‖Tz − λz‖ ≤ 100·n·ε·‖T‖`, and all pairwise inner products below
 * `1e-13·√n`); when a check fails, `null` is returned and the caller falls back to full QL, so the result is never
 * worse than that path's.
 *
 * @param w - the symmetric `n×n` matrix, row-major (destroyed).
 * @returns values (length `k`, in `order`) and vectors (`k×n` rows), or `null` if inverse iteration failed.
 * @internal
 */
export function selectedEigenpairs(
  w: Float64Array,
  n: number,
  order: EigenOrder,
  k: number,
): { values: Float64Array; vectors: Float64Array } | null {
  const h = new Float64Array(n);
  const sub = new Float64Array(n);
  reduceToTridiagonal(w, n, h, sub);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = w[i * n + i];
  // off[i] = T[i+1][i]
  const off = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) off[i] = sub[i + 1];

  const all = tridiagonalEigenvalues(diag, off);
  const chosen = orderedIndices(all, order).slice(0, k);
  const values = Float64Array.from(chosen, (i) => all[i]);

  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(diag[i]) + Math.abs(off[i]) + (i > 0 ? Math.abs(off[i - 1]) : 0));
  const eps = Number.EPSILON;
  const clusterGap = 1e-3 * tnorm;
  const shiftGap = 10 * eps * tnorm;
  const tiny = eps * tnorm || Number.MIN_VALUE;
  const acceptable = 100 * n * eps * tnorm;

  // process in ascending value so that close eigenvalues are neighbours
  const byValue = Array.from({ length: k }, (_, j) => j).sort((a, b) => values[a] - values[b] || a - b);
  const vectors = new Float64Array(k * n);
  const random = uniformGenerator(0x5eed);
  const lu = tridiagonalLU(n);
  const x = new Float64Array(n);
  let clusterStart = 0;
  let previousShift = -Infinity;
  for (let p = 0; p < k; p++) {
    const j = byValue[p];
    const lambda = values[j];
    if (p > 0 && lambda - values[byValue[p - 1]] > clusterGap) clusterStart = p;
    const shift = p > clusterStart && lambda <= previousShift + shiftGap ? previousShift + shiftGap : lambda;
    previousShift = shift;
    lu.factor(diag, off, shift, tiny);
    for (let i = 0; i < n; i++) x[i] = random() - 0.5;
    let converged = false;
    for (let iteration = 0; iteration < 6 && !converged; iteration++) {
      orthogonaliseAgainst(x, vectors, byValue, clusterStart, p, n);
      normalise(x);
      lu.solve(x);
      normalise(x);
      if (iteration >= 1) converged = residual(diag, off, lambda, x) <= acceptable;
    }
    orthogonaliseAgainst(x, vectors, byValue, clusterStart, p, n);
    normalise(x);
    if (!(residual(diag, off, lambda, x) <= acceptable)) return null;
    vectors.set(x, j * n);
  }

  // vectors of different clusters are orthogonal only to about residual/gap: verify, or let the caller fall back
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[a * n + i] * vectors[b * n + i];
      if (Math.abs(s - (a === b ? 1 : 0)) > 1e-13 * Math.sqrt(n)) return null;
    }
  }

  // back-transformation: v = P_{n−1}(···(P₁z)), Pᵢ = I − uᵢuᵢᵀ/hᵢ with uᵢ = w[i*n .. i*n+i)
  const dots = new Float64Array(k);
  for (let i = 1; i < n; i++) {
    if (h[i] === 0) continue;
    dots.fill(0);
    addRowDots(dots, k, w, i * n, n, 1, vectors, 0, n, k, i);
    for (let j = 0; j < k; j++) dots[j] /= h[i];
    subtractRowCombinations(vectors, 0, n, k, w, i * n, n, 1, dots, k, i);
  }
  return { values, vectors };
}

/** Eigenvalues (ascending) of the symmetric tridiagonal with diagonal `diag` and `off[i] = T[i+1][i]`: `tql1`. */
export function tridiagonalEigenvalues(diag: Float64Array, off: Float64Array): Float64Array {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = Float64Array.from(off);
  if (n > 0) e[n - 1] = 0;
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
        let hh = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= hh;
        f += hh;
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
          hh = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = hh + s * (c * g + s * d[i]);
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return d.sort();
}

/**
 * LU factorisation with partial pivoting of `T − σI` for tridiagonal `T` (LAPACK `dgttrf`/`dgttrs`), reusing its
 * buffers across shifts. Zero pivots are replaced by `tiny`, as inverse iteration wants a near-singular solve,
 * not a failure.
 */
function tridiagonalLU(n: number) {
  const dl = new Float64Array(n);
  const dd = new Float64Array(n);
  const du = new Float64Array(n);
  const du2 = new Float64Array(n);
  const swapped = new Uint8Array(n);
  return {
    factor(diag: Float64Array, off: Float64Array, shift: number, tiny: number): void {
      for (let i = 0; i < n; i++) {
        dd[i] = diag[i] - shift;
        dl[i] = off[i];
        du[i] = off[i];
        du2[i] = 0;
        swapped[i] = 0;
      }
      for (let i = 0; i + 1 < n; i++) {
        if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
          if (dd[i] !== 0) {
            const fact = dl[i] / dd[i];
            dl[i] = fact;
            dd[i + 1] -= fact * du[i];
          } else {
            dl[i] = 0;
          }
        } else {
          const fact = dd[i] / dl[i];
          dd[i] = dl[i];
          dl[i] = fact;
          const temp = du[i];
          du[i] = dd[i + 1];
          dd[i + 1] = temp - fact * dd[i + 1];
          if (i + 2 < n) {
            du2[i] = du[i + 1];
            du[i + 1] = -fact * du[i + 1];
          }
          swapped[i] = 1;
        }
      }
      for (let i = 0; i < n; i++) if (Math.abs(dd[i]) < tiny) dd[i] = dd[i] < 0 ? -tiny : tiny;
    },
    solve(x: Float64Array): void {
      for (let i = 0; i + 1 < n; i++) {
        if (swapped[i]) {
          const temp = x[i];
          x[i] = x[i + 1];
          x[i + 1] = temp - dl[i] * x[i];
        } else {
          x[i + 1] -= dl[i] * x[i];
        }
      }
      x[n - 1] /= dd[n - 1];
      if (n > 1) x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) / dd[n - 2];
      for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
    },
  };
}

/** Gram–Schmidt (twice) of `x` against the vectors already computed for positions `[from, to)` of `byValue`. */
function orthogonaliseAgainst(x: Float64Array, vectors: Float64Array, byValue: number[], from: number, to: number, n: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let q = from; q < to; q++) {
      const row = byValue[q] * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += vectors[row + i] * x[i];
      for (let i = 0; i < n; i++) x[i] -= s * vectors[row + i];
    }
  }
}

function normalise(x: Float64Array): void {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]));
  if (scale === 0 || !Number.isFinite(scale)) {
    x.fill(0);
    x[0] = 1;
    return;
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] /= scale;
    s += x[i] * x[i];
  }
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < x.length; i++) x[i] *= inv;
}

/** `‖Tx − λx‖` for the tridiagonal `T`. */
function residual(diag: Float64Array, off: Float64Array, lambda: number, x: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let v = (diag[i] - lambda) * x[i];
    if (i > 0) v += off[i - 1] * x[i - 1];
    if (i + 1 < n) v += off[i] * x[i + 1];
    s += v * v;
  }
  return Math.sqrt(s);
}
