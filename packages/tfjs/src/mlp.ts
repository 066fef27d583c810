import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { RELU, applyActivation, checkActivation } from "./activation-ops.js";
import type { ForwardOptions, ForwardResult, Network } from "./network.js";
import { VariableFactory, filled, makeNetwork } from "./network.js";
import { gaussianSampler } from "@smoothhess/random";
import { heUniform } from "./weight-init.js";
import { requireBackend } from "./backend.js";

/** Architecture of a fully connected network: layer widths from input to output. */
export interface MlpConfig {
  /** `[inputSize, hidden₁, …, hidden_L, outputSize]`, at least two entries, each ≥ 1. */
  readonly sizes: readonly number[];
}

/** Options of {@link mlp}. */
export interface MlpOptions extends MlpConfig {
  /** Seed of the He-uniform weight initialisation (biases start at 0). Default 0. */
  readonly seed?: number;
  /** @internal Weights to use instead of fresh ones (by name), e.g. read from a file. */
  readonly initialWeights?: ReadonlyMap<string, tf.Tensor>;
}

/**
 * A fully connected network `x ↦ W_{L+1} φ(… φ(W₁x + b₁) …) + b_{L+1}`.
 *
 * Weights are `dense{i}/kernel` (`in × out`, so a layer is `x·W + b`) and `dense{i}/bias`, `i = 0..L`.
 * Hidden layer l's pre-activation is `z_l = h_{l−1} W_l + b_l`; the last one is the paper's penultimate layer.
 *
 * @throws {@link InvalidArgumentError} for sizes that are not integers ≥ 1 or fewer than two of them.
 * @example
 * ```ts
 * const net = mlp({ sizes: [784, 500, 300, 250, 250, 250, 10], seed: 1 });
 * ```
 */
export function mlp(options: MlpOptions): Network {
  requireBackend("mlp");
  const sizes = options?.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new InvalidArgumentError("options.sizes", "an array of at least two layer widths", sizes);
  }
  sizes.forEach((s, i) => checkInteger(`options.sizes[${i}]`, s, 1));
  const rng = gaussianSampler(checkInteger("options.seed", options.seed ?? 0), "options.seed");
  const factory = new VariableFactory(options.initialWeights);
  const layers: { kernel: tf.Variable; bias: tf.Variable }[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fanIn = sizes[i];
    const fanOut = sizes[i + 1];
    layers.push({
      kernel: factory.weight(`dense${i}/kernel`, [fanIn, fanOut], () => heUniform(rng, fanIn * fanOut, fanIn)),
      bias: factory.weight(`dense${i}/bias`, [fanOut], filled(fanOut, 0)),
    });
  }
  const forward = (x: tf.Tensor2D, opts: ForwardOptions): ForwardResult => {
    const activation = checkActivation("options.activation", opts.activation ?? RELU);
    const pre: tf.Tensor2D[] = [];
    let h: tf.Tensor2D = x;
    for (let i = 0; i < layers.length; i++) {
      const z = tf.add(tf.matMul(h, layers[i].kernel), layers[i].bias) as tf.Tensor2D;
      if (i === layers.length - 1) return { output: z, preActivations: pre, stateUpdates: [] };
      if (opts.capture) pre.push(z);
      h = applyActivation(z, activation) as tf.Tensor2D;
    }
    throw new Error("unreachable");
  };
  return makeNetwork({
    architecture: "mlp",
    config: { sizes: [...sizes] },
    inputShape: [sizes[0]],
    outputSize: sizes[sizes.length - 1],
    layerSizes: sizes.slice(1, -1),
    weights: factory.weights,
    buffers: factory.buffers,
    forward,
  });
}
