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
 * - cross-entropy y: `f = logsumexp(o) − o_y`, seed `p − e_y`, curvature `diag(p) − ppᵀ` (CASO Eq. 13).
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
  let max = -Infinity;
  for (let i = 0; i < c; i++) max = Math.max(max, logits[i]);
  const p = new Float64Array(c);
  let sum = 0;
  for (let i = 0; i < c; i++) sum += p[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < c; i++) p[i] /= sum;
  const curvature = new Float64Array(c * c);
  if (kind === "softmax") {
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
  for (let j = 0; j < c; j++) seed[j] = p[j] - (j === unit ? 1 : 0);
  for (let i = 0; i < c; i++) {
    for (let j = 0; j < c; j++) curvature[i * c + j] = (i === j ? p[i] : 0) - p[i] * p[j];
  }
  return { value: max + Math.log(sum) - logits[unit], seed, curvature };
}
