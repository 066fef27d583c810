/**
 * Value and derivatives of a scalar function of the logits `o` (length `c`): the target's value, its gradient
 * `∂f/∂o` (the seed of backpropagation) and its Hessian `∂²f/∂o²` (`c×c`, row-major; `null` when it is zero).
 */
export interface HeadDerivatives {
  readonly value: number;
  readonly seed: Float64Array;
  readonly curvature: Float64Array | null;
}

/**
 * Derivatives of the three logit heads, in float64 (closed forms; `p = softmax(o)`):
 * - logit k: `f = o_k`, seed `e_k`, curvature 0;
 * - SoftMax k: `f = p_k`, seed `p_k(e_k − p)`, curvature `p_k[(e_k − p)(e_k − p)ᵀ − diag(p) + ppᵀ]`;
 * - cross-entropy y: `f = logsumexp(o) − o_y`, seed `p − e_y`, curvature `diag(p) − ppᵀ` (CASO Eq. 13), computed
 *   from the logits shifted by `o_y` so that a confident prediction (`p_y` rounding to 1: margins above ~37) keeps
 *   its tiny loss, its seed (`p_y − 1` taken as `−Σ_{j≠y} p_j`) and its curvature (`p_i(1 − p_i)` as
 *   `p_i Σ_{k≠i} p_k`) to full relative precision, and nothing overflows.
 *
 * @param kind - which head.
 * @param unit - the class k or label y (not checked here).
 * @param logits - the logits (float32 or float64).
 */
export function headDerivatives(
  kind: "logit" | "softmax" | "crossEntropy",
  unit: number,
  logits: ArrayLike<number>,
): HeadDerivatives {
  const c = logits.length;
  const seed = new Float64Array(c);
  if (kind === "logit") {
    seed[unit] = 1;
    return { value: logits[unit], seed, curvature: null };
  }
  if (kind === "crossEntropy") return crossEntropyHead(unit, logits, seed);
  let max = -Infinity;
  for (let i = 0; i < c; i++) max = Math.max(max, logits[i]);
  const p = new Float64Array(c);
  let sum = 0;
  for (let i = 0; i < c; i++) sum += p[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < c; i++) p[i] /= sum;
  const curvature = new Float64Array(c * c);
  const pk = p[unit];
  for (let j = 0; j < c; j++) seed[j] = pk * ((j === unit ? 1 : 0) - p[j]);
  for (let i = 0; i < c; i++) {
    const ei = (i === unit ? 1 : 0) - p[i];
    for (let j = 0; j < c; j++) {
      const ej = (j === unit ? 1 : 0) - p[j];
      curvature[i * c + j] = pk * (ei * ej - (i === j ? p[i] : 0) + p[i] * p[j]);
    }
  }
  return { value: pk, seed, curvature };
}

/**
 * Cross-entropy head `ℓ = −log softmax(o)_y`, computed from the label-shifted logits `s = o − o_y` (`s_y = 0`,
 * `M = max_j s_j ≥ 0`, `V = Σ_{j≠y} e^{s_j − M}`, `D = e^{−M} + V`), as `networkOracle` of `@smoothhess/oracle` does:
 * - `ℓ = M + log1p(expm1(−M) + V)`: for a confident prediction (`M = 0`) this is `log1p(V)`, where the textbook
 *   `logsumexp(o) − o_y` rounds to 0 once ℓ drops below the rounding of `o_y`;
 * - seed `p_j = e^{s_j − M}/D` (j ≠ y) and `−V/D = −Σ_{j≠y} p_j` (j = y) rather than `p_y − 1`, which cancels to 0
 *   in the same regime and would drop the `−∇o_y` term of the input gradient;
 * - curvature `diag(p) − ppᵀ` with every diagonal entry `p_i(1 − p_i)` taken as `p_i Σ_{k≠i} p_k` where `p_i > ½`,
 *   so the entry of a class with `p_i ≈ 1` keeps its relative precision too (`p_i − p_i²` would be 0).
 * Nothing overflows for any finite logits.
 */
function crossEntropyHead(y: number, logits: ArrayLike<number>, seed: Float64Array): HeadDerivatives {
  const c = logits.length;
  const oy = logits[y];
  let m = 0;
  for (let j = 0; j < c; j++) if (j !== y) m = Math.max(m, logits[j] - oy);
  let v = 0;
  for (let j = 0; j < c; j++) if (j !== y) v += seed[j] = Math.exp(logits[j] - oy - m);
  const denominator = Math.exp(-m) + v;
  const p = new Float64Array(c);
  for (let j = 0; j < c; j++) p[j] = j === y ? Math.exp(-m) / denominator : (seed[j] /= denominator);
  seed[y] = 0 - v / denominator; // −Σ_{j≠y} p_j (0 − x: +0, not −0, for a single class)
  // 1 − p_i: directly where p_i ≤ ½ (no cancellation), else Σ_{k≠i} p_k (at most one class has p_i > ½)
  const rest = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    if (i === y) rest[i] = v / denominator;
    else if (p[i] <= 0.5) rest[i] = 1 - p[i];
    else for (let k = 0; k < c; k++) if (k !== i) rest[i] += p[k];
  }
  const curvature = new Float64Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) curvature[i * c + j] = i === j ? p[i] * rest[i] : -p[i] * p[j];
  }
  return { value: m + Math.log1p(Math.expm1(-m) + v), seed, curvature };
}
