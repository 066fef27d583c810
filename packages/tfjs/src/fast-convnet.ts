import * as tf from "@tensorflow/tfjs-core";
import type { ActivationSpec } from "./activation-ops.js";
import { activationDerivative, applyActivation } from "./activation-ops.js";
import { BN_EPSILON } from "./batch-norm.js";
import { convInputGradient, flippedFilter } from "./conv-backward.js";
import type { Network } from "./network.js";
import type { ResolvedTfjsTarget } from "./target.js";

/**
 * @internal A hand-written input-gradient program for a convolutional network (inference mode): a forward pass
 * that records, per module, how to map the gradient of its output to the gradient of its input, then a reverse
 * sweep. Convolution input gradients are forward convolutions with flipped filters (see `convInputGradient`),
 * batch norm is the affine map `x·s + t` of its running statistics, the dense head uses a pre-transposed kernel.
 * Every tensor it holds is a snapshot taken at construction; `dispose()` frees them.
 */
export interface FastGradientProgram {
  /** `[values (n), gradients (n × inputSize)]` of `target`; run inside `tf.tidy`. */
  run(x: tf.Tensor2D, target: ResolvedTfjsTarget, activation: ActivationSpec): [tf.Tensor1D, tf.Tensor2D];
  dispose(): void;
}

type Backward = (g: tf.Tensor) => tf.Tensor;

class Stop {
  constructor(readonly z: tf.Tensor) {}
}

interface Affine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

interface ConvParams {
  filter: tf.Tensor4D;
  flipped: tf.Tensor4D;
}

/** Held tensors of a program, disposed together. */
class Keeper {
  readonly held: tf.Tensor[] = [];

  keep<T extends tf.Tensor>(t: T): T {
    this.held.push(tf.keep(t));
    return t;
  }

  affine(network: Network, name: string): Affine {
    return tf.tidy(() => {
      const gamma = network.weights.get(`${name}/gamma`) as tf.Variable;
      const beta = network.weights.get(`${name}/beta`) as tf.Variable;
      const mean = network.buffers.get(`${name}/mean`) as tf.Variable;
      const variance = network.buffers.get(`${name}/variance`) as tf.Variable;
      const scale = this.keep(tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON))) as tf.Tensor1D);
      const shift = this.keep(tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D);
      return { scale, shift };
    }) as unknown as Affine;
  }

  conv(network: Network, name: string): ConvParams {
    const w = network.weights.get(name) as tf.Variable;
    const filter = this.keep(tf.tidy(() => tf.clone(w.rank === 3 ? tf.expandDims(w, 0) : w)) as tf.Tensor4D);
    const flipped = this.keep(tf.tidy(() => flippedFilter(filter)));
    return { filter, flipped };
  }

  dispose(): void {
    for (const t of this.held) t.dispose();
    this.held.length = 0;
  }
}

const PAD1: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];

/** Row `[1, k]` with a one at `index` (tf.oneHot refuses depth 1, e.g. a single regression output). */
function unitRow(k: number, index: number): tf.Tensor2D {
  const row = new Float32Array(k);
  row[index] = 1;
  return tf.tensor2d(row, [1, k]);
}

/** Values and gradient of the output `z` (n × K) for a logit / softmax / fn target. */
function headSeed(z: tf.Tensor2D, target: ResolvedTfjsTarget): [tf.Tensor1D, tf.Tensor2D] {
  const n = z.shape[0];
  const k = z.shape[1];
  if (target.kind === "logit") {
    const values = tf.reshape(tf.slice(z, [0, target.classIndex], [n, 1]), [n]) as tf.Tensor1D;
    return [values, tf.broadcastTo(unitRow(k, target.classIndex), [n, k]) as tf.Tensor2D];
  }
  if (target.kind === "softmax") {
    const p = tf.softmax(z) as tf.Tensor2D;
    const pc = tf.slice(p, [0, target.classIndex], [n, 1]);
    return [tf.reshape(pc, [n]) as tf.Tensor1D, tf.mul(pc, tf.sub(unitRow(k, target.classIndex), p)) as tf.Tensor2D];
  }
  if (target.kind === "fn") {
    let values: tf.Tensor1D | undefined;
    const g = tf.grad((zz: tf.Tensor) => {
      const out = target.fn(zz as tf.Tensor2D);
      values = tf.keep(tf.reshape(out, [n])) as tf.Tensor1D;
      return tf.sum(out);
    })(z) as tf.Tensor2D;
    return [values as tf.Tensor1D, g];
  }
  throw new Error("headSeed: neuron targets are seeded at their site");
}

/** Values and gradient (shaped like `z`) of unit `unit` of a site pre-activation `z`. */
function siteSeed(z: tf.Tensor, unit: number): [tf.Tensor1D, tf.Tensor] {
  const n = z.shape[0] as number;
  const flat = tf.reshape(z, [n, -1]) as tf.Tensor2D;
  const values = tf.reshape(tf.slice(flat, [0, unit], [n, 1]), [n]) as tf.Tensor1D;
  const g = tf.broadcastTo(unitRow(flat.shape[1], unit), [n, flat.shape[1]]);
  return [values, tf.reshape(g, z.shape)];
}

function finish(
  tape: Backward[],
  seed: [tf.Tensor1D, tf.Tensor],
  n: number,
  inputSize: number,
): [tf.Tensor1D, tf.Tensor2D] {
  let g = seed[1];
  for (let i = tape.length - 1; i >= 0; i--) g = tape[i](g);
  return [seed[0], tf.reshape(g, [n, inputSize]) as tf.Tensor2D];
}

/** @internal Fast program for a `resnet18` network. */
export function resnetFastGradient(network: Network): FastGradientProgram {
  const config = network.config as { inputShape: [number, number, number]; width: number; blocks: number[] };
  const [H, W, C] = config.inputShape;
  const keeper = new Keeper();
  const stem = { conv: keeper.conv(network, "stem/conv"), bn: keeper.affine(network, "stem/bn") };
  const blocks: {
    conv1: ConvParams;
    bn1: Affine;
    conv2: ConvParams;
    bn2: Affine;
    stride: number;
    shortcut?: { conv: ConvParams; bn: Affine };
  }[] = [];
  for (let s = 0; s < 4; s++) {
    for (let b = 0; b < config.blocks[s]; b++) {
      const name = `stage${s}/block${b}`;
      const hasShortcut = network.weights.has(`${name}/shortcut/conv`);
      blocks.push({
        conv1: keeper.conv(network, `${name}/conv1`),
        bn1: keeper.affine(network, `${name}/bn1`),
        conv2: keeper.conv(network, `${name}/conv2`),
        bn2: keeper.affine(network, `${name}/bn2`),
        stride: s > 0 && b === 0 ? 2 : 1,
        shortcut: hasShortcut ? { conv: keeper.conv(network, `${name}/shortcut/conv`), bn: keeper.affine(network, `${name}/shortcut/bn`) } : undefined,
      });
    }
  }
  const fcKernel = keeper.keep(tf.clone(network.weights.get("fc/kernel") as tf.Variable) as tf.Tensor2D);
  const fcKernelT = keeper.keep(tf.transpose(fcKernel));
  const fcBias = keeper.keep(tf.clone(network.weights.get("fc/bias") as tf.Variable) as tf.Tensor1D);

  const run = (x: tf.Tensor2D, target: ResolvedTfjsTarget, activation: ActivationSpec): [tf.Tensor1D, tf.Tensor2D] => {
    const n = x.shape[0];
    const stopAt = target.kind === "neuron" ? target.layer : -1;
    const tape: Backward[] = [];
    let site = 0;
    const conv = (a: tf.Tensor4D, p: ConvParams, stride: number, pad: typeof PAD1 | "valid") => tf.conv2d(a, p.filter, stride, pad);
    const bn = (z: tf.Tensor, p: Affine) => tf.add(tf.mul(z, p.scale), p.shift);
    const convBack = (g: tf.Tensor, p: ConvParams, bnp: Affine, stride: number, pad: number, input: tf.Tensor4D) =>
      convInputGradient(tf.mul(g, bnp.scale) as tf.Tensor4D, p.flipped, stride, pad, pad, input.shape[1], input.shape[2]);
    // Apply the activation at a site, or stop there when it is the target's site.
    const activate = (z: tf.Tensor): tf.Tensor => {
      if (site++ === stopAt) throw new Stop(z);
      tape.push((g) => tf.mul(g, activationDerivative(z, activation)));
      return applyActivation(z, activation);
    };
    try {
      const a0 = tf.reshape(x, [n, H, W, C]) as tf.Tensor4D;
      const z0 = bn(conv(a0, stem.conv, 1, PAD1), stem.bn);
      tape.push((g) => convBack(g, stem.conv, stem.bn, 1, 1, a0));
      let a = activate(z0) as tf.Tensor4D;
      for (const block of blocks) {
        const aIn = a;
        const z1 = bn(conv(aIn, block.conv1, block.stride, PAD1), block.bn1);
        const back1 = (g: tf.Tensor) => convBack(g, block.conv1, block.bn1, block.stride, 1, aIn);
        if (site === stopAt) {
          tape.push(back1);
          throw new Stop(z1);
        }
        site++;
        const a1 = applyActivation(z1, activation) as tf.Tensor4D;
        const z2 = bn(conv(a1, block.conv2, 1, PAD1), block.bn2);
        const shortcut = block.shortcut ? bn(conv(aIn, block.shortcut.conv, block.stride, "valid"), block.shortcut.bn) : aIn;
        const u = tf.add(z2, shortcut);
        tape.push((g) => {
          const g1 = tf.mul(convBack(g, block.conv2, block.bn2, 1, 1, a1), activationDerivative(z1, activation));
          const main = back1(g1);
          const skip = block.shortcut ? convBack(g, block.shortcut.conv, block.shortcut.bn, block.stride, 0, aIn) : g;
          return tf.add(main, skip);
        });
        a = activate(u) as tf.Tensor4D;
      }
      const [, h, w] = a.shape;
      const features = tf.mean(a, [1, 2]) as tf.Tensor2D;
      const z = tf.add(tf.matMul(features, fcKernel), fcBias) as tf.Tensor2D;
      tape.push((g) => {
        const gf = tf.div(tf.matMul(g as tf.Tensor2D, fcKernelT), h * w);
        return tf.broadcastTo(tf.reshape(gf, [n, 1, 1, -1]), a.shape);
      });
      return finish(tape, headSeed(z, target), n, network.inputSize);
    } catch (e) {
      if (e instanceof Stop) return finish(tape, siteSeed(e.z, (target as { unit: number }).unit), n, network.inputSize);
      throw e;
    }
  };
  return { run, dispose: () => keeper.dispose() };
}

/** @internal Fast program for a `cnn1d` network. */
export function cnn1dFastGradient(network: Network): FastGradientProgram {
  const config = network.config as { length: number; blocks: number; channels: number; kernel: number };
  const L = config.length;
  const k = config.kernel;
  const padLeft = Math.floor((k - 1) / 2); // tfjs "same": the extra column goes to the right
  const keeper = new Keeper();
  const blocks = Array.from({ length: config.blocks }, (_, b) => ({
    conv: keeper.conv(network, `block${b}/conv`),
    bn: keeper.affine(network, `block${b}/bn`),
  }));
  const fcKernel = keeper.keep(tf.clone(network.weights.get("fc/kernel") as tf.Variable) as tf.Tensor2D);
  const fcKernelT = keeper.keep(tf.transpose(fcKernel));
  const fcBias = keeper.keep(tf.clone(network.weights.get("fc/bias") as tf.Variable) as tf.Tensor1D);
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [0, 0], [padLeft, k - 1 - padLeft], [0, 0]];

  const run = (x: tf.Tensor2D, target: ResolvedTfjsTarget, activation: ActivationSpec): [tf.Tensor1D, tf.Tensor2D] => {
    const n = x.shape[0];
    const stopAt = target.kind === "neuron" ? target.layer : -1;
    const tape: Backward[] = [];
    // time series as images of height 1: [n, 1, L, channels]
    let h = tf.reshape(x, [n, 1, L, 1]) as tf.Tensor4D;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b];
      const hIn = h;
      const z = tf.add(tf.mul(tf.conv2d(hIn, block.conv.filter, 1, pad), block.bn.scale), block.bn.shift) as tf.Tensor4D;
      const convBack = (g: tf.Tensor) =>
        convInputGradient(tf.mul(g, block.bn.scale) as tf.Tensor4D, block.conv.flipped, 1, 0, padLeft, 1, L);
      if (b === stopAt) {
        tape.push(convBack);
        return finish(tape, siteSeed(z, (target as { unit: number }).unit), n, network.inputSize);
      }
      const broadcastSkip = hIn.shape[3] !== z.shape[3];
      tape.push((g) => {
        const through = convBack(tf.mul(g, activationDerivative(z, activation)));
        const skip = broadcastSkip ? tf.sum(g, 3, true) : g;
        return tf.add(skip, through);
      });
      h = tf.add(hIn, applyActivation(z, activation)) as tf.Tensor4D;
    }
    const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
    const z = tf.add(tf.matMul(features, fcKernel), fcBias) as tf.Tensor2D;
    const shape = h.shape;
    tape.push((g) => tf.broadcastTo(tf.reshape(tf.div(tf.matMul(g as tf.Tensor2D, fcKernelT), L), [n, 1, 1, -1]), shape));
    return finish(tape, headSeed(z, target), n, network.inputSize);
  };
  return { run, dispose: () => keeper.dispose() };
}
