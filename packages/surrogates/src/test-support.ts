// Test-only helpers (not exported from index.ts).
import { gaussianSampler } from "@smoothhess/oracle";

/** Fixed-seed standard normal vector. */
export function normalVector(seed: number, length: number, scale = 1): Float64Array {
  const out = gaussianSampler(seed).fillNormal(new Float64Array(length));
  for (let i = 0; i < length; i++) out[i] *= scale;
  return out;
}

/**
 * Central finite differences of a gradient: column j is (g(x + h e_j) − g(x − h e_j)) / 2h, returned row-major
 * d×d with entry (i, j) = ∂g_i/∂x_j. `gradient` returns the exact gradient at a point.
 */
export function centralDifferenceHessian(gradient: (x: Float64Array) => ArrayLike<number>, x0: ArrayLike<number>, h: number): Float64Array {
  const d = x0.length;
  const out = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const up = Float64Array.from(x0);
    const down = Float64Array.from(x0);
    up[j] += h;
    down[j] -= h;
    const gu = gradient(up);
    const gd = gradient(down);
    const step = up[j] - down[j];
    for (let i = 0; i < d; i++) out[i * d + j] = (gu[i] - gd[i]) / step;
  }
  return out;
}

/** Central differences of a scalar function: the gradient. */
export function centralDifferenceGradient(f: (x: Float64Array) => number, x0: ArrayLike<number>, h: number): Float64Array {
  const d = x0.length;
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const up = Float64Array.from(x0);
    const down = Float64Array.from(x0);
    up[j] += h;
    down[j] -= h;
    out[j] = (f(up) - f(down)) / (up[j] - down[j]);
  }
  return out;
}

/** max |a − b| / max |b|: the error of `a` relative to the largest entry of the reference `b`. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return scale === 0 ? worst : worst / scale;
}

/** Largest |A − Aᵀ| of a row-major n×n block. */
export function asymmetry(a: ArrayLike<number>, n: number, offset = 0): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) worst = Math.max(worst, Math.abs(a[offset + i * n + j] - a[offset + j * n + i]));
  }
  return worst;
}

/** Naive row-major product C = A B (A: r×k, B: k×c). */
export function naiveProduct(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let t = 0; t < k; t++) for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + t] * b[t * c + j];
  return out;
}
