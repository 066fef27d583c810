/** Value, gradient (`seed`) and Hessian (`curvature`, `c×c` row-major, `null` when zero) of a head of the logits. */
export interface HeadDerivatives {
  readonly value: number;
  readonly seed: Float64Array;
  readonly curvature: Float64Array | null;
}

/**
 * Float64 derivatives of the logit, SoftMax-probability and cross-entropy heads at the logits `z`, written as
 * `headDerivatives` of `@smoothhess/surrogates` writes them (the backends depend on `@smoothhess/oracle` only, so
 * the formulas are repeated here): from the logits shifted by the class's, every seed and curvature entry a product
 * of quotients of positive sums, so a confident prediction keeps them to full relative precision.
 * - logit k: `z_k`, seed `e_k`, curvature 0;
 * - SoftMax k: `p_k`, seed `p_k(e_k − p)`, curvature `p_k[(e_k − p)(e_k − p)ᵀ − diag(p) + ppᵀ]`;
 * - cross-entropy y: `−log p_y`, seed `p − e_y`, curvature `diag(p) − ppᵀ`.
 */
export function headDerivatives(kind: "logit" | "softmax" | "crossEntropy", k: number, z: ArrayLike<number>): HeadDerivatives {
  const c = z.length;
  const seed = new Float64Array(c);
  if (kind === "logit") {
    seed[k] = 1;
    return { value: z[k], seed, curvature: null };
  }
  let m = 0;
  for (let j = 0; j < c; j++) if (j !== k) m = Math.max(m, z[j] - z[k]);
  const p = new Float64Array(c);
  let v = 0;
  for (let j = 0; j < c; j++) if (j !== k) v += p[j] = Math.exp(z[j] - z[k] - m);
  const top = Math.exp(-m);
  const denominator = top + v;
  for (let j = 0; j < c; j++) p[j] = j === k ? top / denominator : p[j] / denominator;
  const q = v / denominator; // 1 − p_k without cancellation
  const curvature = new Float64Array(c * c);
  if (kind === "softmax") {
    const pk = p[k];
    const gap = (top - v) / denominator; // 2p_k − 1
    for (let j = 0; j < c; j++) seed[j] = j === k ? pk * q : -pk * p[j];
    for (let i = 0; i < c; i++) {
      for (let j = i; j < c; j++) {
        let h: number;
        if (i === k && j === k) h = 0 - pk * q * gap;
        else if (i === k || j === k) h = pk * p[i === k ? j : i] * gap;
        else if (i === j) h = -pk * p[i] * (1 - 2 * p[i]);
        else h = 2 * pk * p[i] * p[j];
        curvature[i * c + j] = curvature[j * c + i] = h;
      }
    }
    return { value: pk, seed, curvature };
  }
  for (let j = 0; j < c; j++) seed[j] = j === k ? 0 - q : p[j];
  const rest = new Float64Array(c); // 1 − p_i: directly where p_i ≤ ½, else as the sum of the others
  for (let i = 0; i < c; i++) {
    if (i === k) rest[i] = q;
    else if (p[i] <= 0.5) rest[i] = 1 - p[i];
    else for (let j = 0; j < c; j++) if (j !== i) rest[i] += p[j];
  }
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) curvature[i * c + j] = i === j ? p[i] * rest[i] : -p[i] * p[j];
  return { value: m + Math.log1p(Math.expm1(-m) + v), seed, curvature };
}
