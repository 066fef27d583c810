/**
 * Dense float64 products written as "all dot products between two sets of rows" (internal).
 *
 * Every product the float64 second-order passes need (`WᵀQW`, tangents `V Wᵀ`, adjoints `Δ W`) becomes a matrix
 * of dot products between rows of two row-major arrays once the transposed weights are kept alongside the weights.
 * The kernel cuts the shared axis into chunks that stay in cache and uses 4×4 register tiles, so each loaded value
 * is used four times; plain JavaScript has no SIMD, and this runs 2–3× faster than a rank-1-update loop here.
 * (`@smoothhess/linalg` has the same kernel internally; it is not exported, hence this copy.)
 * @internal
 */

const CHUNK = 1024;

/**
 * `out[a*ldo + i] = Σ_t x[a*len + t] · y[i*len + t]` for `a < na`, `i < ni`: the `na×ni` matrix of dot products
 * between the rows of `x` (`na×len`) and the rows of `y` (`ni×len`). Overwrites those entries of `out`.
 *
 * With `upper`, `x` and `y` must have the same number of rows and only the entries with `i ≥ a` are guaranteed
 * (4×4 tiles on the diagonal also write a few below it); call {@link mirrorUpper} to complete a symmetric result.
 * @internal
 */
export function rowDots(
  out: Float64Array,
  ldo: number,
  x: ArrayLike<number>,
  na: number,
  y: ArrayLike<number>,
  ni: number,
  len: number,
  upper = false,
): Float64Array {
  for (let a = 0; a < na; a++) out.fill(0, a * ldo, a * ldo + ni);
  if (len === 0 || na === 0 || ni === 0) return out;
  const lastA = na - 1;
  const lastI = ni - 1;
  for (let t0 = 0; t0 < len; t0 += CHUNK) {
    const t1 = Math.min(len, t0 + CHUNK);
    for (let a = 0; a < na; a += 4) {
      const a1 = Math.min(a + 1, lastA), a2 = Math.min(a + 2, lastA), a3 = Math.min(a + 3, lastA);
      const x0 = a * len, x1 = a1 * len, x2 = a2 * len, x3 = a3 * len;
      for (let i = upper ? a : 0; i < ni; i += 4) {
        const i1 = Math.min(i + 1, lastI), i2 = Math.min(i + 2, lastI), i3 = Math.min(i + 3, lastI);
        const y0 = i * len, y1 = i1 * len, y2 = i2 * len, y3 = i3 * len;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let t = t0; t < t1; t++) {
          const p0 = x[x0 + t], p1 = x[x1 + t], p2 = x[x2 + t], p3 = x[x3 + t];
          const q0 = y[y0 + t], q1 = y[y1 + t], q2 = y[y2 + t], q3 = y[y3 + t];
          s00 += p0 * q0; s01 += p0 * q1; s02 += p0 * q2; s03 += p0 * q3;
          s10 += p1 * q0; s11 += p1 * q1; s12 += p1 * q2; s13 += p1 * q3;
          s20 += p2 * q0; s21 += p2 * q1; s22 += p2 * q2; s23 += p2 * q3;
          s30 += p3 * q0; s31 += p3 * q1; s32 += p3 * q2; s33 += p3 * q3;
        }
        const rows = Math.min(4, na - a);
        const cols = Math.min(4, ni - i);
        let o = a * ldo + i;
        out[o] += s00;
        if (cols > 1) out[o + 1] += s01;
        if (cols > 2) out[o + 2] += s02;
        if (cols > 3) out[o + 3] += s03;
        if (rows > 1) {
          o += ldo;
          out[o] += s10;
          if (cols > 1) out[o + 1] += s11;
          if (cols > 2) out[o + 2] += s12;
          if (cols > 3) out[o + 3] += s13;
        }
        if (rows > 2) {
          o += ldo;
          out[o] += s20;
          if (cols > 1) out[o + 1] += s21;
          if (cols > 2) out[o + 2] += s22;
          if (cols > 3) out[o + 3] += s23;
        }
        if (rows > 3) {
          o += ldo;
          out[o] += s30;
          if (cols > 1) out[o + 1] += s31;
          if (cols > 2) out[o + 2] += s32;
          if (cols > 3) out[o + 3] += s33;
        }
      }
    }
  }
  return out;
}

/** Copy the upper triangle of the row-major `n×n` matrix `a` onto its lower triangle (exact symmetry). @internal */
export function mirrorUpper(a: Float64Array, n: number, offset = 0): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) a[offset + j * n + i] = a[offset + i * n + j];
  }
  return a;
}

/** Row-major transpose of the `rows×cols` matrix `a` into a new `cols×rows` Float64Array. @internal */
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[row + c];
  }
  return out;
}
