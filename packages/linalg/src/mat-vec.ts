/** `out = A x` for a row-major `d×d` matrix (symmetric or not). `out` must not alias `x`. */
export function matVec(a: ArrayLike<number>, d: number, x: ArrayLike<number>, out: Float64Array = new Float64Array(d)): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += a[row + j] * x[j];
    out[i] = s;
  }
  return out;
}
