import type { DenseKernels } from "./kernels/dense-kernels.js";
import { hypot, tridiagonalQL } from "./tridiagonal-ql.js";

/** Subproblems up to this order are solved by QL with vectors (LAPACK `dstedc`'s `SMLSIZ` is 25). */
const LEAF = 32;

/** Working arrays of {@link tridiagonalDivideConquer}, allocated together from the kernels. */
export function divideConquerLengths(n: number): number[] {
  // three n×n blocks (gathered old vectors, rank-one vectors / deltas, products) and vectors of length n
  return [n * n, n * n, n * n, n, n, n, n, n, n];
}

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer with the
 * Gu–Eisenstat eigenvector formula (LAPACK `dstedc`/`dlaed0`–`dlaed4`): split at the middle by a rank-one tear,
 * solve both halves recursively, deflate small or repeated components, solve the secular equation for the rest,
 * recompute `ẑ` from the computed roots (Löwner's formula) so the vectors are orthogonal to working accuracy, and
 * combine old and new vectors with one matrix product per merge on the fast kernel. Leaves of up to `LEAF` rows
 * use {@link tridiagonalQL}.
 *
 * @param d - diagonal (length `n`); on exit the eigenvalues, ascending.
 * @param e - `e[i] = T[i+1][i]`; destroyed.
 * @param z - `n×n`, zero on entry; on exit row `j` is the unit eigenvector of `d[j]`.
 * @param work - arrays of {@link divideConquerLengths}.
 * @internal
 */
export function tridiagonalDivideConquer(kernels: DenseKernels, d: Float64Array, e: Float64Array, n: number, z: Float64Array, work: Float64Array[]): void {
  solve(kernels, d, e, z, n, 0, n, work);
}

function solve(kernels: DenseKernels, d: Float64Array, e: Float64Array, z: Float64Array, n: number, o: number, m: number, work: Float64Array[]): void {
  if (m <= LEAF) {
    for (let r = 0; r < m; r++) z[(o + r) * n + o + r] = 1;
    const dd = d.subarray(o, o + m);
    const ee = Float64Array.from(e.subarray(o, o + m));
    if (m > 0) ee[m - 1] = 0;
    tridiagonalQL(dd, ee, m, z, o * n + o, n);
    return;
  }
  const k = m >> 1;
  // tear: T = diag(T₁, T₂) + ρ u uᵀ, u = e_{k−1} + σ e_k, ρ = |e|, σ = sign(e)
  const coupling = e[o + k - 1];
  const rho = Math.abs(coupling);
  const sigma = coupling < 0 ? -1 : 1;
  d[o + k - 1] -= rho;
  d[o + k] -= rho;
  solve(kernels, d, e, z, n, o, k, work);
  solve(kernels, d, e, z, n, o + k, m - k, work);
  merge(kernels, d, z, n, o, m, k, rho, sigma, work);
}

/**
 * Merge two solved halves: the eigenpairs of `diag(D₁, D₂) + ρ w wᵀ` with `w = Qᵀu` (`dlaed1`–`dlaed3`).
 * Rows `o..o+m` of `z` (columns `o..o+m`) hold the halves' eigenvectors on entry and the merged ones on exit.
 */
function merge(
  kernels: DenseKernels,
  d: Float64Array,
  z: Float64Array,
  n: number,
  o: number,
  m: number,
  k: number,
  rhoIn: number,
  sigma: number,
  work: Float64Array[],
): void {
  const [oldRows, delta, product, w, dsorted, perm, zhat, values, order] = work;
  // w = Qᵀu / √2 (unit length), ρ doubled to match
  const s2 = Math.SQRT1_2;
  for (let j = 0; j < k; j++) w[j] = z[(o + j) * n + o + k - 1] * s2;
  for (let j = k; j < m; j++) w[j] = sigma * z[(o + j) * n + o + k] * s2;
  const rho = 2 * rhoIn;

  // merge the two ascending halves into one ascending order (perm: position → row of the block)
  {
    let a = 0;
    let b = k;
    for (let p = 0; p < m; p++) {
      if (b >= m || (a < k && d[o + a] <= d[o + b])) perm[p] = a++;
      else perm[p] = b++;
    }
  }
  let dmax = 0;
  let wmax = 0;
  for (let j = 0; j < m; j++) {
    dmax = Math.max(dmax, Math.abs(d[o + j]));
    wmax = Math.max(wmax, Math.abs(w[j]));
  }
  const tol = 8 * Number.EPSILON * Math.max(dmax, wmax);
  if (rho * wmax <= tol) {
    // every component deflates: the halves' pairs are the merged ones
    finishDeflatedOnly(d, z, n, o, m, perm, values, oldRows);
    return;
  }

  // deflation (dlaed2): tiny w components, then nearly equal d's combined by a rotation
  const kept: number[] = [];
  const deflated: number[] = [];
  // support of each row of the block: 1 = columns [0, k), 2 = [k, m), 3 = both (after a rotation across the halves)
  const support = new Uint8Array(m);
  for (let j = 0; j < m; j++) support[j] = j < k ? 1 : 2;
  let previous = -1;
  for (let p = 0; p < m; p++) {
    const j = perm[p];
    if (rho * Math.abs(w[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (previous < 0) {
      previous = j;
      continue;
    }
    let s = w[previous];
    let c = w[j];
    const tau = hypot(c, s);
    const t = d[o + j] - d[o + previous];
    c /= tau;
    s = -s / tau;
    if (Math.abs(t * c * s) <= tol) {
      // rotate the pair so that `previous` loses its w component; it deflates with the rotated value
      w[j] = tau;
      w[previous] = 0;
      const rp = (o + previous) * n + o;
      const rj = (o + j) * n + o;
      for (let t2 = 0; t2 < m; t2++) {
        const x = z[rp + t2];
        const y = z[rj + t2];
        z[rp + t2] = c * x + s * y;
        z[rj + t2] = c * y - s * x;
      }
      const dp = d[o + previous];
      const dj = d[o + j];
      d[o + previous] = dp * c * c + dj * s * s;
      d[o + j] = dp * s * s + dj * c * c;
      support[j] |= support[previous];
      support[previous] |= support[j];
      deflated.push(previous);
      previous = j;
    } else {
      kept.push(previous);
      previous = j;
    }
  }
  if (previous >= 0) kept.push(previous);
  // kept rows must be in ascending d (a rotation can move d[j] past a later kept value only within tol: re-sort)
  kept.sort((a, b) => d[o + a] - d[o + b]);
  const K = kept.length;
  for (let q = 0; q < K; q++) {
    dsorted[q] = d[o + kept[q]];
    zhat[q] = w[kept[q]];
  }

  // secular equation: root q, delta[q·K + j] = dsorted[j] − λ_q
  for (let q = 0; q < K; q++) values[q] = secularRoot(dsorted, zhat, K, rho, q, delta, q * K);
  // Löwner: ẑ_j² = Π_q (λ_q − d_j) / (ρ Π_{l≠j} (d_l − d_j))
  for (let j = 0; j < K; j++) {
    let prod = -delta[j * K + j] / rho;
    for (let q = 0; q < K; q++) {
      if (q === j) continue;
      prod *= delta[q * K + j] / (dsorted[q] - dsorted[j]);
    }
    const magnitude = Math.sqrt(Math.abs(prod));
    order[j] = zhat[j] < 0 ? -magnitude : magnitude;
  }
  // The kept old vectors fall in three groups by support: first half only, both (rotated across the halves), second
  // half only. Ordered that way (position pos[q]), the product splits into two smaller ones (dlaed3's trick):
  // columns [0, k) need only the first two groups, columns [k, m) only the last two.
  const groupOf = (q: number): number => (support[kept[q]] === 1 ? 0 : support[kept[q]] === 3 ? 1 : 2);
  const count = [0, 0, 0];
  for (let q = 0; q < K; q++) count[groupOf(q)]++;
  const start = [0, count[0], count[0] + count[1]];
  const pos = new Int32Array(K);
  for (let q = 0; q < K; q++) pos[q] = start[groupOf(q)]++;
  // rank-one eigenvectors as rows, columns in pos order: u_q[j] = ẑ_j / (d_j − λ_q), normalised (in place of delta)
  const row = zhat; // the secular weights are no longer needed: a scratch row
  for (let q = 0; q < K; q++) {
    const r = q * K;
    let s = 0;
    for (let j = 0; j < K; j++) {
      const v = order[j] / delta[r + j];
      row[j] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < K; j++) delta[r + pos[j]] = row[j] * inv;
  }
  for (let q = 0; q < K; q++) oldRows.set(z.subarray((o + kept[q]) * n + o, (o + kept[q]) * n + o + m), pos[q] * m);
  product.fill(0, 0, K * m);
  const firstRows = count[0] + count[1];
  kernels.gemm(K, k, firstRows, 1, delta, 0, K, oldRows, 0, m, product, 0, m);
  kernels.gemm(K, m - k, K - count[0], 1, delta, count[0], K, oldRows, count[0] * m + k, m, product, k, m);
  // deflated vectors follow unchanged
  for (let q = 0; q < deflated.length; q++) {
    const j = deflated[q];
    values[K + q] = d[o + j];
    product.set(z.subarray((o + j) * n + o, (o + j) * n + o + m), (K + q) * m);
  }
  writeSorted(d, z, n, o, m, values, product);
}

/** All of `w` deflated: reorder the halves' pairs by value into the block. */
function finishDeflatedOnly(d: Float64Array, z: Float64Array, n: number, o: number, m: number, perm: Float64Array, values: Float64Array, rows: Float64Array): void {
  for (let p = 0; p < m; p++) {
    const j = perm[p];
    values[p] = d[o + j];
    rows.set(z.subarray((o + j) * n + o, (o + j) * n + o + m), p * m);
  }
  writeSorted(d, z, n, o, m, values, rows);
}

/** Write `m` pairs (values, rows of length `m`) into the block in ascending order of value. */
function writeSorted(d: Float64Array, z: Float64Array, n: number, o: number, m: number, values: Float64Array, rows: Float64Array): void {
  const index = Array.from({ length: m }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  for (let p = 0; p < m; p++) {
    const q = index[p];
    d[o + p] = values[q];
    z.set(rows.subarray(q * m, q * m + m), (o + p) * n + o);
  }
}

/**
 * Root `q` of the secular equation `f(λ) = 1 + ρ Σ_j w_j²/(d_j − λ) = 0` (`ρ > 0`, `d` ascending, no `w_j = 0`),
 * the one in `(d_q, d_{q+1})` (or `(d_{K−1}, d_{K−1} + ρ‖w‖²]` for the last). Solved in the variable
 * `τ = λ − d_origin` from the nearer pole, so that every `d_j − λ = (d_j − d_origin) − τ` keeps full relative
 * accuracy (what the eigenvectors need); iteration: the two-pole rational model of `dlaed4` (ψ for poles at and
 * left of the interval, φ right of it, each matched in value and slope), safeguarded by bisection on the bracket.
 * Writes `d_j − λ` to `delta[at + j]` and returns `λ`.
 */
function secularRoot(d: Float64Array, w: Float64Array, K: number, rho: number, q: number, delta: Float64Array, at: number): number {
  const last = q === K - 1;
  let origin = q;
  let lo: number;
  let hi: number;
  if (last) {
    let w2 = 0;
    for (let j = 0; j < K; j++) w2 += w[j] * w[j];
    lo = 0;
    hi = rho * w2;
  } else {
    const gap = d[q + 1] - d[q];
    const mid = 0.5 * gap;
    // f at the midpoint decides the nearer pole
    let f = 1;
    for (let j = 0; j < K; j++) f += (rho * w[j] * w[j]) / (d[j] - d[q] - mid);
    if (f > 0) {
      lo = 0;
      hi = mid;
    } else {
      origin = q + 1;
      lo = -mid;
      hi = 0;
    }
  }
  const base = d[origin];
  for (let j = 0; j < K; j++) delta[at + j] = d[j] - base;
  const left = delta[at + q]; // pole at the left end (relative to origin)
  const right = last ? Infinity : delta[at + q + 1];
  let tau = last ? 0.5 * hi : 0.5 * (lo + hi);
  const eps = Number.EPSILON;
  for (let iteration = 0; iteration < 100; iteration++) {
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    let magnitude = 0;
    for (let j = 0; j <= q; j++) {
      const r = w[j] / (delta[at + j] - tau);
      psi += w[j] * r;
      dpsi += r * r;
      magnitude += Math.abs(w[j] * r);
    }
    for (let j = q + 1; j < K; j++) {
      const r = w[j] / (delta[at + j] - tau);
      phi += w[j] * r;
      dphi += r * r;
      magnitude += Math.abs(w[j] * r);
    }
    const f = 1 + rho * (psi + phi);
    if (f > 0) hi = tau;
    else lo = tau;
    if (Math.abs(f) <= 8 * K * eps * (1 + rho * magnitude) || hi - lo <= 2 * eps * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // model: 1 + ρ(a₁ + b₁/(left − t) + a₂ + b₂/(right − t)) = 0
    const p = left - tau;
    const b1 = dpsi * p * p;
    const a1 = psi - b1 / p;
    let next: number;
    if (last) {
      // 1 + ρa₁ + ρb₁/(left − t) = 0
      const A = 1 + rho * a1;
      next = A > 0 ? left + (rho * b1) / A : NaN;
    } else {
      const r0 = right - tau;
      const b2 = dphi * r0 * r0;
      const a2 = phi - b2 / r0;
      const A = 1 + rho * (a1 + a2);
      const B1 = rho * b1;
      const B2 = rho * b2;
      // A(left − t)(right − t) + B1(right − t) + B2(left − t) = 0, in s = t − left: A s² − s(A·g + B1 + B2) + B1·g = 0
      const g = right - left;
      const bq = A * g + B1 + B2;
      const disc = bq * bq - 4 * A * B1 * g;
      if (disc < 0) next = NaN;
      else if (A === 0) next = left + (B1 * g) / bq;
      else {
        const root = Math.sqrt(disc);
        // the root in (0, g): stable form
        const s = bq > 0 ? (2 * B1 * g) / (bq + root) : (bq - root) / (2 * A);
        next = left + s;
      }
    }
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
  }
  for (let j = 0; j < K; j++) delta[at + j] -= tau;
  return base + tau;
}
