import { checkInteger } from "@smoothhess/errors";
import { checkArrayLength, checkNotAliased } from "./kernel-checks.js";

/**
 * `out = A x` for a row-major `d×d` matrix (symmetric or not). `out` must not alias `x`.
 *
 * Four rows are processed per pass over `x` (four independent accumulators): about 1.8× faster than one dot
 * product per row at d = 784. Lengths are checked (not finiteness: that would cost as much as the product).
 *
 * @throws {@link InvalidArgumentError} for a bad `d`, non-arrays or `out === x`; {@link DimensionMismatchError} for
 *   `a` shorter than `d²` or `x`, `out` shorter than `d`.
 */
export function matVec(a: ArrayLike<number>, d: number, x: ArrayLike<number>, out = new Float64Array(d)): Float64Array {
  checkInteger("d", d, 0);
  checkArrayLength("a", a, d * d, `a ${d}×${d} row-major matrix`);
  checkArrayLength("x", x, d, `a vector of length ${d}`);
  checkArrayLength("out", out, d, `a vector of length ${d}`);
  checkNotAliased("out", out, x, "x");
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
