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
 * - SoftMax k: `f = p_k`, seed `p_k(e_k − p)`, curvature `p_k[(e_k − p)(e_k − p)ᵀ − diag(p) + ppᵀ]`, computed from
 *   the logits shifted by `o_k`, with `1 − p_k` taken as `Σ_{j≠k} p_j` and every curvature entry written as a product
 *   (`−p_k(1 − p_k)(2p_k − 1)`, `p_k p_j(2p_k − 1)`, `−p_k p_i(1 − 2p_i)`, `2p_k p_i p_j`), so that a confident
 *   prediction (`p_k` rounding to 1: margins above ~37) keeps its seed `p_k(1 − p_k)` and curvature to full relative
 *   precision instead of rounding them to 0, and nothing overflows;
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
  return softmaxHead(unit, logits, seed);
}

/**
 * SoftMax-probability head `p_k = softmax(o)_k`, computed from the logits shifted by the class's, `s = o − o_k`
 * (`s_k = 0`, `M = max_j s_j ≥ 0`, `e_j = e^{s_j − M}`, `V = Σ_{j≠k} e_j`, `D = e^{−M} + V`, so `p_k = e^{−M}/D`,
 * `p_j = e_j/D` and `q := 1 − p_k = V/D = Σ_{j≠k} p_j` without a subtraction from 1).
 *
 * Derivation. `∂p_k/∂o_j = p_k(δ_jk − p_j)`; differentiating once more (`∂p_j/∂o_i = p_j(δ_ij − p_i)`),
 * `∂²p_k/∂o_i∂o_j = p_k[(δ_ik − p_i)(δ_jk − p_j) − δ_ij p_i + p_i p_j]`. Case by case, writing `1 − p_k = q`:
 * - seed: `g_k = p_k q`, `g_j = −p_k p_j` (j ≠ k);
 * - i = j = k: `p_k[q² − p_k + p_k²] = p_k[q² − p_k q] = −p_k q (p_k − q)`;
 * - i = k, j ≠ k (and symmetrically): `p_k[q(−p_j) + p_k p_j] = p_k p_j (p_k − q)`;
 * - i = j ≠ k: `p_k[p_i² − p_i + p_i²] = −p_k p_i (1 − 2p_i)`;
 * - i ≠ j, both ≠ k: `p_k[p_i p_j + p_i p_j] = 2 p_k p_i p_j`.
 * Every entry is a product of `p_k`, `q` and `p_j` — each a quotient of sums of positive terms, so each to a few ulps
 * relative at any margin — and at most one signed factor: `p_k − q = (e^{−M} − V)/D = 2p_k − 1` or `1 − 2p_i`. For a
 * confident prediction (`p_k → 1`) these factors tend to ±1 and cancel nothing (every `p_i`, i ≠ k, is then below ½),
 * so every entry keeps its relative precision; the textbook `p_k(1 − p_k)` and `(1 − p_k)² − p_k + p_k²` round to 0
 * once `p_k` rounds to 1 (margins above ~37 in float64), dropping the `∇o_k` terms of the gradient and Hessian. The
 * factors only cancel near `p = ½`, where the entry itself crosses 0 (inherent to the function; absolute accuracy is
 * kept). Nothing overflows for any finite logits (`D ≥ 1` is formed from exponents ≤ 0).
 */
function softmaxHead(k: number, logits: ArrayLike<number>, seed: Float64Array): HeadDerivatives {
  const c = logits.length;
  const ok = logits[k];
  let m = 0;
  for (let j = 0; j < c; j++) if (j !== k) m = Math.max(m, logits[j] - ok);
  const p = new Float64Array(c);
  let v = 0;
  for (let j = 0; j < c; j++) if (j !== k) v += p[j] = Math.exp(logits[j] - ok - m);
  const top = Math.exp(-m);
  const denominator = top + v;
  for (let j = 0; j < c; j++) p[j] = j === k ? top / denominator : p[j] / denominator;
  const pk = p[k];
  const q = v / denominator; // 1 − p_k = Σ_{j≠k} p_j
  const gap = (top - v) / denominator; // p_k − q = 2p_k − 1
  for (let j = 0; j < c; j++) seed[j] = j === k ? pk * q : -pk * p[j];
  const curvature = new Float64Array(c * c);
  for (let i = 0; i < c; i++) {
    for (let j = i; j < c; j++) {
      let h: number;
      if (i === k && j === k) h = 0 - pk * q * gap; // 0 − x: +0, not −0, for a single class
      else if (i === k || j === k) h = pk * p[i === k ? j : i] * gap;
      else if (i === j) h = -pk * p[i] * (1 - 2 * p[i]);
      else h = 2 * pk * p[i] * p[j];
      curvature[i * c + j] = curvature[j * c + i] = h; // exactly symmetric
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
