import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, DisposedError, InvalidArgumentError, checkInteger, described } from "@smoothhess/errors";
import type { GradientBatch, GradientOracle, PointBatch } from "@smoothhess/oracle";
import type { ActivationSpec } from "./activation-ops.js";
import { RELU, checkActivation } from "./activation-ops.js";
import { isNode } from "./backend.js";
import { convnetKernelParams, mlpKernelParams } from "./kernel-params.js";
import { convnetKernel } from "./fast-convnet-kernel.js";
import { fastMlpKernel } from "./fast-mlp-kernel.js";
import type { KernelHead, KernelTarget } from "./kernel-target.js";
import { KernelWorkerPool } from "./kernel-worker-pool.js";
import type { HostTensor, KernelName } from "./kernel-worker-protocol.js";
import type { Network } from "./network.js";
import { toFloat32Batch } from "./point-batch.js";
import "./register-gradients.js";
import type { ResolvedTfjsTarget, TfjsTarget } from "./target.js";
import { resolveTfjsTarget, targetValues } from "./target.js";
import { requireBackend } from "./backend.js";

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
   * Fast engine, Node only: worker threads, each with its own backend and copy of the weights, that split large
   * batches by rows. `"auto"` (default) uses `os.availableParallelism()` workers when that is ≥ 2; `0` computes
   * in the calling thread. Workers start on the first large batch and stop with `dispose()`. Targets with a
   * user function always run in the calling thread.
   */
  readonly workers?: number | "auto";
  /** Batches with fewer rows stay in the calling thread. Default 256 for MLPs, 8 for convolutional networks. */
  readonly parallelThreshold?: number;
  /** Backend of the worker threads. Default: `cpu` when the current backend is `cpu`, else `wasm`. */
  readonly workerBackend?: "wasm" | "cpu";
  /** Largest batch computed at once (bigger requests are split). Default 1024 for MLPs, 64 otherwise. */
  readonly maxBatchSize?: number;
}

/**
 * The oracle was used after `dispose()`: the same class as {@link DisposedError} of `@smoothhess/errors` (code
 * `"disposed"`), under its former name.
 * @deprecated Catch `DisposedError` from `@smoothhess/errors`, which every backend throws.
 */
export const OracleDisposedError = DisposedError;
/** @deprecated Use `DisposedError` from `@smoothhess/errors`. */
export type OracleDisposedError = DisposedError;

type Kernel = (
  spec: never,
  params: Readonly<Record<string, tf.Tensor>>,
  activation: ActivationSpec,
  target: KernelTarget,
  x: tf.Tensor2D,
  head?: KernelHead,
) => [tf.Tensor1D, tf.Tensor2D];

/**
 * A {@link GradientOracle} over a tfjs {@link Network}: `evaluate(points, n)` returns the target's values
 * (float64 copies of float32 results) and input gradients (`Float32Array`, `n × inputSize`).
 *
 * Create with {@link tfjsOracle}. Each call runs inside `tf.tidy`, so it leaves no tensors behind; `dispose()`
 * frees the fast path's weight snapshot and stops its worker threads.
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
  private readonly kernel?: Kernel;
  private readonly kernelName?: KernelName;
  private readonly kernelSpec?: unknown;
  private readonly kernelParams?: Record<string, tf.Tensor>;
  private readonly workerCount: number;
  private readonly parallelThreshold: number;
  private readonly workerBackend?: "wasm" | "cpu";
  private pool?: Promise<KernelWorkerPool>;
  private disposed = false;

  /** @internal Use {@link tfjsOracle}. */
  constructor(network: Network, target: TfjsTarget, options: TfjsOracleOptions = {}) {
    this.network = network;
    this.dim = network.inputSize;
    this.activation = checkActivation("options.activation", options.activation ?? RELU);
    this.target = resolveTfjsTarget(network, target);
    const isMlp = network.architecture === "mlp";
    const engine = options.engine ?? "fast";
    if (engine !== "fast" && engine !== "autograd") {
      throw new InvalidArgumentError("options.engine", '"fast" or "autograd"', engine);
    }
    this.engine = engine;
    this.maxBatchSize = checkInteger("options.maxBatchSize", options.maxBatchSize ?? (isMlp ? 1024 : 64), 1);
    this.parallelThreshold = checkInteger("options.parallelThreshold", options.parallelThreshold ?? (isMlp ? 256 : 8), 1);
    const workers = options.workers ?? "auto";
    if (workers === "auto") this.workerCount = engine === "fast" ? autoWorkerCount() : 0;
    else this.workerCount = checkInteger("options.workers", workers, 0, 64);
    if (engine !== "fast" || !isNode() || this.target.kind === "fn") this.workerCount = 0; // a function cannot be sent to a thread
    if (options.workerBackend !== undefined && options.workerBackend !== "wasm" && options.workerBackend !== "cpu") {
      throw new InvalidArgumentError("options.workerBackend", '"wasm" or "cpu"', options.workerBackend);
    }
    this.workerBackend = options.workerBackend;
    if (engine === "fast") {
      // Snapshot of the weights in kernel form: later changes to the network do not reach this oracle.
      const { spec, params } = isMlp ? mlpKernelParams(network) : convnetKernelParams(network);
      this.kernel = (isMlp ? fastMlpKernel : convnetKernel) as Kernel;
      this.kernelName = isMlp ? "mlp" : "convnet";
      this.kernelSpec = spec;
      this.kernelParams = params;
    }
  }

  /** Values and input gradients of the target at `n` points (`n × dim`, row-major). */
  async evaluate(points: PointBatch, n: number): Promise<GradientBatch> {
    if (this.disposed) throw new DisposedError("this tfjs oracle", "create a new one with tfjsOracle()");
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

  /**
   * Free the fast path's weight snapshot and stop worker threads. Further `evaluate` calls throw
   * `DisposedError` (code `"disposed"`); disposing twice does nothing.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of Object.values(this.kernelParams ?? {})) t.dispose();
    if (this.pool) await (await this.pool.catch(() => undefined))?.dispose();
  }

  private async evaluateChunk(x: Float32Array, n: number): Promise<{ values: ArrayLike<number>; gradients: Float32Array }> {
    if (this.engine === "fast" && this.workerCount > 0 && n >= this.parallelThreshold) {
      return (await this.workerPool()).evaluate(x, n, this.dim);
    }
    return this.engine === "fast" ? this.fastInProcess(x, n) : this.autograd(x, n);
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

  private kernelTarget(): KernelTarget {
    return this.target.kind === "fn" ? { kind: "head" } : (this.target as KernelTarget);
  }

  private fastInProcess(x: Float32Array, n: number): { values: Float32Array; gradients: Float32Array } {
    const target = this.target;
    let head: KernelHead | undefined;
    if (target.kind === "fn") {
      head = (z) => {
        let v: tf.Tensor1D | undefined;
        const dz = tf.grad((zz: tf.Tensor) => {
          const out = target.fn(zz as tf.Tensor2D);
          if (out.size !== n) throw new DimensionMismatchError("target.fn(output)", `${n} values (one per row)`, described(`shape [${out.shape}]`));
          v = tf.keep(tf.reshape(out, [n])) as tf.Tensor1D;
          return tf.sum(out);
        })(z) as tf.Tensor2D;
        return [v as tf.Tensor1D, dz];
      };
    }
    const kernel = this.kernel as Kernel;
    const [v, g] = tf.tidy(() =>
      kernel(this.kernelSpec as never, this.kernelParams as Record<string, tf.Tensor>, this.activation, this.kernelTarget(), tf.tensor2d(x, [n, this.dim]), head),
    );
    try {
      return { values: v.dataSync() as Float32Array, gradients: g.dataSync() as Float32Array };
    } finally {
      v.dispose();
      g.dispose();
    }
  }

  private workerPool(): Promise<KernelWorkerPool> {
    if (!this.pool) {
      const host: Record<string, HostTensor> = {};
      for (const [name, t] of Object.entries(this.kernelParams as Record<string, tf.Tensor>)) {
        host[name] = { data: t.dataSync() as Float32Array, shape: t.shape };
      }
      const backend = this.workerBackend ?? (tf.getBackend() === "cpu" ? "cpu" : "wasm");
      this.pool = KernelWorkerPool.create(
        this.workerCount,
        this.kernelName as KernelName,
        this.kernelSpec,
        host,
        this.activation,
        this.kernelTarget(),
        backend,
      );
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
 * SoftMax probability of a class, the cross-entropy loss `−log softmax(f(x))_y` of a label (`{ crossEntropy: y }`,
 * computed stably; the oracle CASO/CAFO and `smoothCaso` need), a hidden unit's pre-activation, or any function of
 * the output.
 *
 * @throws {@link InvalidArgumentError} for a class index, label, layer or unit out of range (the message names
 *   `target.output`, `target.crossEntropy`, `target.layer`, …), or an unknown engine.
 *
 * @example
 * ```ts
 * const net = paperMnistMlp(0);
 * const oracle = tfjsOracle(net, { output: "predicted", at: x0 });
 * const { values, gradients } = await oracle.evaluate(points, 1024);
 * await oracle.dispose();
 * const loss = tfjsOracle(net, { crossEntropy: label });   // −log p_label and its input gradient
 * ```
 */
export function tfjsOracle(network: Network, target: TfjsTarget, options: TfjsOracleOptions = {}): TfjsOracle {
  requireBackend("tfjsOracle");
  return new TfjsOracle(network, target, options);
}
