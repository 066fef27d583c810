import * as tf from "@tensorflow/tfjs-core";

/**
 * The terms both stable heads share, from the logits `z` (`n × c`) shifted by class `k`'s logit: `s = z − z_k`
 * (`s_k = 0`), `M = max_j s_j ≥ 0`, `e_j = e^{s_j − M}` for `j ≠ k` and `e_k = 0`, `V = Σ_j e_j`.
 * `unit` is the one-hot row of `k` (`1 × c`). Nothing here overflows for any finite logits.
 */
function shiftedLogits(z: tf.Tensor2D, k: number): { unit: tf.Tensor2D; m: tf.Tensor2D; e: tf.Tensor2D; v: tf.Tensor2D } {
  const [n, c] = z.shape;
  const row = new Float32Array(c);
  row[k] = 1; // tf.oneHot refuses depth 1
  const unit = tf.tensor2d(row, [1, c]);
  const s = tf.sub(z, tf.slice(z, [0, k], [n, 1]));
  const m = tf.max(s, 1, true) as tf.Tensor2D;
  const e = tf.mul(tf.exp(tf.sub(s, m)), tf.sub(1, unit)) as tf.Tensor2D;
  const v = tf.sum(e, 1, true) as tf.Tensor2D;
  return { unit, m, e, v };
}

/**
 * @internal The SoftMax probability `p_k` of every row of the logits `z` (`n × c`) and its gradient `∂p_k/∂z`
 * (`n × c`), accurate for confident predictions.
 *
 * With the terms of `shiftedLogits` and `D = e^{−M} + V`: `p_k = e^{−M}/D` and `∂p_k/∂z = p_k (V e_k − e)/D`, i.e.
 * `p_k Σ_{j≠k} p_j` at `k` and `−p_k p_j` elsewhere. The textbook `p_k(1 − p_k)` is 0 in float32 once `p_k` rounds
 * to 1 (margins above ~17), which drops the `∇z_k` term of the input gradient `Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)`.
 * Creates intermediate tensors: call it inside `tf.tidy`.
 */
export function softmaxProbabilityHead(z: tf.Tensor2D, k: number): [tf.Tensor1D, tf.Tensor2D] {
  const { unit, m, e, v } = shiftedLogits(z, k);
  const top = tf.exp(tf.neg(m));
  const denominator = tf.add(top, v);
  const pk = tf.div(top, denominator);
  const dz = tf.mul(tf.div(pk, denominator), tf.sub(tf.mul(unit, v), e)) as tf.Tensor2D;
  return [tf.reshape(pk, [z.shape[0]]) as tf.Tensor1D, dz];
}

/**
 * @internal The cross-entropy loss `ℓ = −log softmax(z)_y` of every row of the logits `z` (`n × c`) and its gradient
 * `∂ℓ/∂z` (`n × c`), accurate for confident predictions.
 *
 * With the terms of `shiftedLogits` for the label `y`: `ℓ = M + log1p(expm1(−M) + V)` (for a confident prediction,
 * `M = 0` and `ℓ = log1p(V)` keeps its relative precision, where `logsumexp(z) − z_y` cancels to 0 once `ℓ` drops
 * below the rounding of `z_y`), and `∂ℓ/∂z = (e − V e_y)/(e^{−M} + V)`, i.e. `p_j` for `j ≠ y` and `−Σ_{j≠y} p_j` at
 * `y` (instead of the cancelling `p_y − 1`). Creates intermediate tensors: call it inside `tf.tidy`.
 */
export function crossEntropyHead(z: tf.Tensor2D, y: number): [tf.Tensor1D, tf.Tensor2D] {
  const { unit, m, e, v } = shiftedLogits(z, y);
  const loss = tf.add(m, preciseLog1p(tf.add(tf.expm1(tf.neg(m)), v)));
  const dz = tf.div(tf.sub(e, tf.mul(unit, v)), tf.add(tf.exp(tf.neg(m)), v)) as tf.Tensor2D;
  return [tf.reshape(loss, [z.shape[0]]) as tf.Tensor1D, dz];
}

/**
 * `log1p(u)` to float32 precision: `u·log(w)/(w − 1)` with `w = 1 + u` (Goldberg), and `u` where `w` rounds to 1.
 * tfjs-backend-wasm's `Log1p` computes `log(1 + u)`, which is 0 for `u < 6e-8` (cpu's is exact).
 */
function preciseLog1p(u: tf.Tensor): tf.Tensor {
  const w = tf.add(u, 1);
  const exact = tf.equal(w, 1);
  return tf.where(exact, u, tf.div(tf.mul(u, tf.log(w)), tf.where(exact, tf.onesLike(w), tf.sub(w, 1))));
}
