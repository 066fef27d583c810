/**
 * Accumulate `out += scale · Aᵀ B` where `A` is `m×p` and `B` is `m×q`, both row-major, and `out` is the
 * row-major `p×q` accumulator (float64).
 *
 * This is the kernel of every Monte-Carlo outer-product estimator (`Σᵢ aᵢ bᵢᵀ`). Rows of `A` and `B` may be
 * float32 or float64; the products and the accumulation are float64. Four rows are fused per pass over `out`,
 * which quarters the memory traffic on the accumulator compared with one rank-1 update per row.
 *
 * @param out - `p×q` accumulator, updated in place.
 * @param a - `m×p` row-major.
 * @param b - `m×q` row-major.
 * @param m - number of rows of `a` and `b` to use.
 * @param p - columns of `a`.
 * @param q - columns of `b`.
 * @param scale - multiplier applied to every product (default 1).
 */
export function addTransposedProduct(
  out: Float64Array,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  p: number,
  q: number,
  scale = 1,
): Float64Array {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = i * p, a1 = a0 + p, a2 = a1 + p, a3 = a2 + p;
    const b0 = i * q, b1 = b0 + q, b2 = b1 + q, b3 = b2 + q;
    for (let r = 0; r < p; r++) {
      const x0 = scale * a[a0 + r], x1 = scale * a[a1 + r], x2 = scale * a[a2 + r], x3 = scale * a[a3 + r];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const o = r * q;
      for (let c = 0; c < q; c++) {
        out[o + c] += x0 * b[b0 + c] + x1 * b[b1 + c] + x2 * b[b2 + c] + x3 * b[b3 + c];
      }
    }
  }
  for (; i < m; i++) {
    const ai = i * p, bi = i * q;
    for (let r = 0; r < p; r++) {
      const x = scale * a[ai + r];
      if (x === 0) continue;
      const o = r * q;
      for (let c = 0; c < q; c++) out[o + c] += x * b[bi + c];
    }
  }
  return out;
}

/**
 * Symmetrise a row-major `d×d` matrix in place: `A ← (A + Aᵀ)/2`.
 */
export function symmetrizeInPlace(a: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (a[i * d + j] + a[j * d + i]);
      a[i * d + j] = v;
      a[j * d + i] = v;
    }
  }
  return a;
}
