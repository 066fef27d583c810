import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, described } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";
import { activationDerivative, applyActivation } from "./activation-ops.js";
import type { KernelHead, KernelTarget } from "./kernel-target.js";
import { crossEntropyHead, softmaxProbabilityHead } from "./logit-heads.js";

/** @internal What the convnet kernel needs to know about the architecture (JSON, sent to workers). */
export interface ConvnetSpec {
  readonly architecture: "resnet18" | "cnn1d";
  /** ResNet: input `[H, W, C]`; CNN: `[1, length, 1]`. */
  readonly inputShape: readonly [number, number, number];
  /** ResNet: per block `{ name, stride, shortcut }` in order; CNN: per block `{ name }`. */
  readonly blocks: readonly { readonly name: string; readonly stride: number; readonly shortcut: boolean }[];
  /** CNN only: forward left padding of the "same" convolution. */
  readonly padLeft: number;
}

/**
 * @internal Values and input gradients of a target of a ResNet-18 or spirometry CNN in inference mode, with a
 * hand-written backward pass that uses only fast wasm kernels:
 *
 * - a convolution's input gradient is a **forward** convolution of the zero-dilated output gradient with the
 *   flipped filter (`params["…/flipped"]`, `[kh, kw, cout, cin]`), padded by `k−1−pad` before and
 *   `H + pad − len` after — tfjs-backend-wasm runs `Conv2DBackpropInput`, which `tf.grad` uses, in a scalar loop;
 * - batch norm is the affine map `x·scale + shift` of its running statistics;
 * - the dense head uses a pre-transposed kernel; the spatial / temporal mean spreads the gradient evenly.
 *
 * The forward pass records one backward closure per module (a block's closure covers both of its branches) and
 * stops at the target's site for neuron targets. SoftMax and cross-entropy targets seed the backward pass with
 * `softmaxProbabilityHead` / `crossEntropyHead`, as the MLP kernel does. Runs in the calling thread and in the worker
 * threads (`kernel-worker.ts`); the caller runs it inside `tf.tidy`.
 * Returns `[values (n), gradients (n × inputSize)]`.
 *
 * @throws {@link InvalidArgumentError} naming `params` for a missing parameter, or `head` for a "head" target without
 *   a head function.
 */
export function convnetKernel(
  spec: ConvnetSpec,
  params: Readonly<Record<string, tf.Tensor>>,
  activation: ActivationSpec,
  target: KernelTarget,
  x: tf.Tensor2D,
  head?: KernelHead,
): [tf.Tensor1D, tf.Tensor2D] {
  type T = tf.Tensor;
  type T4 = tf.Tensor4D;
  const act = (z: T): T => applyActivation(z, activation);
  const dact = (z: T): T => activationDerivative(z, activation);
  const p = (key: string): T => {
    const t = params[key];
    if (!t) throw new InvalidArgumentError("params", `a parameter named ${JSON.stringify(key)}`, described("none"));
    return t;
  };
  const unitRow = (k: number, index: number): tf.Tensor2D => {
    const row = new Float32Array(k);
    row[index] = 1; // tf.oneHot refuses depth 1
    return tf.tensor2d(row, [1, k]);
  };
  // Zero-dilation by `stride` along H and W: [n, h, w, c] → [n, s(h−1)+1, s(w−1)+1, c].
  const dilate = (g: T4, stride: number): T4 => {
    if (stride === 1) return g;
    const [n, h, w, c] = g.shape;
    const zeros = tf.zerosLike(g);
    const rows = tf.slice(
      tf.reshape(tf.stack([g, ...new Array<T4>(stride - 1).fill(zeros)], 2), [n, h * stride, w, c]),
      [0, 0, 0, 0],
      [n, stride * (h - 1) + 1, w, c],
    ) as T4;
    const zr = tf.zerosLike(rows);
    return tf.slice(
      tf.reshape(tf.stack([rows, ...new Array<T4>(stride - 1).fill(zr)], 3), [n, rows.shape[1], w * stride, c]),
      [0, 0, 0, 0],
      [n, rows.shape[1], stride * (w - 1) + 1, c],
    ) as T4;
  };
  const convInputGradient = (dy: T4, flipped: T4, stride: number, padTop: number, padLeft: number, inH: number, inW: number): T4 => {
    const [kh, kw] = flipped.shape;
    const d = dilate(dy, stride);
    return tf.conv2d(d, flipped, 1, [
      [0, 0],
      [kh - 1 - padTop, inH + padTop - d.shape[1]],
      [kw - 1 - padLeft, inW + padLeft - d.shape[2]],
      [0, 0],
    ]);
  };
  const bn = (z: T, key: string): T => tf.add(tf.mul(z, p(`${key}/scale`)), p(`${key}/shift`));

  const n = x.shape[0];
  const [H, W, C] = spec.inputShape;
  const stopAt = target.kind === "neuron" ? target.layer : -1;
  const tape: ((g: T) => T)[] = [];
  let site = 0;
  let stop: T | undefined;

  // Forward to the output (or the target's site); returns the logits, or undefined after a stop.
  const forward = (): tf.Tensor2D | undefined => {
    if (spec.architecture === "resnet18") {
      const pad1: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];
      const conv = (a: T4, key: string, stride: number, pad: typeof pad1 | "valid") => tf.conv2d(a, p(`${key}/filter`) as T4, stride, pad);
      const convBack = (g: T, key: string, stride: number, pad: number, input: T4) =>
        convInputGradient(tf.mul(g, p(`${key}/scale`)) as T4, p(`${key}/flipped`) as T4, stride, pad, pad, input.shape[1], input.shape[2]);
      const a0 = tf.reshape(x, [n, H, W, C]) as T4;
      const z0 = bn(conv(a0, "stem", 1, pad1), "stem");
      tape.push((g) => convBack(g, "stem", 1, 1, a0));
      if (site++ === stopAt) {
        stop = z0;
        return undefined;
      }
      tape.push((g) => tf.mul(g, dact(z0)));
      let a = act(z0) as T4;
      for (const block of spec.blocks) {
        const aIn = a;
        const k1 = `${block.name}/conv1`;
        const k2 = `${block.name}/conv2`;
        const ks = `${block.name}/shortcut`;
        const z1 = bn(conv(aIn, k1, block.stride, pad1), k1);
        const back1 = (g: T) => convBack(g, k1, block.stride, 1, aIn);
        if (site++ === stopAt) {
          tape.push(back1);
          stop = z1;
          return undefined;
        }
        const a1 = act(z1) as T4;
        const z2 = bn(conv(a1, k2, 1, pad1), k2);
        const shortcut = block.shortcut ? bn(conv(aIn, ks, block.stride, "valid"), ks) : aIn;
        const u = tf.add(z2, shortcut);
        tape.push((g) => {
          const main = back1(tf.mul(convBack(g, k2, 1, 1, a1), dact(z1)));
          return tf.add(main, block.shortcut ? convBack(g, ks, block.stride, 0, aIn) : g);
        });
        if (site++ === stopAt) {
          stop = u;
          return undefined;
        }
        tape.push((g) => tf.mul(g, dact(u)));
        a = act(u) as T4;
      }
      const [, h, w] = a.shape;
      const shape = a.shape;
      const features = tf.mean(a, [1, 2]) as tf.Tensor2D;
      tape.push((g) => tf.broadcastTo(tf.reshape(tf.div(tf.matMul(g as tf.Tensor2D, p("fc/kernelT") as tf.Tensor2D), h * w), [n, 1, 1, -1]), shape));
      return tf.add(tf.matMul(features, p("fc/kernel") as tf.Tensor2D), p("fc/bias")) as tf.Tensor2D;
    }
    // cnn1d: time series as images of height 1, [n, 1, L, channels]; "same" convolutions, stride 1.
    const L = W;
    const kw = (p(`${spec.blocks[0].name}/filter`) as T4).shape[1];
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [0, 0], [spec.padLeft, kw - 1 - spec.padLeft], [0, 0]];
    let hcur = tf.reshape(x, [n, 1, L, 1]) as T4;
    for (const block of spec.blocks) {
      const hIn = hcur;
      const key = block.name;
      const z = bn(tf.conv2d(hIn, p(`${key}/filter`) as T4, 1, pad), key);
      const convBack = (g: T) => convInputGradient(tf.mul(g, p(`${key}/scale`)) as T4, p(`${key}/flipped`) as T4, 1, 0, spec.padLeft, 1, L);
      if (site++ === stopAt) {
        tape.push(convBack);
        stop = z;
        return undefined;
      }
      const broadcastSkip = hIn.shape[3] !== z.shape[3];
      tape.push((g) => tf.add(broadcastSkip ? tf.sum(g, 3, true) : g, convBack(tf.mul(g, dact(z)))));
      hcur = tf.add(hIn, act(z)) as T4;
    }
    const shape = hcur.shape;
    const features = tf.mean(hcur, [1, 2]) as tf.Tensor2D;
    tape.push((g) => tf.broadcastTo(tf.reshape(tf.div(tf.matMul(g as tf.Tensor2D, p("fc/kernelT") as tf.Tensor2D), L), [n, 1, 1, -1]), shape));
    return tf.add(tf.matMul(features, p("fc/kernel") as tf.Tensor2D), p("fc/bias")) as tf.Tensor2D;
  };

  const z = forward();
  let values: tf.Tensor1D;
  let g: T;
  if (stop) {
    const unit = (target as { unit: number }).unit;
    const flat = tf.reshape(stop, [n, -1]) as tf.Tensor2D;
    values = tf.reshape(tf.slice(flat, [0, unit], [n, 1]), [n]) as tf.Tensor1D;
    g = tf.reshape(tf.broadcastTo(unitRow(flat.shape[1], unit), [n, flat.shape[1]]), stop.shape);
  } else {
    const out = z as tf.Tensor2D;
    const k = out.shape[1];
    if (target.kind === "logit") {
      values = tf.reshape(tf.slice(out, [0, target.classIndex], [n, 1]), [n]) as tf.Tensor1D;
      g = tf.broadcastTo(unitRow(k, target.classIndex), [n, k]);
    } else if (target.kind === "softmax" || target.kind === "crossEntropy") {
      [values, g] = (target.kind === "softmax" ? softmaxProbabilityHead : crossEntropyHead)(out, target.classIndex);
    } else {
      if (!head) throw new InvalidArgumentError("head", "a function of the output (a head target runs in the calling thread)", head);
      [values, g] = head(out);
    }
  }
  for (let i = tape.length - 1; i >= 0; i--) g = tape[i](g);
  return [values, tf.reshape(g, [n, -1]) as tf.Tensor2D];
}
