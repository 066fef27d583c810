import type { DenseKernels } from "./kernels/dense-kernels.js";
import { hypot } from "./tridiagonal-ql.js";

/** Reflectors per panel of the blocked reduction. */
export const PANEL = 32;
/** Reflectors per block of the back-transformation (wider blocks: fewer passes over the vectors). */
const BLOCK = 2 * PANEL;
/** Rows of the trailing matrix updated per product call (keeps the update to the lower triangle plus a sliver). */
const ROW_BLOCK = 64;

/** Working arrays of {@link tridiagonalize} and {@link applyReflectors}, allocated together from the kernels. */
export interface ReflectorWork {
  /** `BLOCK×n`: the panel's `V` (rows `0..PANEL`) and `W` (rows `PANEL..2·PANEL`); then a block of reflectors. */
  readonly pairRows: Float64Array;
  /** `n×BLOCK`: `[W V]` transposed for the panel update; then the block's `V` transposed. */
  readonly pairCols: Float64Array;
  /** `rows×BLOCK` products of the back-transformation (`rows` = most vectors transformed at once). */
  readonly product: Float64Array;
  /** `rows×BLOCK`. */
  readonly product2: Float64Array;
  /** `BLOCK×BLOCK`: Gram matrix, then the triangular factor `T` of the block reflector. */
  readonly gram: Float64Array;
  /** `BLOCK×BLOCK`: `Tᵀ`. */
  readonly factorT: Float64Array;
  /** `2·BLOCK`: coefficients of one row's update in the panel, and products with the panel's reflectors. */
  readonly coefficients: Float64Array;
}

/** Lengths of the {@link ReflectorWork} arrays, in field order, for order `n` and up to `rows` vectors. */
export function reflectorWorkLengths(n: number, rows: number): number[] {
  return [BLOCK * n, n * BLOCK, rows * BLOCK, rows * BLOCK, BLOCK * BLOCK, BLOCK * BLOCK, 2 * BLOCK];
}

/** The {@link ReflectorWork} views out of arrays allocated with {@link reflectorWorkLengths}. */
export function reflectorWork(arrays: Float64Array[]): ReflectorWork {
  const [pairRows, pairCols, product, product2, gram, factorT, coefficients] = arrays;
  return { pairRows, pairCols, product, product2, gram, factorT, coefficients };
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
  const { pairRows, pairCols, coefficients } = work;
  const products = coefficients.subarray(BLOCK);
  const vRows = pairRows.subarray(0, PANEL * n);
  const wRows = pairRows.subarray(PANEL * n);
  let hi = n;
  while (hi > 1) {
    const lo = Math.max(1, hi - PANEL);
    pairRows.fill(0);
    for (let i = hi - 1; i >= lo; i--) {
      const r = hi - 1 - i;
      const row = i * n;
      // bring row i (entries 0..i) up to date with the panel's earlier reflectors: a_i −= Σ_q w_q[i]·v_q + v_q[i]·w_q
      if (r > 0) {
        coefficients.fill(0, 0, BLOCK);
        for (let q = 0; q < r; q++) {
          coefficients[q] = wRows[q * n + i];
          coefficients[PANEL + q] = vRows[q * n + i];
        }
        kernels.gemm(1, i + 1, BLOCK, -1, coefficients, 0, BLOCK, pairRows, 0, n, a, row, n);
      }
      diag[i] = a[row + i];
      // reflector annihilating a[i][0..i−2] (LAPACK dlarfg); the norm by a scaled sum of squares
      const alpha = a[row + i - 1];
      let largest = 0;
      for (let t = 0; t < i - 1; t++) largest = Math.max(largest, Math.abs(a[row + t]));
      let xnorm = 0;
      if (largest > 0) {
        const inv = 1 / largest;
        let sum = 0;
        for (let t = 0; t < i - 1; t++) {
          const x = a[row + t] * inv;
          sum += x * x;
        }
        xnorm = largest * Math.sqrt(sum);
      }
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
      if (r > 0) {
        // products[q] = v_q·v, products[PANEL + q] = w_q·v for the earlier reflectors q < r
        products.fill(0);
        kernels.gemm(BLOCK, 1, i, 1, pairRows, 0, n, vRows, vr, 1, products, 0, 1);
        coefficients.fill(0, 0, BLOCK);
        for (let q = 0; q < r; q++) {
          coefficients[q] = products[PANEL + q];
          coefficients[PANEL + q] = products[q];
        }
        kernels.gemm(1, i, BLOCK, -1, coefficients, 0, BLOCK, pairRows, 0, n, wRows, vr, n);
      }
      let wv = 0;
      for (let t = 0; t < i; t++) {
        wRows[vr + t] *= t0;
        wv += wRows[vr + t] * vRows[vr + t];
      }
      const alpha2 = -0.5 * t0 * wv;
      for (let t = 0; t < i; t++) wRows[vr + t] += alpha2 * vRows[vr + t];
    }
    // A[0:lo, 0:lo] −= [W V]ᵀ-columns · [V; W]-rows = VᵀW + WᵀV: one product of depth 2·PANEL per row block
    // (lower triangle plus the diagonal blocks' sliver; rows of an unused panel slot are zero)
    for (let t = 0; t < lo; t++) {
      for (let q = 0; q < PANEL; q++) {
        pairCols[t * BLOCK + q] = wRows[q * n + t];
        pairCols[t * BLOCK + PANEL + q] = vRows[q * n + t];
      }
    }
    for (let r0 = 0; r0 < lo; r0 += ROW_BLOCK) {
      const r1 = Math.min(lo, r0 + ROW_BLOCK);
      kernels.gemm(r1 - r0, r1, BLOCK, -1, pairCols, r0 * BLOCK, BLOCK, pairRows, 0, n, a, r0 * n, n);
    }
    hi = lo;
  }
  diag[0] = a[0];
  if (n > 0) off[n - 1] = 0;
}

/**
 * Back-transformation: replace each of `count` rows `x` of `z` (row-major, `ld = n`) by `Q x = H_{n−1}(···(H₁x))`,
 * with the reflectors {@link tridiagonalize} left in `a`. Blocks of `BLOCK` reflectors are applied as one block
 * reflector `I − V T Vᵀ` (LAPACK `dlarft` + `dlarfb`): three matrix products per block on the fast kernel.
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
  const { pairRows: vRows, pairCols: vCols, product, product2, gram, factorT } = work;
  for (let lo = 1; lo < n; lo += BLOCK) {
    const hi = Math.min(n, lo + BLOCK);
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
      for (let t = 0; t < length; t++) vCols[t * BLOCK + j] = vRows[vr + t];
    }
    gram.fill(0);
    kernels.gemm(k, k, length, 1, vRows, 0, n, vCols, 0, BLOCK, gram, 0, BLOCK);
    // T upper triangular, in place of the Gram matrix's upper triangle: T[0:j, j] = −τ_j T[0:j, 0:j] (Vᵀv_j)[0:j]
    for (let j = 0; j < k; j++) {
      const tj = tau[hi - 1 - j];
      for (let q = 0; q < j; q++) {
        let s = 0;
        for (let p = q; p < j; p++) s += gram[q * BLOCK + p] * gram[p * BLOCK + j];
        product2[q] = s;
      }
      for (let q = 0; q < j; q++) gram[q * BLOCK + j] = -tj * product2[q];
      gram[j * BLOCK + j] = tj;
    }
    factorT.fill(0);
    for (let j = 0; j < k; j++) for (let q = j; q < k; q++) factorT[q * BLOCK + j] = gram[j * BLOCK + q];
    // Z −= ((Z V) Tᵀ) Vᵀ
    product.fill(0, 0, count * BLOCK);
    kernels.gemm(count, k, length, 1, z, 0, n, vCols, 0, BLOCK, product, 0, BLOCK);
    product2.fill(0, 0, count * BLOCK);
    kernels.gemm(count, k, k, 1, product, 0, BLOCK, factorT, 0, BLOCK, product2, 0, BLOCK);
    kernels.gemm(count, length, k, -1, product2, 0, BLOCK, vRows, 0, n, z, 0, n);
  }
}
