import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { BN_EPSILON } from "./batch-norm.js";
import type { ConvnetSpec } from "./fast-convnet-kernel.js";
import type { Network } from "./network.js";

/** The filter of a convolution's input gradient: spatially reversed, input and output channels swapped. */
function flippedFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
}

/**
 * @internal Snapshot of a convolutional network in the form `convnetKernel` uses: per convolution its filter
 * (`[kh, kw, cin, cout]`; 1-D filters get a leading 1), the flipped filter, and the batch-norm `scale` / `shift`
 * of the running statistics; the dense head's kernel, its transpose and bias. The caller owns the tensors.
 */
export function convnetKernelParams(network: Network): { spec: ConvnetSpec; params: Record<string, tf.Tensor> } {
  const params: Record<string, tf.Tensor> = {};
  const w = (name: string) => network.weights.get(name) as tf.Variable;
  const add = (key: string, conv: string, bn: string) => {
    tf.tidy(() => {
      const raw = w(conv);
      const filter = tf.clone(raw.rank === 3 ? tf.expandDims(raw, 0) : raw) as tf.Tensor4D;
      const scale = tf.mul(w(`${bn}/gamma`), tf.rsqrt(tf.add(network.buffers.get(`${bn}/variance`) as tf.Variable, BN_EPSILON)));
      const shift = tf.sub(w(`${bn}/beta`), tf.mul(network.buffers.get(`${bn}/mean`) as tf.Variable, scale));
      params[`${key}/filter`] = tf.keep(filter);
      params[`${key}/flipped`] = tf.keep(flippedFilter(filter));
      params[`${key}/scale`] = tf.keep(scale);
      params[`${key}/shift`] = tf.keep(shift);
    });
  };
  const blocks: { name: string; stride: number; shortcut: boolean }[] = [];
  let spec: ConvnetSpec;
  if (network.architecture === "resnet18") {
    const config = network.config as { inputShape: [number, number, number]; blocks: number[] };
    add("stem", "stem/conv", "stem/bn");
    for (let s = 0; s < 4; s++) {
      for (let b = 0; b < config.blocks[s]; b++) {
        const name = `stage${s}/block${b}`;
        const shortcut = network.weights.has(`${name}/shortcut/conv`);
        add(`${name}/conv1`, `${name}/conv1`, `${name}/bn1`);
        add(`${name}/conv2`, `${name}/conv2`, `${name}/bn2`);
        if (shortcut) add(`${name}/shortcut`, `${name}/shortcut/conv`, `${name}/shortcut/bn`);
        blocks.push({ name, stride: s > 0 && b === 0 ? 2 : 1, shortcut });
      }
    }
    spec = { architecture: "resnet18", inputShape: config.inputShape, blocks, padLeft: 0 };
  } else if (network.architecture === "cnn1d") {
    const config = network.config as { length: number; blocks: number; kernel: number };
    for (let b = 0; b < config.blocks; b++) {
      add(`block${b}`, `block${b}/conv`, `block${b}/bn`);
      blocks.push({ name: `block${b}`, stride: 1, shortcut: true });
    }
    // tfjs "same" padding puts the extra column of an even kernel on the right
    spec = { architecture: "cnn1d", inputShape: [1, config.length, 1], blocks, padLeft: Math.floor((config.kernel - 1) / 2) };
  } else {
    throw new InvalidArgumentError("network.architecture", '"resnet18" or "cnn1d" (a convolutional network)', network.architecture);
  }
  params["fc/kernel"] = tf.keep(tf.clone(w("fc/kernel")));
  params["fc/kernelT"] = tf.keep(tf.transpose(w("fc/kernel")));
  params["fc/bias"] = tf.keep(tf.clone(w("fc/bias")));
  return { spec, params };
}

/** @internal Snapshot of an MLP for `fastMlpKernel`: `dense{i}/kernel`, `dense{i}/kernelT`, `dense{i}/bias`. */
export function mlpKernelParams(network: Network): { spec: { layers: number }; params: Record<string, tf.Tensor> } {
  const params: Record<string, tf.Tensor> = {};
  let i = 0;
  for (; network.weights.has(`dense${i}/kernel`); i++) {
    const kernel = network.weights.get(`dense${i}/kernel`) as tf.Variable;
    params[`dense${i}/kernel`] = tf.keep(tf.clone(kernel));
    params[`dense${i}/kernelT`] = tf.keep(tf.transpose(kernel));
    params[`dense${i}/bias`] = tf.keep(tf.clone(network.weights.get(`dense${i}/bias`) as tf.Variable));
  }
  return { spec: { layers: i }, params };
}
