import type { DenseKernels } from "./dense-kernels.js";

/**
 * The dense kernels in plain JavaScript: 4×4 register tiles (every loaded value used four times), cache blocks of
 * 128 along `k`. The fallback where WebAssembly SIMD is not available.
 * @internal
 */
export const jsKernels: DenseKernels = {
  name: "js",
  workspace(lengths) {
    return lengths.map((n) => new Float64Array(n));
  },
  release() {},
  gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc) {
    for (let p0 = 0; p0 < k; p0 += K_BLOCK) gemmBlock(m, n, Math.min(K_BLOCK, k - p0), alpha, a, aOff + p0, lda, b, bOff + p0 * ldb, ldb, c, cOff, ldc);
  },
  symvLower(n, a, aOff, lda, x, xOff, y, yOff) {
    for (let i = 0; i < n; i++) y[yOff + i] = 0;
    for (let i = 0; i < n; i++) {
      const row = aOff + i * lda;
      const xi = x[xOff + i];
      let s = 0;
      for (let j = 0; j < i; j++) {
        const v = a[row + j];
        s += v * x[xOff + j];
        y[yOff + j] += v * xi;
      }
      y[yOff + i] += s + a[row + i] * xi;
    }
  },
};

const K_BLOCK = 128;

function gemmBlock(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  aOff: number,
  lda: number,
  b: Float64Array,
  bOff: number,
  ldb: number,
  c: Float64Array,
  cOff: number,
  ldc: number,
): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      let bp = bOff + j;
      for (let p = 0; p < k; p++, bp += ldb) {
        const q0 = b[bp], q1 = b[bp + 1], q2 = b[bp + 2], q3 = b[bp + 3];
        const p0 = a[a0 + p], p1 = a[a1 + p], p2 = a[a2 + p], p3 = a[a3 + p];
        s00 += p0 * q0; s01 += p0 * q1; s02 += p0 * q2; s03 += p0 * q3;
        s10 += p1 * q0; s11 += p1 * q1; s12 += p1 * q2; s13 += p1 * q3;
        s20 += p2 * q0; s21 += p2 * q1; s22 += p2 * q2; s23 += p2 * q3;
        s30 += p3 * q0; s31 += p3 * q1; s32 += p3 * q2; s33 += p3 * q3;
      }
      let o = cOff + i * ldc + j;
      c[o] += alpha * s00; c[o + 1] += alpha * s01; c[o + 2] += alpha * s02; c[o + 3] += alpha * s03;
      o += ldc;
      c[o] += alpha * s10; c[o + 1] += alpha * s11; c[o + 2] += alpha * s12; c[o + 3] += alpha * s13;
      o += ldc;
      c[o] += alpha * s20; c[o + 1] += alpha * s21; c[o + 2] += alpha * s22; c[o + 3] += alpha * s23;
      o += ldc;
      c[o] += alpha * s30; c[o + 1] += alpha * s31; c[o + 2] += alpha * s32; c[o + 3] += alpha * s33;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let bp = bOff + j;
      for (let p = 0; p < k; p++, bp += ldb) {
        const q = b[bp];
        s0 += a[a0 + p] * q; s1 += a[a1 + p] * q; s2 += a[a2 + p] * q; s3 += a[a3 + p] * q;
      }
      const o = cOff + i * ldc + j;
      c[o] += alpha * s0; c[o + ldc] += alpha * s1; c[o + 2 * ldc] += alpha * s2; c[o + 3 * ldc] += alpha * s3;
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * lda;
    const o = cOff + i * ldc;
    for (let p = 0; p < k; p++) {
      const f = alpha * a[a0 + p];
      if (f === 0) continue;
      const bp = bOff + p * ldb;
      for (let j = 0; j < n; j++) c[o + j] += f * b[bp + j];
    }
  }
}
