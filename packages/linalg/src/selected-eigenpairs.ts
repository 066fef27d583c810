import { type EigenOrder, orderedIndices } from "./eigenpairs.js";
import { uniformGenerator } from "./random.js";
import { addRowDots } from "./row-kernels.js";
import { tridiagonalQL } from "./tridiagonal-ql.js";

/**
 * The first `k` eigenpairs (in `order`) of a symmetric **tridiagonal** matrix, for `k` well below `n` (internal
 * kernel of {@link symmetricEigen}'s selected path).
 *
 * What LAPACK's `dsyevx` does after the reduction: all eigenvalues of `T` by implicit QL without vectors
 * (`O(n²)`), the wanted eigenvectors of `T` by inverse iteration with reorthogonalisation inside clusters (LAPACK
 * `dstein`'s scheme, `O(nk)` plus `O(n·c²)` per cluster of `c` close eigenvalues); the caller back-transforms the
 * `k` vectors.
 *
 * Every returned vector is checked (`‖Tz − λz‖ ≤ 100·n·ε·‖T‖`, and all pairwise inner products below
 * `1e-13·√n`); when a check fails, `null` is returned and the caller falls back to the full decomposition, so the
 * result is never worse than that path's.
 *
 * @param diag - `T`'s diagonal (not modified).
 * @param off - `off[i] = T[i+1][i]` (not modified).
 * @returns values (length `k`, in `order`) and vectors of `T` (`k×n` rows), or `null` if inverse iteration failed.
 * @internal
 */
export function selectedTridiagonalEigenpairs(
  diag: Float64Array,
  off: Float64Array,
  n: number,
  order: EigenOrder,
  k: number,
): { values: Float64Array; vectors: Float64Array } | null {
  const all = Float64Array.from(diag);
  tridiagonalQL(all, Float64Array.from(off), n);
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
  const gram = new Float64Array(k * k);
  addRowDots(gram, k, vectors, 0, n, k, vectors, 0, n, k, n);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      if (Math.abs(gram[a * k + b] - (a === b ? 1 : 0)) > 1e-13 * Math.sqrt(n)) return null;
    }
  }
  return { values, vectors };
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
