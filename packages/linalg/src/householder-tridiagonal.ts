import type { DenseKernels } from "./kernels/dense-kernels.js";
import { hypot } from "./tridiagonal-ql.js";

/** Reflectors per panel of the blocked reduction and per block of the back-transformation. */
export const PANEL = 32;
/** Rows of the trailing matrix updated per product call (keeps the update to the lower triangle plus a sliver). */
const ROW_BLOCK = 64;

/** Working arrays of {@link tridiagonalize} and {@link applyReflectors}, allocated together from the kernels. */
export interface ReflectorWork {
  /** `PANEL×n`: panel reflectors (rows), then a block of them for the back-transformation. */
  readonly vRows: Float64Array;
  /** `PANEL×n`: the panel's `W` (rows). */
  readonly wRows: Float64Array;
  /** `n×PANEL`: `V` transposed. */
  readonly vCols: Float64Array;
  /** `n×PANEL`: `W` transposed. */
  readonly wCols: Float64Array;
  /** `rows×PANEL` products of the back-transformation (`rows` = most vectors transformed at once). */
  readonly product: Float64Array;
  /** `rows×PANEL`. */
  readonly product2: Float64Array;
  /** `PANEL×PANEL`: Gram matrix, then the triangular factor `T` of the block reflector. */
  readonly gram: Float64Array;
}

/** Lengths of the {@link ReflectorWork} arrays, in field order, for order `n` and up to `rows` vectors. */
export function reflectorWorkLengths(n: number, rows: number): number[] {
  return [PANEL * n, PANEL * n, n * PANEL, n * PANEL, rows * PANEL, rows * PANEL, PANEL * PANEL];
}

/** The {@link ReflectorWork} views out of arrays allocated with {@link reflectorWorkLengths}. */
export function reflectorWork(arrays: Float64Array[]): ReflectorWork {
  const [vRows, wRows, vCols, wCols, product, product2, gram] = arrays;
  return { vRows, wRows, vCols, wCols, product, product2, gram };
}

/**
 * Blocked Householder reduction of a symmetric matrix to tridiagonal form `T = Qᵀ A Q` (LAPACK `dsytrd` with
 * `dlatrd` panels, the variant that reduces from the last row up): each panel of `PANEL` rows needs one
 * symmetric matrix-vector product per row with the not-yet-updated leading block, and the leading block is then
 * updated once per panel by the rank-`2·PANEL` product `A −= VᵀW + WᵀV` on the fast kernel, instead of one
 * rank-2 update per row.
 *
 * Storage: `a` is row-major `n×n`, only its lower triangle (`j ≤ i`) is read and kept. `Q = H_{n−1}···H₁`,
 * `Hᵢ = I − τᵢvᵢvᵢᵀ` with `vᵢ[i−1] = 1`, `vᵢ[t] = a[i·n + t]` for `t < i − 1` on exit and zero from `i` on.
 *
 * @param diag - receives `T[i][i]`.
 * @param off - receives `off[i] = T[i+1][i]`, `i < n − 1`.
 * @param tau - receives `τᵢ` at index `i` (`1 ≤ i < n`).
 * @internal
 */
export function tridiagonalize(
  kernels: DenseKernels,
  a: Float64Array,
  n: number,
  diag: Float64Array,
  off: Float64Array,
  tau: Float64Array,
  work: ReflectorWork,
): void {
  const { vRows, wRows, vCols, wCols } = work;
  let hi = n;
  while (hi > 1) {
    const lo = Math.max(1, hi - PANEL);
    vRows.fill(0);
    wRows.fill(0);
    for (let i = hi - 1; i >= lo; i--) {
      const r = hi - 1 - i;
      const row = i * n;
      // bring row i (entries 0..i) up to date with the panel's earlier reflectors
      for (let q = 0; q < r; q++) {
        const vq = q * n;
        const f = wRows[vq + i];
        const g = vRows[vq + i];
        for (let t = 0; t <= i; t++) a[row + t] -= vRows[vq + t] * f + wRows[vq + t] * g;
      }
      diag[i] = a[row + i];
      // reflector annihilating a[i][0..i−2] (LAPACK dlarfg)
      const alpha = a[row + i - 1];
      let xnorm = 0;
      for (let t = 0; t < i - 1; t++) xnorm = hypot(xnorm, a[row + t]);
      const vr = r * n;
      let t0 = 0;
      if (xnorm === 0) {
        off[i - 1] = alpha;
      } else {
        const beta = alpha > 0 ? -hypot(alpha, xnorm) : hypot(alpha, xnorm);
        t0 = (beta - alpha) / beta;
        const scale = 1 / (alpha - beta);
        for (let t = 0; t < i - 1; t++) a[row + t] *= scale;
        off[i - 1] = beta;
      }
      tau[i] = t0;
      for (let t = 0; t < i - 1; t++) vRows[vr + t] = a[row + t];
      vRows[vr + i - 1] = 1;
      if (t0 === 0) continue;
      // w = τ(A v − V(Wᵀv) − W(Vᵀv)) − ½τ(wᵀv)v over the leading i×i block
      kernels.symvLower(i, a, 0, n, vRows, vr, wRows, vr);
      for (let q = 0; q < r; q++) {
        const vq = q * n;
        let c1 = 0;
        let c2 = 0;
        for (let t = 0; t < i; t++) {
          const v = vRows[vr + t];
          c1 += wRows[vq + t] * v;
          c2 += vRows[vq + t] * v;
        }
        for (let t = 0; t < i; t++) wRows[vr + t] -= c1 * vRows[vq + t] + c2 * wRows[vq + t];
      }
      let wv = 0;
      for (let t = 0; t < i; t++) {
        wRows[vr + t] *= t0;
        wv += wRows[vr + t] * vRows[vr + t];
      }
      const alpha2 = -0.5 * t0 * wv;
      for (let t = 0; t < i; t++) wRows[vr + t] += alpha2 * vRows[vr + t];
    }
    // A[0:lo, 0:lo] −= VᵀW + WᵀV (lower triangle, by row blocks)
    const nb = hi - lo;
    for (let t = 0; t < lo; t++) {
      for (let q = 0; q < nb; q++) {
        vCols[t * PANEL + q] = vRows[q * n + t];
        wCols[t * PANEL + q] = wRows[q * n + t];
      }
    }
    for (let r0 = 0; r0 < lo; r0 += ROW_BLOCK) {
      const r1 = Math.min(lo, r0 + ROW_BLOCK);
      kernels.gemm(r1 - r0, r1, nb, -1, vCols, r0 * PANEL, PANEL, wRows, 0, n, a, r0 * n, n);
      kernels.gemm(r1 - r0, r1, nb, -1, wCols, r0 * PANEL, PANEL, vRows, 0, n, a, r0 * n, n);
    }
    hi = lo;
  }
  diag[0] = a[0];
  if (n > 0) off[n - 1] = 0;
}

/**
 * Back-transformation: replace each of `count` rows `x` of `z` (row-major, `ld = n`) by `Q x = H_{n−1}(···(H₁x))`,
 * with the reflectors {@link tridiagonalize} left in `a`. Blocks of `PANEL` reflectors are applied as one block
 * reflector `I − V T Vᵀ` (LAPACK `dlarft` + `dlarfb`): two matrix products per block on the fast kernel.
 * @internal
 */
export function applyReflectors(
  kernels: DenseKernels,
  a: Float64Array,
  n: number,
  tau: Float64Array,
  z: Float64Array,
  count: number,
  work: ReflectorWork,
): void {
  const { vRows, vCols, product, product2, gram } = work;
  for (let lo = 1; lo < n; lo += PANEL) {
    const hi = Math.min(n, lo + PANEL);
    const k = hi - lo;
    const length = hi - 1; // support of the block's longest reflector
    // V's columns are v_{hi−1}, …, v_lo, so that H_{hi−1}···H_lo = I − V T Vᵀ (forward dlarft)
    for (let j = 0; j < k; j++) {
      const i = hi - 1 - j;
      const vr = j * n;
      const row = i * n;
      for (let t = 0; t < i - 1; t++) vRows[vr + t] = a[row + t];
      vRows[vr + i - 1] = 1;
      for (let t = i; t < length; t++) vRows[vr + t] = 0;
      for (let t = 0; t < length; t++) vCols[t * PANEL + j] = vRows[vr + t];
    }
    gram.fill(0);
    kernels.gemm(k, k, length, 1, vRows, 0, n, vCols, 0, PANEL, gram, 0, PANEL);
    // T upper triangular, in place of the Gram matrix's upper triangle: T[0:j, j] = −τ_j T[0:j, 0:j] (Vᵀv_j)[0:j]
    for (let j = 0; j < k; j++) {
      const tj = tau[hi - 1 - j];
      for (let q = 0; q < j; q++) {
        let s = 0;
        for (let p = q; p < j; p++) s += gram[q * PANEL + p] * gram[p * PANEL + j];
        product2[q] = s;
      }
      for (let q = 0; q < j; q++) gram[q * PANEL + j] = -tj * product2[q];
      gram[j * PANEL + j] = tj;
    }
    // Z −= (Z V) Tᵀ Vᵀ
    product.fill(0, 0, count * PANEL);
    kernels.gemm(count, k, length, 1, z, 0, n, vCols, 0, PANEL, product, 0, PANEL);
    for (let r = 0; r < count; r++) {
      const pr = r * PANEL;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let q = j; q < k; q++) s += product[pr + q] * gram[j * PANEL + q];
        product2[pr + j] = s;
      }
    }
    kernels.gemm(count, length, k, -1, product2, 0, PANEL, vRows, 0, n, z, 0, n);
  }
}
