import * as tf from "@tensorflow/tfjs-core";
import { checkInteger, checkNumberInRange } from "@smoothhess/errors";
import { RELU, applyActivation, checkActivation } from "./activation-ops.js";
import type { BatchNormParams } from "./batch-norm.js";
import { batchNorm, batchNormParams } from "./batch-norm.js";
import type { ForwardOptions, ForwardResult, Network } from "./network.js";
import { VariableFactory, filled, makeNetwork } from "./network.js";
import { gaussianSampler } from "@smoothhess/random";
import { heUniform, symmetricUniform } from "./weight-init.js";
import { requireBackend } from "./backend.js";

/** Architecture of the paper's spirometry regression CNN (App. E). */
export interface Cnn1dConfig {
  /** Samples per curve. Default 300 (15 s at 50 ms). */
  readonly length?: number;
  /** Convolution blocks. Default 10. */
  readonly blocks?: number;
  /** Channels of every block. Default 20. */
  readonly channels?: number;
  /** Kernel width of every convolution ("same" padding). Default 200. */
  readonly kernel?: number;
  /** Dropout rate in training. Default 0.5. */
  readonly dropout?: number;
  /** Regression outputs. Default 1 (FEV₁). */
  readonly outputs?: number;
}

/** Options of {@link cnn1d}. */
export interface Cnn1dOptions extends Cnn1dConfig {
  /** Seed of the He-uniform initialisation. Default 0. */
  readonly seed?: number;
  /** @internal Weights by name, e.g. read from a file. */
  readonly initialWeights?: ReadonlyMap<string, tf.Tensor>;
}

/**
 * The 1-D CNN for spirometry: `blocks` residual blocks, each
 * `h ← h + dropout(φ(BN(conv1d(h))))` (conv1d of width `kernel`, `channels` channels, "same" padding, no bias;
 * the first block's skip broadcasts the single input channel), then the mean over time and a dense layer.
 *
 * Input: `length` samples (one channel). Hidden layer l (1-based) is block l's batch-norm output
 * (`length × channels` units, time-major).
 *
 * @throws {@link InvalidArgumentError} for non-integer sizes or a dropout rate outside [0, 1).
 */
export function cnn1d(options: Cnn1dOptions = {}): Network {
  requireBackend("cnn1d");
  const length = checkInteger("options.length", options.length ?? 300, 1);
  const blocks = checkInteger("options.blocks", options.blocks ?? 10, 1);
  const channels = checkInteger("options.channels", options.channels ?? 20, 1);
  const kernel = checkInteger("options.kernel", options.kernel ?? 200, 1);
  const dropout = checkNumberInRange("options.dropout", options.dropout ?? 0.5, 0, 1, { max: true });
  const outputs = checkInteger("options.outputs", options.outputs ?? 1, 1);
  const rng = gaussianSampler(checkInteger("options.seed", options.seed ?? 0), "options.seed");
  const factory = new VariableFactory(options.initialWeights);
  const convs: { kernel: tf.Variable; bn: BatchNormParams }[] = [];
  for (let b = 0; b < blocks; b++) {
    const cin = b === 0 ? 1 : channels;
    convs.push({
      kernel: factory.weight(`block${b}/conv`, [kernel, cin, channels], () => heUniform(rng, kernel * cin * channels, kernel * cin)),
      bn: batchNormParams(factory, `block${b}/bn`, channels),
    });
  }
  const fcKernel = factory.weight("fc/kernel", [channels, outputs], () =>
    symmetricUniform(rng, channels * outputs, 1 / Math.sqrt(channels)),
  );
  const fcBias = factory.weight("fc/bias", [outputs], filled(outputs, 0));

  const forward = (x: tf.Tensor2D, opts: ForwardOptions): ForwardResult => {
    const activation = checkActivation("options.activation", opts.activation ?? RELU);
    const training = opts.training ?? false;
    const updates: Array<readonly [string, tf.Tensor]> = [];
    const pre: tf.Tensor2D[] = [];
    const n = x.shape[0];
    let h = tf.reshape(x, [n, length, 1]) as tf.Tensor3D;
    convs.forEach((block, b) => {
      const z = batchNorm(tf.conv1d(h, block.kernel as tf.Tensor3D, 1, "same"), block.bn, training, updates);
      if (opts.capture) pre.push(tf.reshape(z, [n, -1]) as tf.Tensor2D);
      let a = applyActivation(z, activation);
      if (training && dropout > 0) a = tf.dropout(a, dropout, undefined, (opts.dropoutSeed ?? 0) * 1000 + b);
      h = tf.add(h, a) as tf.Tensor3D;
    });
    const features = tf.mean(h, 1) as tf.Tensor2D;
    const output = tf.add(tf.matMul(features, fcKernel), fcBias) as tf.Tensor2D;
    return { output, preActivations: pre, stateUpdates: updates };
  };

  return makeNetwork({
    architecture: "cnn1d",
    config: { length, blocks, channels, kernel, dropout, outputs },
    inputShape: [length],
    outputSize: outputs,
    layerSizes: new Array<number>(blocks).fill(length * channels),
    weights: factory.weights,
    buffers: factory.buffers,
    forward,
  });
}
