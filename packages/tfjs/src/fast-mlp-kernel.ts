import type * as tfType from "@tensorflow/tfjs-core";

/** @internal The targets the fast path handles itself; `head` is a user function (in-process only). */
export type FastTarget =
  | { readonly kind: "logit" | "softmax" | "crossEntropy"; readonly classIndex: number }
  | { readonly kind: "neuron"; readonly layer: number; readonly unit: number }
  | { readonly kind: "head" };

/**
 * @internal Values and input gradients of an MLP target with a hand-written backward pass.
 *
 * Why hand-written: tfjs's autodiff differentiates `x·W` with `matMul(dy, W, false, true)`, and the wasm backend
 * runs any transposed matMul through a scalar loop (~12x slower than its XNNPACK path, see NOTES). Here every
 * matMul is transpose-free: the forward pass uses `W` (in × out), the backward pass the stored `Wᵀ` (out × in):
 *   g_{l−1} = (g_l · Wᵀ_l) ⊙ φ′(z_{l−1}).
 * Logit and neuron targets start from a single row of Wᵀ (the gradient of one unit), so the top layer costs a
 * broadcast instead of a matMul. SoftMax and cross-entropy targets seed the backward pass with `∂f/∂z` in closed
 * form, from the logits shifted by the class's / label's logit (as `softmaxProbability` / `crossEntropyLoss` of
 * target.ts), so confident predictions keep their gradients.
 *
 * This function must stay **self-contained** (no imports, no outer variables): worker threads rebuild it from its
 * source text. `tf` is the tfjs namespace; `params` holds `dense{i}/kernel` (in × out), `dense{i}/kernelT` and
 * `dense{i}/bias` for `i < spec.layers`; the caller runs it inside `tf.tidy`. `head(z)` (only for the "head"
 * target) returns `[values, dValues/dz]` for the output pre-activation `z`.
 * Returns `[values (n), gradients (n × in)]`.
 */
export function fastMlpKernel(
  tf: typeof tfType,
  spec: { readonly layers: number },
  params: Readonly<Record<string, tfType.Tensor>>,
  activation: { readonly name: string; readonly beta?: number },
  target: FastTarget,
  x: tfType.Tensor2D,
  head?: (z: tfType.Tensor2D) => [tfType.Tensor1D, tfType.Tensor2D],
): [tfType.Tensor1D, tfType.Tensor2D] {
  const beta = activation.beta ?? 1;
  const name = activation.name;
  const act = (z: tfType.Tensor): tfType.Tensor => {
    if (name === "relu") return tf.relu(z);
    if (name === "softplus") return tf.div(tf.softplus(tf.mul(z, beta)), beta);
    if (name === "swish") return tf.mul(z, tf.sigmoid(tf.mul(z, beta)));
    return tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, Math.SQRT1_2)), 1));
  };
  const dact = (z: tfType.Tensor): tfType.Tensor => {
    if (name === "relu") return tf.step(z, 0);
    if (name === "softplus") return tf.sigmoid(tf.mul(z, beta));
    if (name === "swish") {
      const s = tf.sigmoid(tf.mul(z, beta));
      return tf.add(s, tf.mul(tf.mul(z, beta), tf.mul(s, tf.sub(1, s))));
    }
    const cdf = tf.mul(tf.add(tf.erf(tf.mul(z, Math.SQRT1_2)), 1), 0.5);
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(z), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return tf.add(cdf, tf.mul(z, pdf));
  };
  const layers = Array.from({ length: spec.layers }, (_, i) => ({
    kernel: params[`dense${i}/kernel`] as tfType.Tensor2D,
    kernelT: params[`dense${i}/kernelT`] as tfType.Tensor2D,
    bias: params[`dense${i}/bias`] as tfType.Tensor1D,
  }));
  const n = x.shape[0];
  const top = target.kind === "neuron" ? target.layer : layers.length - 1;
  const zs: tfType.Tensor2D[] = [];
  let h: tfType.Tensor2D = x;
  let z: tfType.Tensor2D = x;
  for (let i = 0; i <= top; i++) {
    z = tf.add(tf.matMul(h, layers[i].kernel), layers[i].bias) as tfType.Tensor2D;
    if (i < top) {
      zs.push(z);
      h = act(z) as tfType.Tensor2D;
    }
  }
  let values: tfType.Tensor1D;
  let g: tfType.Tensor2D;
  if (target.kind === "logit" || target.kind === "neuron") {
    const unit = target.kind === "neuron" ? target.unit : target.classIndex;
    values = tf.reshape(tf.slice(z, [0, unit], [n, 1]), [n]) as tfType.Tensor1D;
    g = tf.slice(layers[top].kernelT, [unit, 0], [1, -1]) as tfType.Tensor2D;
  } else if (target.kind === "softmax") {
    // p_k from s = z − z_k (M = max s ≥ 0, e_j = e^{s_j − M} for j ≠ k, V = Σ e_j, D = e^{−M} + V): p_k = e^{−M}/D and
    // ∂p_k/∂z = p_k (V e_k − e)/D, i.e. p_k Σ_{j≠k} p_j at k and −p_k p_j elsewhere, without the vanishing p_k(1 − p_k).
    const k = target.classIndex;
    const c = z.shape[1];
    const row = new Float32Array(c);
    row[k] = 1; // tf.oneHot refuses depth 1
    const onehot = tf.tensor2d(row, [1, c]);
    const s = tf.sub(z, tf.slice(z, [0, k], [n, 1]));
    const m = tf.max(s, 1, true);
    const e = tf.mul(tf.exp(tf.sub(s, m)), tf.sub(1, onehot));
    const v = tf.sum(e, 1, true);
    const expNegM = tf.exp(tf.neg(m));
    const d = tf.add(expNegM, v);
    const pk = tf.div(expNegM, d);
    values = tf.reshape(pk, [n]) as tfType.Tensor1D;
    const dz = tf.mul(tf.div(pk, d), tf.sub(tf.mul(onehot, v), e)) as tfType.Tensor2D;
    g = tf.matMul(dz, layers[top].kernelT);
  } else if (target.kind === "crossEntropy") {
    // ℓ = −log softmax(z)_y from s = z − z_y (M = max s ≥ 0, V = Σ_{j≠y} e^{s_j − M}): ℓ = M + log1p(u), u = expm1(−M) + V;
    // ∂ℓ/∂z = (e^{s − M} ⊙ [j ≠ y] − V e_y) / (e^{−M} + V), i.e. p_j and −Σ_{j≠y} p_j without the cancelling p_y − 1.
    const y = target.classIndex;
    const c = z.shape[1];
    const onehotRow = new Float32Array(c);
    onehotRow[y] = 1;
    const onehot = tf.tensor2d(onehotRow, [1, c]);
    const s = tf.sub(z, tf.slice(z, [0, y], [n, 1]));
    const m = tf.max(s, 1, true);
    const e = tf.mul(tf.exp(tf.sub(s, m)), tf.sub(1, onehot));
    const v = tf.sum(e, 1, true);
    // log1p(u) as u·log(w)/(w − 1), w = 1 + u (Goldberg): wasm's Log1p computes log(1 + u), 0 for u < 6e-8
    const u = tf.add(tf.expm1(tf.neg(m)), v);
    const w = tf.add(u, 1);
    const exact = tf.equal(w, 1);
    const log1p = tf.where(exact, u, tf.div(tf.mul(u, tf.log(w)), tf.where(exact, tf.onesLike(w), tf.sub(w, 1))));
    values = tf.reshape(tf.add(m, log1p), [n]) as tfType.Tensor1D;
    const dz = tf.div(tf.sub(e, tf.mul(onehot, v)), tf.add(tf.exp(tf.neg(m)), v)) as tfType.Tensor2D;
    g = tf.matMul(dz, layers[top].kernelT);
  } else {
    if (!head) throw new Error("fastMlpKernel: the head target needs a head function");
    const [v, dz] = head(z);
    values = v;
    g = tf.matMul(dz, layers[top].kernelT);
  }
  for (let i = top - 1; i >= 0; i--) {
    g = tf.matMul(tf.mul(g, dact(zs[i])) as tfType.Tensor2D, layers[i].kernelT);
  }
  if (g.shape[0] !== n) g = tf.broadcastTo(g, [n, g.shape[1]]) as tfType.Tensor2D;
  return [values, g];
}
