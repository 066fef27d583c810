import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { RELU, applyActivation, checkActivation } from "./activation-ops.js";
import type { BatchNormParams } from "./batch-norm.js";
import { batchNorm, batchNormParams } from "./batch-norm.js";
import type { ForwardOptions, ForwardResult, Network } from "./network.js";
import { VariableFactory, filled, makeNetwork } from "./network.js";
import { gaussianSampler } from "@smoothhess/random";
import { heUniform, symmetricUniform } from "./weight-init.js";
import { requireBackend } from "./backend.js";

/** Architecture of a CIFAR-style ResNet (He et al. 2016, as trained in the paper's App. E). */
export interface ResNet18Config {
  /** `[height, width, channels]` of one image (HWC). Default `[32, 32, 3]`. */
  readonly inputShape?: readonly [number, number, number];
  /** Number of classes. Default 10. */
  readonly classes?: number;
  /** Channels of the first stage (doubled at each later stage). Default 64 (ResNet-18). */
  readonly width?: number;
  /** Basic blocks per stage (four stages). Default `[2, 2, 2, 2]` (ResNet-18). */
  readonly blocks?: readonly [number, number, number, number];
}

/** Options of {@link resnet18}. */
export interface ResNet18Options extends ResNet18Config {
  /** Seed of the He-uniform initialisation. Default 0. */
  readonly seed?: number;
  /** @internal Weights by name, e.g. read from a file. */
  readonly initialWeights?: ReadonlyMap<string, tf.Tensor>;
}

interface Block {
  conv1: tf.Variable;
  bn1: BatchNormParams;
  conv2: tf.Variable;
  bn2: BatchNormParams;
  stride: number;
  shortcut?: { conv: tf.Variable; bn: BatchNormParams };
}

const PAD1: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];

/**
 * ResNet-18 for 32×32×3 images: 3×3 stem convolution (stride 1, no max-pool), four stages of basic blocks
 * (3×3 convolutions with batch norm; 1×1 projection shortcuts where the shape changes), a **spatial mean**
 * instead of `avgPool` (tfjs's avgPool gradient has no gradient, so this keeps second derivatives available),
 * and a dense classifier. Convolutions have no bias; padding is symmetric 1, as in PyTorch.
 *
 * Hidden layers (activation sites), 1-based: 1 = stem batch norm; then per block `bn1` and the residual sum.
 * With the defaults there are 17; the last is the final block's pre-activation (4×4×512 units, HWC order).
 * Tests use a narrow `width` and small `inputShape`; the defaults give the paper's 11,173,962 parameters.
 *
 * @throws {@link InvalidArgumentError} for non-integer or non-positive sizes.
 */
export function resnet18(options: ResNet18Options = {}): Network {
  requireBackend("resnet18");
  const [height, widthPx, channels] = options.inputShape ?? [32, 32, 3];
  checkInteger("options.inputShape[0]", height, 1);
  checkInteger("options.inputShape[1]", widthPx, 1);
  checkInteger("options.inputShape[2]", channels, 1);
  const classes = checkInteger("options.classes", options.classes ?? 10, 1);
  const width = checkInteger("options.width", options.width ?? 64, 1);
  const blocks = options.blocks ?? [2, 2, 2, 2];
  if (!Array.isArray(blocks) || blocks.length !== 4) {
    throw new InvalidArgumentError("options.blocks", "four block counts", blocks);
  }
  blocks.forEach((b, i) => checkInteger(`options.blocks[${i}]`, b, 1));
  const rng = gaussianSampler(checkInteger("options.seed", options.seed ?? 0), "options.seed");
  const factory = new VariableFactory(options.initialWeights);
  const conv = (name: string, k: number, cin: number, cout: number) =>
    factory.weight(name, [k, k, cin, cout], () => heUniform(rng, k * k * cin * cout, k * k * cin));

  const stemConv = conv("stem/conv", 3, channels, width);
  const stemBn = batchNormParams(factory, "stem/bn", width);
  const stages: Block[] = [];
  const layerSizes: number[] = [];
  let h = height;
  let w = widthPx;
  layerSizes.push(h * w * width);
  let cin = width;
  for (let s = 0; s < 4; s++) {
    const cout = width * 2 ** s;
    for (let b = 0; b < blocks[s]; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const name = `stage${s}/block${b}`;
      const block: Block = {
        conv1: conv(`${name}/conv1`, 3, cin, cout),
        bn1: batchNormParams(factory, `${name}/bn1`, cout),
        conv2: conv(`${name}/conv2`, 3, cout, cout),
        bn2: batchNormParams(factory, `${name}/bn2`, cout),
        stride,
      };
      if (stride !== 1 || cin !== cout) {
        block.shortcut = { conv: conv(`${name}/shortcut/conv`, 1, cin, cout), bn: batchNormParams(factory, `${name}/shortcut/bn`, cout) };
      }
      if (stride === 2) {
        h = Math.floor((h + 2 - 3) / 2) + 1;
        w = Math.floor((w + 2 - 3) / 2) + 1;
      }
      layerSizes.push(h * w * cout, h * w * cout);
      stages.push(block);
      cin = cout;
    }
  }
  const fcKernel = factory.weight("fc/kernel", [cin, classes], () => symmetricUniform(rng, cin * classes, 1 / Math.sqrt(cin)));
  const fcBias = factory.weight("fc/bias", [classes], filled(classes, 0));

  const forward = (x: tf.Tensor2D, opts: ForwardOptions): ForwardResult => {
    const activation = checkActivation("options.activation", opts.activation ?? RELU);
    const training = opts.training ?? false;
    const updates: Array<readonly [string, tf.Tensor]> = [];
    const pre: tf.Tensor2D[] = [];
    const n = x.shape[0];
    const site = (z: tf.Tensor) => {
      if (opts.capture) pre.push(tf.reshape(z, [n, -1]) as tf.Tensor2D);
      return applyActivation(z, activation);
    };
    let a = tf.reshape(x, [n, height, widthPx, channels]) as tf.Tensor4D;
    a = site(batchNorm(tf.conv2d(a, stemConv as tf.Tensor4D, 1, PAD1), stemBn, training, updates)) as tf.Tensor4D;
    for (const block of stages) {
      const z1 = batchNorm(tf.conv2d(a, block.conv1 as tf.Tensor4D, block.stride, PAD1), block.bn1, training, updates);
      const a1 = site(z1) as tf.Tensor4D;
      const z2 = batchNorm(tf.conv2d(a1, block.conv2 as tf.Tensor4D, 1, PAD1), block.bn2, training, updates);
      const shortcut = block.shortcut
        ? batchNorm(tf.conv2d(a, block.shortcut.conv as tf.Tensor4D, block.stride, "valid"), block.shortcut.bn, training, updates)
        : a;
      a = site(tf.add(z2, shortcut)) as tf.Tensor4D;
    }
    const features = tf.mean(a, [1, 2]) as tf.Tensor2D;
    const output = tf.add(tf.matMul(features, fcKernel), fcBias) as tf.Tensor2D;
    return { output, preActivations: pre, stateUpdates: updates };
  };

  return makeNetwork({
    architecture: "resnet18",
    config: { inputShape: [height, widthPx, channels], classes, width, blocks: [...blocks] },
    inputShape: [height, widthPx, channels],
    outputSize: classes,
    layerSizes,
    weights: factory.weights,
    buffers: factory.buffers,
    forward,
  });
}
