import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { UnsupportedLayerError } from "../unsupported-layer-error.js";

/**
 * One layer of a {@link LayerProgram}: the inference-time computation of a network written as a short list of
 * linear maps and activation sites, which is all the exact second-order passes need to know about it.
 *
 * Tensors carry the batch on axis 0; per-example shapes are as in the tfjs package (images H×W×C, sequences T×C).
 * - `dense`: `h ↦ flatten(h)·kernel + bias` (`kernel` is `in × out`).
 * - `conv2d` / `conv1d`: `tf.conv2d` / `tf.conv1d` with the given filter, stride and padding (no bias).
 * - `batchNorm`: inference batch norm over the last axis, `(h − mean)·γ/√(variance + ε) + β`.
 * - `activation`: an activation site — where the ReLU (or its surrogate) is applied. Sites are numbered in
 *   program order, nested residual branches included; hidden layer l of a target is site l.
 * - `reshape`: to `[n, ...shape]`.
 * - `mean`: mean over the given tensor axes (≥ 1), e.g. `[1, 2]` for global average pooling of images.
 * - `residual`: `branch(h) + shortcut(h)` (identity shortcut when omitted; broadcasting as in tfjs).
 */
export type ProgramLayer =
  | { readonly type: "dense"; readonly name: string; readonly kernel: tf.Tensor2D; readonly bias?: tf.Tensor1D }
  | {
      readonly type: "conv2d";
      readonly name: string;
      readonly filter: tf.Tensor4D;
      readonly strides: number | [number, number];
      readonly pad: "valid" | "same" | number | [[number, number], [number, number], [number, number], [number, number]];
    }
  | { readonly type: "conv1d"; readonly name: string; readonly filter: tf.Tensor3D; readonly stride: number; readonly pad: "valid" | "same" | number }
  | {
      readonly type: "batchNorm";
      readonly name: string;
      readonly gamma: tf.Tensor1D;
      readonly beta: tf.Tensor1D;
      readonly mean: tf.Tensor1D;
      readonly variance: tf.Tensor1D;
      readonly epsilon: number;
    }
  | { readonly type: "activation"; readonly name: string }
  | { readonly type: "reshape"; readonly name: string; readonly shape: readonly number[] }
  | { readonly type: "mean"; readonly name: string; readonly axes: readonly number[] }
  | { readonly type: "residual"; readonly name: string; readonly branch: readonly ProgramLayer[]; readonly shortcut?: readonly ProgramLayer[] };

/** A network as a {@link ProgramLayer} list plus its input size (flattened). */
export interface LayerProgram {
  /** Features per example (the oracle dimension d). */
  readonly inputSize: number;
  /** The layers, input first; the last one produces the `n × c` logits (or regression outputs). */
  readonly layers: readonly ProgramLayer[];
}

/** The layer types a {@link LayerProgram} may contain. */
export const PROGRAM_LAYER_TYPES = ["dense", "conv2d", "conv1d", "batchNorm", "activation", "reshape", "mean", "residual"] as const;

/**
 * How a run treats the program: `forward` evaluates it; `linear` evaluates its linearisation at fixed
 * pre-activations (biases and shifts dropped, each site multiplying by a given slope), which maps input tangents
 * to the tangents of every site and of the output.
 * @internal
 */
export interface RunMode {
  readonly linear: boolean;
  /** Called at site `index` with its input (pre-activation or its tangent); returns the site's output. */
  site(z: tf.Tensor, index: number): tf.Tensor;
}

/** @internal Per-layer tensors derived once: batch-norm scale and shift. */
interface Derived {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}

/**
 * @internal A checked program with its derived tensors, ready to run. Construction validates every layer (typed
 * errors name the layer) and counts the sites.
 */
export class CompiledProgram {
  readonly inputSize: number;
  readonly layers: readonly ProgramLayer[];
  readonly siteCount: number;
  private readonly derived = new Map<ProgramLayer, Derived>();
  /** Dense layers as `x ↦ x·kernel` with the input gradient `dy·kernelᵀ` from a pre-transposed kernel. */
  private readonly products = new Map<ProgramLayer, (x: tf.Tensor2D) => tf.Tensor2D>();
  private readonly held: tf.Tensor[] = [];

  constructor(program: LayerProgram, argument = "program") {
    if (typeof program !== "object" || program === null || !Array.isArray(program.layers)) {
      throw new InvalidArgumentError(argument, "{ inputSize, layers: ProgramLayer[] }", program);
    }
    if (!Number.isInteger(program.inputSize) || program.inputSize < 1) {
      throw new InvalidArgumentError(`${argument}.inputSize`, "an integer ≥ 1", program.inputSize);
    }
    this.inputSize = program.inputSize;
    this.layers = program.layers;
    this.siteCount = this.check(program.layers, `${argument}.layers`);
  }

  private check(layers: readonly ProgramLayer[], path: string): number {
    if (!Array.isArray(layers)) throw new InvalidArgumentError(path, "an array of layers", layers);
    let sites = 0;
    layers.forEach((layer, i) => {
      const where = typeof layer?.name === "string" && layer.name !== "" ? layer.name : `${path}[${i}]`;
      const type = (layer as { type?: unknown } | null)?.type;
      if (!PROGRAM_LAYER_TYPES.includes(type as (typeof PROGRAM_LAYER_TYPES)[number])) {
        throw new UnsupportedLayerError(where, `layer type ${JSON.stringify(type)}`, PROGRAM_LAYER_TYPES.join(", "));
      }
      if (layer.type === "activation") sites++;
      if (layer.type === "dense") this.products.set(layer, this.denseProduct(layer.kernel));
      if (layer.type === "residual") {
        sites += this.check(layer.branch, `${path}[${i}].branch`);
        if (layer.shortcut) sites += this.check(layer.shortcut, `${path}[${i}].shortcut`);
      }
      if (layer.type === "batchNorm") {
        const derived = tf.tidy(() => {
          const scale = tf.mul(layer.gamma, tf.rsqrt(tf.add(layer.variance, layer.epsilon))) as tf.Tensor1D;
          const shift = tf.sub(layer.beta, tf.mul(layer.mean, scale)) as tf.Tensor1D;
          return { scale, shift };
        });
        this.held.push(derived.scale, derived.shift);
        this.derived.set(layer, derived);
      }
    });
    return sites;
  }

  /**
   * `x·kernel` whose gradient with respect to x is `dy·kernelᵀ` with a kernel transposed once here: the wasm
   * backend's fast matMul handles only transpose-free products, and autodiff would use the transpose flag, which
   * wasm runs in a scalar loop. The kernel is a constant of every pass, so no gradient for it.
   */
  private denseProduct(kernel: tf.Tensor2D): (x: tf.Tensor2D) => tf.Tensor2D {
    const kernelT = tf.keep(tf.transpose(kernel)) as tf.Tensor2D;
    this.held.push(kernelT);
    return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.matMul(args[0] as tf.Tensor2D, kernel),
      gradFunc: (dy: tf.Tensor) => tf.matMul(dy as tf.Tensor2D, kernelT),
    })) as (x: tf.Tensor2D) => tf.Tensor2D;
  }

  /** Run on `x` (`n × inputSize`); returns the output, `n × c`. Sites are numbered from 0 in program order. */
  run(x: tf.Tensor2D, mode: RunMode): tf.Tensor2D {
    const counter = { next: 0 };
    const out = this.runLayers(this.layers, x, mode, counter);
    const n = x.shape[0];
    return (out.rank === 2 ? out : tf.reshape(out, [n, -1])) as tf.Tensor2D;
  }

  private runLayers(layers: readonly ProgramLayer[], input: tf.Tensor, mode: RunMode, counter: { next: number }): tf.Tensor {
    let h = input;
    const n = input.shape[0];
    for (const layer of layers) {
      switch (layer.type) {
        case "dense": {
          const flat = h.rank === 2 ? (h as tf.Tensor2D) : (tf.reshape(h, [n, -1]) as tf.Tensor2D);
          const z = (this.products.get(layer) as (x: tf.Tensor2D) => tf.Tensor2D)(flat);
          h = layer.bias && !mode.linear ? tf.add(z, layer.bias) : z;
          break;
        }
        case "conv2d":
          h = tf.conv2d(h as tf.Tensor4D, layer.filter, layer.strides, layer.pad);
          break;
        case "conv1d":
          h = tf.conv1d(h as tf.Tensor3D, layer.filter, layer.stride, layer.pad);
          break;
        case "batchNorm": {
          const { scale, shift } = this.derived.get(layer) as Derived;
          const scaled = tf.mul(h, scale);
          h = mode.linear ? scaled : tf.add(scaled, shift);
          break;
        }
        case "activation":
          h = mode.site(h, counter.next++);
          break;
        case "reshape":
          h = tf.reshape(h, [n, ...layer.shape]);
          break;
        case "mean":
          h = tf.mean(h, [...layer.axes]);
          break;
        case "residual": {
          const branch = this.runLayers(layer.branch, h, mode, counter);
          const skip = layer.shortcut ? this.runLayers(layer.shortcut, h, mode, counter) : h;
          h = tf.add(branch, skip);
          break;
        }
      }
    }
    return h;
  }

  /** Free the derived tensors (not the layers' own tensors). */
  dispose(): void {
    for (const t of this.held) t.dispose();
    this.held.length = 0;
  }
}
