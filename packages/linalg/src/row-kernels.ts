/**
 * Cache-blocked kernels on sets of long rows, exported for the other packages (the surrogates' float64
 * second-order passes use them).
 *
 * The factored eigen path works on a few thousand vectors of length `d` (up to 150,528), stored as the rows of one
 * `Float64Array`. Its two heavy operations are "all dot products between two sets of rows" and "subtract
 * combinations of one set of rows from another". Both are written here once: the length-`d` axis is cut into
 * chunks that stay in cache, and 4×4 register tiles give every loaded value four uses (plain JavaScript, so
 * that they run on any array without copying; the dense eigensolver's products run on the SIMD kernels instead).
 */
import { InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import { checkArrayLength, checkRowBlock } from "./kernel-checks.js";

/** Length of the slice of every row processed together (8 KiB per row, a 4-row tile fits in L1). */
const CHUNK = 1024;

/**
 * `out[a*ldo + i] += Σ_{t<len} x[xOff + a*ldx + t] · y[yOff + i*ldy + t]` for `a < na`, `i < ni`:
 * the `na×ni` matrix of dot products between rows of `x` and rows of `y` (both read over `len` entries),
 * accumulated into `out`.
 *
 * @throws {@link InvalidArgumentError} for arrays that are not `Float64Array`s or negative / non-integer sizes,
 *   {@link DimensionMismatchError} when a block does not fit in its array.
 *
 * @example
 * ```ts
 * import { addRowDots } from "@smoothhess/linalg";
 * const x = Float64Array.of(1, 2, 3, 4); // two rows of length 2
 * const gram = new Float64Array(4);
 * addRowDots(gram, 2, x, 0, 2, 2, x, 0, 2, 2, 2); // [5, 11, 11, 25]
 * ```
 */
export function addRowDots(
  out: Float64Array,
  ldo: number,
  x: Float64Array,
  xOff: number,
  ldx: number,
  na: number,
  y: Float64Array,
  yOff: number,
  ldy: number,
  ni: number,
  len: number,
): void {
  checkInteger("na", na, 0);
  checkInteger("ni", ni, 0);
  checkInteger("len", len, 0);
  checkRowBlock("out", out, 0, ldo, na, ni);
  checkRowBlock("x", x, xOff, ldx, na, len);
  checkRowBlock("y", y, yOff, ldy, ni, len);
  addRowDotsKernel(out, ldo, x, xOff, ldx, na, y, yOff, ldy, ni, len);
}

function addRowDotsKernel(
  out: Float64Array,
  ldo: number,
  x: Float64Array,
  xOff: number,
  ldx: number,
  na: number,
  y: Float64Array,
  yOff: number,
  ldy: number,
  ni: number,
  len: number,
): void {
  for (let t0 = 0; t0 < len; t0 += CHUNK) {
    const t1 = Math.min(len, t0 + CHUNK);
    let a = 0;
    for (; a + 4 <= na; a += 4) {
      const x0 = xOff + a * ldx;
      const x1 = x0 + ldx;
      const x2 = x1 + ldx;
      const x3 = x2 + ldx;
      let i = 0;
      for (; i + 4 <= ni; i += 4) {
        const y0 = yOff + i * ldy;
        const y1 = y0 + ldy;
        const y2 = y1 + ldy;
        const y3 = y2 + ldy;
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
        let o = a * ldo + i;
        out[o] += s00; out[o + 1] += s01; out[o + 2] += s02; out[o + 3] += s03;
        o += ldo;
        out[o] += s10; out[o + 1] += s11; out[o + 2] += s12; out[o + 3] += s13;
        o += ldo;
        out[o] += s20; out[o + 1] += s21; out[o + 2] += s22; out[o + 3] += s23;
        o += ldo;
        out[o] += s30; out[o + 1] += s31; out[o + 2] += s32; out[o + 3] += s33;
      }
      for (; i < ni; i++) {
        const y0 = yOff + i * ldy;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let t = t0; t < t1; t++) {
          const q = y[y0 + t];
          s0 += x[x0 + t] * q; s1 += x[x1 + t] * q; s2 += x[x2 + t] * q; s3 += x[x3 + t] * q;
        }
        const o = a * ldo + i;
        out[o] += s0; out[o + ldo] += s1; out[o + 2 * ldo] += s2; out[o + 3 * ldo] += s3;
      }
    }
    for (; a < na; a++) {
      const x0 = xOff + a * ldx;
      let i = 0;
      for (; i + 4 <= ni; i += 4) {
        const y0 = yOff + i * ldy;
        const y1 = y0 + ldy;
        const y2 = y1 + ldy;
        const y3 = y2 + ldy;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let t = t0; t < t1; t++) {
          const p = x[x0 + t];
          s0 += p * y[y0 + t]; s1 += p * y[y1 + t]; s2 += p * y[y2 + t]; s3 += p * y[y3 + t];
        }
        const o = a * ldo + i;
        out[o] += s0; out[o + 1] += s1; out[o + 2] += s2; out[o + 3] += s3;
      }
      for (; i < ni; i++) {
        const y0 = yOff + i * ldy;
        let s0 = 0, s1 = 0;
        let t = t0;
        for (; t + 2 <= t1; t += 2) {
          s0 += x[x0 + t] * y[y0 + t];
          s1 += x[x0 + t + 1] * y[y0 + t + 1];
        }
        if (t < t1) s0 += x[x0 + t] * y[y0 + t];
        out[a * ldo + i] += s0 + s1;
      }
    }
  }
}

/**
 * `y[yOff + i*ldy + t] -= Σ_{a<na} x[xOff + a*ldx + t] · c[a*ldc + i]` for `i < ni`, `t < len`: subtract from
 * each of `ni` rows of `y` a combination of `na` rows of `x` with the coefficients in column `i` of the
 * row-major `na×ni` matrix `c`.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} as {@link addRowDots}.
 *
 * @example
 * ```ts
 * import { subtractRowCombinations } from "@smoothhess/linalg";
 * const y = Float64Array.of(1, 1);
 * subtractRowCombinations(y, 0, 2, 1, Float64Array.of(1, 0), 0, 2, 1, Float64Array.of(0.5), 1, 2); // y = [0.5, 1]
 * ```
 */
export function subtractRowCombinations(
  y: Float64Array,
  yOff: number,
  ldy: number,
  ni: number,
  x: Float64Array,
  xOff: number,
  ldx: number,
  na: number,
  c: Float64Array,
  ldc: number,
  len: number,
): void {
  checkInteger("ni", ni, 0);
  checkInteger("na", na, 0);
  checkInteger("len", len, 0);
  checkRowBlock("y", y, yOff, ldy, ni, len);
  checkRowBlock("x", x, xOff, ldx, na, len);
  checkRowBlock("c", c, 0, ldc, na, ni);
  subtractRowCombinationsKernel(y, yOff, ldy, ni, x, xOff, ldx, na, c, ldc, len);
}

function subtractRowCombinationsKernel(
  y: Float64Array,
  yOff: number,
  ldy: number,
  ni: number,
  x: Float64Array,
  xOff: number,
  ldx: number,
  na: number,
  c: Float64Array,
  ldc: number,
  len: number,
): void {
  for (let t0 = 0; t0 < len; t0 += CHUNK) {
    const t1 = Math.min(len, t0 + CHUNK);
    let i = 0;
    for (; i + 4 <= ni; i += 4) {
      const y0 = yOff + i * ldy;
      const y1 = y0 + ldy;
      const y2 = y1 + ldy;
      const y3 = y2 + ldy;
      let a = 0;
      for (; a + 4 <= na; a += 4) {
        const x0 = xOff + a * ldx;
        const x1 = x0 + ldx;
        const x2 = x1 + ldx;
        const x3 = x2 + ldx;
        const r0 = a * ldc + i, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        const c00 = c[r0], c01 = c[r0 + 1], c02 = c[r0 + 2], c03 = c[r0 + 3];
        const c10 = c[r1], c11 = c[r1 + 1], c12 = c[r1 + 2], c13 = c[r1 + 3];
        const c20 = c[r2], c21 = c[r2 + 1], c22 = c[r2 + 2], c23 = c[r2 + 3];
        const c30 = c[r3], c31 = c[r3 + 1], c32 = c[r3 + 2], c33 = c[r3 + 3];
        for (let t = t0; t < t1; t++) {
          const p0 = x[x0 + t], p1 = x[x1 + t], p2 = x[x2 + t], p3 = x[x3 + t];
          y[y0 + t] -= p0 * c00 + p1 * c10 + p2 * c20 + p3 * c30;
          y[y1 + t] -= p0 * c01 + p1 * c11 + p2 * c21 + p3 * c31;
          y[y2 + t] -= p0 * c02 + p1 * c12 + p2 * c22 + p3 * c32;
          y[y3 + t] -= p0 * c03 + p1 * c13 + p2 * c23 + p3 * c33;
        }
      }
      for (; a < na; a++) {
        const x0 = xOff + a * ldx;
        const r0 = a * ldc + i;
        const c0 = c[r0], c1 = c[r0 + 1], c2 = c[r0 + 2], c3 = c[r0 + 3];
        for (let t = t0; t < t1; t++) {
          const p = x[x0 + t];
          y[y0 + t] -= p * c0;
          y[y1 + t] -= p * c1;
          y[y2 + t] -= p * c2;
          y[y3 + t] -= p * c3;
        }
      }
    }
    for (; i < ni; i++) {
      const y0 = yOff + i * ldy;
      let a = 0;
      for (; a + 4 <= na; a += 4) {
        const x0 = xOff + a * ldx;
        const x1 = x0 + ldx;
        const x2 = x1 + ldx;
        const x3 = x2 + ldx;
        const c0 = c[a * ldc + i], c1 = c[(a + 1) * ldc + i], c2 = c[(a + 2) * ldc + i], c3 = c[(a + 3) * ldc + i];
        for (let t = t0; t < t1; t++) {
          y[y0 + t] -= x[x0 + t] * c0 + x[x1 + t] * c1 + x[x2 + t] * c2 + x[x3 + t] * c3;
        }
      }
      for (; a < na; a++) {
        const x0 = xOff + a * ldx;
        const c0 = c[a * ldc + i];
        if (c0 === 0) continue;
        for (let t = t0; t < t1; t++) y[y0 + t] -= x[x0 + t] * c0;
      }
    }
  }
}

/**
 * `out[a*ldo + i] = Σ_t x[a*len + t] · y[i*len + t]` for `a < na`, `i < ni`: the `na×ni` matrix of dot products
 * between the rows of the row-major `x` (`na×len`) and `y` (`ni×len`), **overwriting** those entries of `out`
 * (`addRowDots` with packed rows, after zeroing).
 *
 * With `upper`, `x` and `y` must have the same number of rows and only the entries with `i ≥ a` are guaranteed (the
 * 4-row blocks on the diagonal also write a few below it): half the work for a symmetric result, which
 * {@link mirrorUpper} completes.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} as {@link addRowDots}, and for `upper` with
 *   `na ≠ ni`.
 *
 * @example
 * ```ts
 * import { mirrorUpper, rowDots } from "@smoothhess/linalg";
 * const x = Float64Array.of(1, 2, 3, 4);
 * mirrorUpper(rowDots(new Float64Array(4), 2, x, 2, x, 2, 2, true), 2); // [5, 11, 11, 25]
 * ```
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
  const xf = x instanceof Float64Array ? x : Float64Array.from(x);
  const yf = y === x ? xf : y instanceof Float64Array ? y : Float64Array.from(y);
  checkInteger("na", na, 0);
  checkInteger("ni", ni, 0);
  checkInteger("len", len, 0);
  checkRowBlock("out", out, 0, ldo, na, ni);
  checkRowBlock("x", xf, 0, len, na, len);
  checkRowBlock("y", yf, 0, len, ni, len);
  if (upper && na !== ni) throw new InvalidArgumentError("upper", "x and y with the same number of rows", described(`na = ${na}, ni = ${ni}`));
  for (let a = 0; a < na; a++) out.fill(0, a * ldo, a * ldo + ni);
  if (!upper) {
    addRowDotsKernel(out, ldo, xf, 0, len, na, yf, 0, len, ni, len);
    return out;
  }
  for (let a = 0; a < na; a += 4) {
    const rows = Math.min(4, na - a);
    // rows a..a+3 against rows a.. of y: the block's (0, 0) entry is out[a, a]
    addRowDotsKernel(out.subarray(a * ldo + a), ldo, xf, a * len, len, rows, yf, a * len, len, ni - a, len);
  }
  return out;
}

/**
 * Copy the upper triangle of the row-major `n×n` matrix at `offset` of `a` onto its lower triangle (exact symmetry).
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for a bad `n` or a short `a`.
 */
export function mirrorUpper(a: Float64Array, n: number, offset = 0): Float64Array {
  checkInteger("n", n, 0);
  checkRowBlock("a", a, offset, n, n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) a[offset + j * n + i] = a[offset + i * n + j];
  }
  return a;
}

/**
 * Row-major transpose of the `rows×cols` matrix `a` into a new `cols×rows` `Float64Array`.
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for bad sizes or a short `a`.
 */
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  checkInteger("rows", rows, 0);
  checkInteger("cols", cols, 0);
  checkArrayLength("a", a, rows * cols, `a ${rows}×${cols} matrix`);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[row + c];
  }
  return out;
}
