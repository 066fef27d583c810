import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import { activationDerivative, applyActivation } from "./activation-ops.js";
import type { KernelHead, KernelTarget } from "./kernel-target.js";
import { crossEntropyHead, softmaxProbabilityHead } from "./logit-heads.js";

/**
 * @internal Values and input gradients of an MLP target with a hand-written backward pass.
 *
 * Why hand-written: tfjs's autodiff differentiates `x·W` with `matMul(dy, W, false, true)`, and the wasm backend
 * runs any transposed matMul through a scalar loop, many times slower than its XNNPACK path. Here every matMul is
 * transpose-free: the forward pass uses `W` (in × out), the backward pass the stored `Wᵀ` (out × in):
 *   g_{l−1} = (g_l · Wᵀ_l) ⊙ φ′(z_{l−1}).
 * Logit and neuron targets start from a single row of Wᵀ (the gradient of one unit), so the top layer costs a
 * broadcast instead of a matMul. SoftMax and cross-entropy targets seed the backward pass with `∂f/∂z` from
 * `softmaxProbabilityHead` / `crossEntropyHead`, the functions the autograd engine differentiates with, so confident
 * predictions keep their gradients.
 *
 * Runs in the calling thread and in the worker threads (`kernel-worker.ts`). `params` holds `dense{i}/kernel`
 * (in × out), `dense{i}/kernelT` and `dense{i}/bias` for `i < spec.layers`; the caller runs it inside `tf.tidy`.
 * `head(z)` (only for the "head" target) returns `[values, dValues/dz]` for the output pre-activation `z`.
 * Returns `[values (n), gradients (n × in)]`.
 *
 * @throws {@link InvalidArgumentError} naming `head` for a "head" target without a head function.
 */
export function fastMlpKernel(
  spec: { readonly layers: number },
  params: Readonly<Record<string, tf.Tensor>>,
  activation: ActivationSpec,
  target: KernelTarget,
  x: tf.Tensor2D,
  head?: KernelHead,
): [tf.Tensor1D, tf.Tensor2D] {
  const act = (z: tf.Tensor): tf.Tensor => applyActivation(z, activation);
  const dact = (z: tf.Tensor): tf.Tensor => activationDerivative(z, activation);
  const layers = Array.from({ length: spec.layers }, (_, i) => ({
    kernel: params[`dense${i}/kernel`] as tf.Tensor2D,
    kernelT: params[`dense${i}/kernelT`] as tf.Tensor2D,
    bias: params[`dense${i}/bias`] as tf.Tensor1D,
  }));
  const n = x.shape[0];
  const top = target.kind === "neuron" ? target.layer : layers.length - 1;
  const zs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D = x;
  let z: tf.Tensor2D = x;
  for (let i = 0; i <= top; i++) {
    z = tf.add(tf.matMul(h, layers[i].kernel), layers[i].bias) as tf.Tensor2D;
    if (i < top) {
      zs.push(z);
      h = act(z) as tf.Tensor2D;
    }
  }
  let values: tf.Tensor1D;
  let g: tf.Tensor2D;
  if (target.kind === "logit" || target.kind === "neuron") {
    const unit = target.kind === "neuron" ? target.unit : target.classIndex;
    values = tf.reshape(tf.slice(z, [0, unit], [n, 1]), [n]) as tf.Tensor1D;
    g = tf.slice(layers[top].kernelT, [unit, 0], [1, -1]) as tf.Tensor2D;
  } else if (target.kind === "softmax" || target.kind === "crossEntropy") {
    const [v, dz] = (target.kind === "softmax" ? softmaxProbabilityHead : crossEntropyHead)(z, target.classIndex);
    values = v;
    g = tf.matMul(dz, layers[top].kernelT);
  } else {
    if (!head) throw new InvalidArgumentError("head", "a function of the output (a head target runs in the calling thread)", head);
    const [v, dz] = head(z);
    values = v;
    g = tf.matMul(dz, layers[top].kernelT);
  }
  for (let i = top - 1; i >= 0; i--) {
    g = tf.matMul(tf.mul(g, dact(zs[i])) as tf.Tensor2D, layers[i].kernelT);
  }
  if (g.shape[0] !== n) g = tf.broadcastTo(g, [n, g.shape[1]]) as tf.Tensor2D;
  return [values, g];
}
