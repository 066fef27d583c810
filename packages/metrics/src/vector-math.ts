/**
 * Small float64 vector kernels shared by the metrics (internal).
 * @internal
 */

/** `Σ aᵢbᵢ` over the first `n` entries (default: all of `a`). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm `‖a‖₂`. */
export function norm2(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/**
 * Shrink `step` in place so that its computed Euclidean norm is at most `radius`: a no-op for steps already inside
 * (the usual case), a rescaling by `radius/‖step‖` for steps that a solver returned a few ulps outside the
 * sphere, repeated with a one-ulp shrink until the computed norm is `≤ radius`.
 */
export function projectIntoBall(step: Float64Array, radius: number): Float64Array {
  let length = norm2(step);
  if (length <= radius) return step;
  let factor = radius / length;
  for (let attempt = 0; attempt < 64 && length > radius; attempt++) {
    for (let i = 0; i < step.length; i++) step[i] *= factor;
    length = norm2(step);
    factor = 1 - 2 * Number.EPSILON;
  }
  return step;
}
