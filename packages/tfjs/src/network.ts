import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";
import type { ActivationSpec } from "./activation-ops.js";

/** The architectures this package builds (paper App. E). */
export type Architecture = "mlp" | "resnet18" | "cnn1d";

/** Options of {@link Network.forward}. */
export interface ForwardOptions {
  /** Activation used at every hidden unit; default ReLU. The same weights can be run with any of them. */
  readonly activation?: ActivationSpec;
  /**
   * Training mode: batch norm uses batch statistics (and reports running-statistic updates in
   * `stateUpdates`), dropout is applied. Default `false` (inference: running statistics, no dropout).
   */
  readonly training?: boolean;
  /** Seed of the dropout masks in training mode (the trainer derives one per step). Default 0. */
  readonly dropoutSeed?: number;
  /** Return the hidden pre-activations in `preActivations`. Default `false`. */
  readonly capture?: boolean;
}

/** What {@link Network.forward} returns. All tensors are new; dispose them (or run inside `tf.tidy`). */
export interface ForwardResult {
  /** Model output, `n × outputSize` (logits, or the regression output). */
  readonly output: tf.Tensor2D;
  /**
   * With `capture`: the pre-activation of every hidden layer `l = 1..L` at index `l − 1`, flattened to
   * `n × layerSizes[l−1]` (row-major over the layer's own shape, e.g. H×W×C). Empty otherwise.
   */
  readonly preActivations: readonly tf.Tensor2D[];
  /** Training mode only: new values for the running statistics in {@link Network.buffers}. */
  readonly stateUpdates: ReadonlyArray<readonly [name: string, value: tf.Tensor]>;
}

/**
 * A network as plain weight tensors plus a forward function — no tfjs-layers model, no graph to retrace.
 *
 * - `weights`: the trainable tensors by name, in a fixed order (e.g. `dense0/kernel` of shape `in × out`).
 * - `buffers`: non-trainable state (batch-norm running mean / variance), empty for MLPs.
 * - `forward(x, { activation })`: evaluates the network on a batch `x` of shape `n × inputSize` (inputs are
 *   flattened row-major over `inputShape`, images as H×W×C) with any activation, so a surrogate (SoftPlus_β,
 *   Swish_β) is the same object evaluated with another `activation`.
 * - "Hidden layer l" (1-based, `l = 1..layerSizes.length`) is the l-th place where the activation is applied;
 *   its pre-activation is what internal-neuron oracles read. The last one is the paper's penultimate layer.
 */
export interface Network {
  /** Which builder made it. */
  readonly architecture: Architecture;
  /** JSON-serialisable architecture description; with the weights it reproduces the network. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Shape of one input example, e.g. `[784]`, `[32, 32, 3]`, `[300]`. */
  readonly inputShape: readonly number[];
  /** Number of input features (product of `inputShape`): the oracle dimension. */
  readonly inputSize: number;
  /** Number of outputs (classes or regression targets). */
  readonly outputSize: number;
  /** Units of each hidden layer's pre-activation, layer 1 first. */
  readonly layerSizes: readonly number[];
  /** Trainable weights by name. */
  readonly weights: ReadonlyMap<string, tf.Variable>;
  /** Non-trainable state by name (batch-norm running statistics). */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /** Run the network on `x` (`n × inputSize`). */
  forward(x: tf.Tensor2D, options?: ForwardOptions): ForwardResult;
  /** Dispose every weight and buffer. */
  dispose(): void;
}

/** @internal Shared plumbing of the three builders. */
export interface NetworkParts {
  architecture: Architecture;
  config: Record<string, unknown>;
  inputShape: number[];
  outputSize: number;
  layerSizes: number[];
  weights: Map<string, tf.Variable>;
  buffers: Map<string, tf.Variable>;
  forward(x: tf.Tensor2D, options: ForwardOptions): ForwardResult;
}

/** @internal */
export function makeNetwork(parts: NetworkParts): Network {
  const inputSize = parts.inputShape.reduce((a, b) => a * b, 1);
  let disposed = false;
  return {
    architecture: parts.architecture,
    config: Object.freeze({ ...parts.config }),
    inputShape: Object.freeze([...parts.inputShape]),
    inputSize,
    outputSize: parts.outputSize,
    layerSizes: Object.freeze([...parts.layerSizes]),
    weights: parts.weights,
    buffers: parts.buffers,
    forward: (x, options = {}) => parts.forward(x, options),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of parts.weights.values()) v.dispose();
      for (const v of parts.buffers.values()) v.dispose();
    },
  };
}

/**
 * @internal Holds initial values while a builder creates variables: takes given tensors (from a file) by
 * name, or creates them from a generator.
 */
export class VariableFactory {
  readonly weights = new Map<string, tf.Variable>();
  readonly buffers = new Map<string, tf.Variable>();

  constructor(private readonly given?: ReadonlyMap<string, tf.Tensor>) {}

  private make(name: string, shape: number[], init: () => Float32Array, trainable: boolean): tf.Variable {
    const given = this.given?.get(name);
    let variable: tf.Variable;
    if (this.given && !given) throw new InvalidArgumentError(`tensors.get(${JSON.stringify(name)})`, "a tensor", described("none"));
    if (given) {
      if (given.shape.length !== shape.length || given.shape.some((d, i) => d !== shape[i])) {
        throw new DimensionMismatchError(`tensors.get(${JSON.stringify(name)})`, `shape [${shape}]`, described(`shape [${given.shape}]`));
      }
      variable = tf.variable(given, trainable, uniqueName(name));
    } else {
      const values = tf.tensor(init(), shape, "float32");
      variable = tf.variable(values, trainable, uniqueName(name));
      values.dispose();
    }
    (trainable ? this.weights : this.buffers).set(name, variable);
    return variable;
  }

  weight(name: string, shape: number[], init: () => Float32Array): tf.Variable {
    return this.make(name, shape, init, true);
  }

  buffer(name: string, shape: number[], init: () => Float32Array): tf.Variable {
    return this.make(name, shape, init, false);
  }
}

let counter = 0;
function uniqueName(name: string): string {
  counter += 1;
  return `smoothhess/${name}/${counter}`;
}

/** @internal Constant fill. */
export function filled(size: number, value: number): () => Float32Array {
  return () => new Float32Array(size).fill(value);
}
