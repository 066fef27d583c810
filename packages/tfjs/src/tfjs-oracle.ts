import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, SmoothHessError, checkInteger } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { ActivationSpec } from "./activation-ops.js";
import { RELU, checkActivation } from "./activation-ops.js";
import { isNode } from "./backend.js";
import type { FastGradientProgram } from "./fast-convnet.js";
import { cnn1dFastGradient, resnetFastGradient } from "./fast-convnet.js";
import type { FastDenseLayer, FastTarget } from "./fast-mlp-kernel.js";
import { fastMlpKernel } from "./fast-mlp-kernel.js";
import { mlpLayers } from "./mlp.js";
import { MlpWorkerPool } from "./mlp-worker-pool.js";
import type { HostDenseLayer } from "./mlp-worker-pool.js";
import type { Network } from "./network.js";
import { toFloat32Batch } from "./point-batch.js";
import "./register-gradients.js";
import type { ResolvedTfjsTarget, TfjsTarget } from "./target.js";
import { resolveTfjsTarget, targetValues } from "./target.js";

/** How an oracle computes gradients. */
export type GradientEngine = "autograd" | "fast";

/** Options of {@link tfjsOracle}. */
export interface TfjsOracleOptions {
  /** Activation the network is evaluated with. Default ReLU. */
  readonly activation?: ActivationSpec;
  /**
   * `"fast"` (default): a hand-written backward pass that uses only the wasm backend's fast kernels —
   * transpose-free matMuls with pre-transposed weights for MLPs, forward convolutions with flipped filters for
   * the convolutional networks (see README for measured speed-ups).
   * `"autograd"`: `tf.grad` through the network's forward pass (the reference; also the choice for a network
   * whose forward pass you changed).
   */
  readonly engine?: GradientEngine;
  /**
   * Fast MLP path only, Node only: worker threads, each with its own backend and copy of the weights, that split
   * large batches. `"auto"` (default) uses `os.availableParallelism()` workers when that is ≥ 2; `0` computes
   * in the calling thread. Workers are started on the first large batch and stopped by `dispose()`.
   */
  readonly workers?: number | "auto";
  /** Batches smaller than this are computed in the calling thread even when workers are enabled. Default 256. */
  readonly parallelThreshold?: number;
  /** Backend of the worker threads. Default: the current backend when it is `wasm` or `cpu`, else `wasm`. */
  readonly workerBackend?: "wasm" | "cpu";
  /** Largest batch computed at once (bigger requests are split). Default 1024 for MLPs, 64 otherwise. */
  readonly maxBatchSize?: number;
}

/** The oracle was used after `dispose()`. */
export class OracleDisposedError extends SmoothHessError {
  constructor() {
    super("oracle-disposed", "this oracle was disposed; create a new one");
  }
}

/**
 * A {@link GradientOracle} over a tfjs {@link Network}: `evaluate(points, n)` returns the target's values
 * (float64 copies of float32 results) and input gradients (`Float32Array`, `n × inputSize`).
 *
 * Create with {@link tfjsOracle}. Each call runs inside `tf.tidy`, so it leaves no tensors behind; `dispose()`
 * frees the fast path's weight copies and stops its worker threads.
 */
export class TfjsOracle implements GradientOracle {
  /** Input dimension: `network.inputSize`. */
  readonly dim: number;
  /** Largest batch computed at once. */
  readonly maxBatchSize: number;
  /** The resolved target (a "predicted" class is a fixed index here). */
  readonly target: ResolvedTfjsTarget;
  /** The engine in use. */
  readonly engine: GradientEngine;
  /** The activation the network is evaluated with. */
  readonly activation: ActivationSpec;

  private readonly network: Network;
  private readonly fastLayers?: FastDenseLayer[];
  private readonly convProgram?: FastGradientProgram;
  private readonly workerCount: number;
  private readonly parallelThreshold: number;
  private readonly workerBackend?: "wasm" | "cpu";
  private pool?: Promise<MlpWorkerPool>;
  private disposed = false;

  /** @internal Use {@link tfjsOracle}. */
  constructor(network: Network, target: TfjsTarget, options: TfjsOracleOptions = {}) {
    this.network = network;
    this.dim = network.inputSize;
    this.activation = checkActivation("options.activation", options.activation ?? RELU);
    this.target = resolveTfjsTarget(network, target, this.activation);
    const isMlp = network.architecture === "mlp";
    const engine = options.engine ?? "fast";
    if (engine !== "fast" && engine !== "autograd") {
      throw new InvalidArgumentError("options.engine", '"fast" or "autograd"', engine);
    }
    this.engine = engine;
    this.maxBatchSize = checkInteger("options.maxBatchSize", options.maxBatchSize ?? (isMlp ? 1024 : 64), 1);
    this.parallelThreshold = checkInteger("options.parallelThreshold", options.parallelThreshold ?? 256, 1);
    const workers = options.workers ?? "auto";
    if (workers === "auto") this.workerCount = engine === "fast" && isMlp ? autoWorkerCount() : 0;
    else this.workerCount = checkInteger("options.workers", workers, 0, 64);
    if (this.workerCount > 0 && !isNode()) this.workerCount = 0;
    if (this.target.kind === "fn" || !isMlp) this.workerCount = 0; // a user function cannot be sent to a thread
    if (options.workerBackend !== undefined && options.workerBackend !== "wasm" && options.workerBackend !== "cpu") {
      throw new InvalidArgumentError("options.workerBackend", '"wasm" or "cpu"', options.workerBackend);
    }
    this.workerBackend = options.workerBackend;
    if (engine === "fast" && network.architecture === "resnet18") this.convProgram = resnetFastGradient(network);
    if (engine === "fast" && network.architecture === "cnn1d") this.convProgram = cnn1dFastGradient(network);
    if (engine === "fast" && isMlp) {
      // Snapshot of the weights (with transposes): later changes to the network do not reach this oracle.
      this.fastLayers = mlpLayers(network).map((l) => ({
        kernel: tf.keep(tf.clone(l.kernel)) as tf.Tensor2D,
        kernelT: tf.keep(tf.transpose(l.kernel)) as tf.Tensor2D,
        bias: tf.keep(tf.clone(l.bias)) as tf.Tensor1D,
      }));
    }
  }

  /** Values and input gradients of the target at `n` points (`n × dim`, row-major). */
  async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
    if (this.disposed) throw new OracleDisposedError();
    const x = toFloat32Batch(points, n, this.dim);
    const values = new Float64Array(n);
    const gradients = new Float32Array(n * this.dim);
    for (let start = 0; start < n; start += this.maxBatchSize) {
      const rows = Math.min(this.maxBatchSize, n - start);
      const chunk = x.subarray(start * this.dim, (start + rows) * this.dim);
      const r = await this.evaluateChunk(chunk, rows);
      values.set(r.values, start);
      gradients.set(r.gradients, start * this.dim);
    }
    return { values, gradients };
  }

  /** Free the fast path's weight copies and stop worker threads. Further `evaluate` calls throw. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.convProgram?.dispose();
    for (const l of this.fastLayers ?? []) {
      l.kernel.dispose();
      l.kernelT.dispose();
      l.bias.dispose();
    }
    if (this.pool) await (await this.pool.catch(() => undefined))?.dispose();
  }

  private async evaluateChunk(x: Float32Array, n: number): Promise<{ values: ArrayLike<number>; gradients: Float32Array }> {
    if (this.engine === "fast" && this.workerCount > 0 && n >= this.parallelThreshold) {
      return (await this.workerPool()).evaluate(x, n, this.dim);
    }
    if (this.convProgram) return this.fastConvnet(this.convProgram, x, n);
    return this.engine === "fast" ? this.fastInProcess(x, n) : this.autograd(x, n);
  }

  private fastConvnet(program: FastGradientProgram, x: Float32Array, n: number): { values: Float32Array; gradients: Float32Array } {
    const [v, g] = tf.tidy(() => program.run(tf.tensor2d(x, [n, this.dim]), this.target, this.activation));
    try {
      if (v.size !== n) throw new InvalidArgumentError("target.fn(output)", `${n} values (one per row)`, v);
      return { values: v.dataSync() as Float32Array, gradients: g.dataSync() as Float32Array };
    } finally {
      v.dispose();
      g.dispose();
    }
  }

  private autograd(x: Float32Array, n: number): { values: Float32Array; gradients: Float32Array } {
    let kept: tf.Tensor | undefined;
    const grads = tf.tidy(() => {
      const input = tf.tensor2d(x, [n, this.dim]);
      return tf.grad((xi: tf.Tensor) => {
        const v = targetValues(this.network, this.target, xi as tf.Tensor2D, this.activation);
        kept = tf.keep(v);
        return tf.sum(v);
      })(input);
    });
    try {
      return { values: (kept as tf.Tensor).dataSync() as Float32Array, gradients: grads.dataSync() as Float32Array };
    } finally {
      kept?.dispose();
      grads.dispose();
    }
  }

  private fastInProcess(x: Float32Array, n: number): { values: Float32Array; gradients: Float32Array } {
    const target = this.target;
    let fastTarget: FastTarget;
    let head: ((z: tf.Tensor2D) => [tf.Tensor1D, tf.Tensor2D]) | undefined;
    if (target.kind === "fn") {
      fastTarget = { kind: "head" };
      head = (z) => {
        let v: tf.Tensor1D | undefined;
        const dz = tf.grad((zz: tf.Tensor) => {
          const out = target.fn(zz as tf.Tensor2D);
          if (out.size !== n) {
            throw new InvalidArgumentError("target.fn(output)", `${n} values (one per row)`, out);
          }
          v = tf.keep(tf.reshape(out, [n])) as tf.Tensor1D;
          return tf.sum(out);
        })(z) as tf.Tensor2D;
        return [v as tf.Tensor1D, dz];
      };
    } else {
      fastTarget = target;
    }
    const [v, g] = tf.tidy(() =>
      fastMlpKernel(tf, this.fastLayers as FastDenseLayer[], this.activation, fastTarget, tf.tensor2d(x, [n, this.dim]), head),
    );
    try {
      return { values: v.dataSync() as Float32Array, gradients: g.dataSync() as Float32Array };
    } finally {
      v.dispose();
      g.dispose();
    }
  }

  private workerPool(): Promise<MlpWorkerPool> {
    if (!this.pool) {
      const layers: HostDenseLayer[] = (this.fastLayers as FastDenseLayer[]).map((l) => ({
        inputs: l.kernel.shape[0],
        outputs: l.kernel.shape[1],
        kernel: l.kernel.dataSync() as Float32Array,
        kernelT: l.kernelT.dataSync() as Float32Array,
        bias: l.bias.dataSync() as Float32Array,
      }));
      const current = tf.getBackend();
      const backend = this.workerBackend ?? (current === "cpu" ? "cpu" : "wasm");
      this.pool = MlpWorkerPool.create(this.workerCount, layers, this.activation, this.target as FastTarget, backend);
    }
    return this.pool;
  }
}

function autoWorkerCount(): number {
  if (!isNode()) return 0;
  const os = (globalThis as { process?: { getBuiltinModule?: (m: string) => { availableParallelism?: () => number } } })
    .process?.getBuiltinModule?.("node:os");
  const cores = os?.availableParallelism?.() ?? 1;
  return cores >= 2 ? cores : 0;
}

/**
 * A gradient oracle for one scalar function of a tfjs network: a class logit (given, or predicted at `x0`), the
 * SoftMax probability of a class, a hidden unit's pre-activation, or any function of the output.
 *
 * @throws {@link InvalidArgumentError} for a class index, layer or unit out of range (the message names
 *   `target.output`, `target.layer`, …), or an unknown engine.
 *
 * @example
 * ```ts
 * const net = paperMnistMlp(0);
 * const oracle = tfjsOracle(net, { output: "predicted", at: x0 });
 * const { values, gradients } = await oracle.evaluate(points, 1024);
 * await oracle.dispose();
 * ```
 */
export function tfjsOracle(network: Network, target: TfjsTarget, options: TfjsOracleOptions = {}): TfjsOracle {
  return new TfjsOracle(network, target, options);
}
