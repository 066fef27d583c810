import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { Network } from "./network.js";
import { toFloat32Batch } from "./point-batch.js";
import "./register-gradients.js";
import type { ResolvedTfjsTarget, TfjsTarget } from "./target.js";
import { resolveTfjsTarget, targetValues } from "./target.js";
import { OracleDisposedError, tfjsOracle, type TfjsOracle, type TfjsOracleOptions } from "./tfjs-oracle.js";
import { UnsupportedModelError } from "./unsupported-model-error.js";

/** How a model oracle computes gradients: `"auto"` picks `"fast"` for a plain Dense/ReLU stack, else `"autograd"`. */
export type ModelEngine = "auto" | "fast" | "autograd";

/** Options shared by {@link fromLayersModel}, {@link fromGraphModel} and {@link fromFunction}. */
export interface ModelOracleOptions {
  /**
   * `"auto"` (default): a model that is a plain Dense/ReLU stack is converted to this package's MLP and runs the
   * hand-written fast backward pass (see `tfjsOracle`); any other model runs `tf.grad` through its own forward pass.
   * `"fast"`: insist on the conversion (throws {@link UnsupportedModelError} naming the layer that prevents it).
   * `"autograd"`: always `tf.grad` through the model.
   */
  readonly engine?: ModelEngine;
  /** Largest batch computed at once (bigger requests are split). Default 1024 for Dense stacks, 256 otherwise. */
  readonly maxBatchSize?: number;
  /** Fast engine only: worker threads, as in `tfjsOracle` (default `"auto"`). */
  readonly workers?: TfjsOracleOptions["workers"];
}

/**
 * A {@link GradientOracle} over a user's model (a tfjs `LayersModel`, `GraphModel` or a function of tensors) for one
 * scalar target: `evaluate(points, n)` takes points flattened row-major over {@link ModelOracle.inputShape} and
 * returns the target's values (float64 copies of float32 results) and input gradients (`Float32Array`, `n × dim`).
 *
 * Create one with {@link fromLayersModel}, {@link fromGraphModel} or {@link fromFunction}. Every call runs inside
 * `tf.tidy` and leaves no tensors behind; `dispose()` frees what the oracle made (the converted weights of the fast
 * engine), never the user's model.
 */
export class ModelOracle implements GradientOracle {
  /** Input dimension: the product of {@link ModelOracle.inputShape}. */
  readonly dim: number;
  /** Shape of one input example (without the batch axis), e.g. `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Number of model outputs per example (the model's output flattened). */
  readonly outputSize: number;
  /** Largest batch computed at once. */
  readonly maxBatchSize: number;
  /** The resolved target (a "predicted" class is a fixed index here). */
  readonly target: ResolvedTfjsTarget;
  /** `"fast"` when the model runs as a converted Dense/ReLU stack, else `"autograd"`. */
  readonly engine: "fast" | "autograd";

  private readonly fast?: { oracle: TfjsOracle; network: Network };
  private readonly network?: Network;
  private disposed = false;

  /** @internal Use {@link fromLayersModel}, {@link fromGraphModel} or {@link fromFunction}. */
  constructor(
    source: { kind: "fast"; network: Network } | { kind: "autograd"; network: Network },
    target: TfjsTarget,
    options: ModelOracleOptions,
  ) {
    this.inputShape = Object.freeze([...source.network.inputShape]);
    this.dim = source.network.inputSize;
    this.outputSize = source.network.outputSize;
    if (source.kind === "fast") {
      let oracle: TfjsOracle;
      try {
        oracle = tfjsOracle(source.network, target, { engine: "fast", workers: options.workers, maxBatchSize: options.maxBatchSize });
      } catch (error) {
        source.network.dispose(); // the converted weights belong to this oracle
        throw error;
      }
      this.fast = { oracle, network: source.network };
      this.target = oracle.target;
      this.maxBatchSize = oracle.maxBatchSize;
      this.engine = "fast";
    } else {
      this.network = source.network;
      if (target && typeof target === "object" && ("layer" in target || "unit" in target)) {
        throw new UnsupportedModelError(
          "target",
          "hidden-layer targets ({ layer, unit }) need a model that converts to a Dense/ReLU stack (engine \"fast\"); this one runs by autograd and its hidden layers are not visible",
        );
      }
      this.target = resolveTfjsTarget(source.network, target);
      this.maxBatchSize = checkInteger("options.maxBatchSize", options.maxBatchSize ?? 256, 1);
      this.engine = "autograd";
    }
  }

  /** Values and input gradients of the target at `n` points (`n × dim`, row-major). */
  async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
    if (this.disposed) throw new OracleDisposedError();
    if (this.fast) return this.fast.oracle.evaluate(points, n);
    const x = toFloat32Batch(points, n, this.dim);
    const values = new Float64Array(n);
    const gradients = new Float32Array(n * this.dim);
    for (let start = 0; start < n; start += this.maxBatchSize) {
      const rows = Math.min(this.maxBatchSize, n - start);
      const r = this.autograd(x.subarray(start * this.dim, (start + rows) * this.dim), rows);
      values.set(r.values, start);
      gradients.set(r.gradients, start * this.dim);
    }
    return { values, gradients };
  }

  /** Free the converted weights (fast engine) and stop worker threads. The user's model is left alone. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fast) {
      await this.fast.oracle.dispose();
      this.fast.network.dispose();
    }
  }

  private autograd(x: Float32Array, n: number): { values: Float32Array; gradients: Float32Array } {
    const network = this.network as Network;
    let kept: tf.Tensor | undefined;
    const grads = tf.tidy(() =>
      tf.grad((xi: tf.Tensor) => {
        const v = targetValues(network, this.target, xi as tf.Tensor2D);
        kept = tf.keep(v);
        return tf.sum(v);
      })(tf.tensor2d(x, [n, this.dim])),
    );
    try {
      return { values: (kept as tf.Tensor).dataSync() as Float32Array, gradients: grads.dataSync() as Float32Array };
    } finally {
      kept?.dispose();
      grads.dispose();
    }
  }
}

/**
 * @internal A {@link Network}-shaped view of a forward function, for target resolution and autograd: `forward`
 * reshapes the flat `n × dim` batch to `[n, ...inputShape]`, runs `apply`, and flattens the output to `n × c`.
 * It has no weights of its own and no hidden layers that targets can name.
 */
export function functionNetwork(
  apply: (x: tf.Tensor) => unknown,
  inputShape: readonly number[],
  argument: string,
): Network {
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  const run = (x: tf.Tensor2D): tf.Tensor2D => {
    const n = x.shape[0];
    const input = inputShape.length === 1 ? x : tf.reshape(x, [n, ...inputShape]);
    const out = apply(input);
    if (!(out instanceof tf.Tensor)) {
      throw new UnsupportedModelError(argument, `the model must return one tensor; it returned ${describeOutput(out)}`);
    }
    if (out.shape[0] !== n) {
      throw new DimensionMismatchError(`${argument} output`, `a batch of ${n} rows first`, described(`shape [${out.shape}]`));
    }
    return (out.rank === 2 ? out : tf.reshape(out, [n, out.size / Math.max(n, 1)])) as tf.Tensor2D;
  };
  const probe = tf.tidy(() => run(tf.zeros([1, inputSize]) as tf.Tensor2D));
  const outputSize = probe.shape[1];
  probe.dispose();
  const network = {
    architecture: "function",
    config: {},
    inputShape: Object.freeze([...inputShape]),
    inputSize,
    outputSize,
    layerSizes: Object.freeze([]),
    weights: new Map(),
    buffers: new Map(),
    forward: (x: tf.Tensor2D) => ({ output: run(x), preActivations: [], stateUpdates: [] }),
    dispose() {},
  };
  // Target resolution and `targetValues` read only inputSize, outputSize, layerSizes and forward; `architecture`
  // is not one of the builders' and is never passed to anything that switches on it.
  return network as unknown as Network;
}

function describeOutput(out: unknown): string {
  if (Array.isArray(out)) return `an array of ${out.length} values (pick one output: wrap the model in a function)`;
  if (typeof out === "object" && out !== null) return `a ${out.constructor?.name ?? "object"}`;
  return String(out);
}

/** @internal Check a user-given input shape: positive integers. */
export function checkInputShape(argument: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length === 0) {
    throw new InvalidArgumentError(argument, "the shape of one input example, e.g. [784] or [28, 28, 1]", shape);
  }
  return shape.map((s, i) => checkInteger(`${argument}[${i}]`, s, 1));
}
