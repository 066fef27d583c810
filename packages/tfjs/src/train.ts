import * as tf from "@tensorflow/tfjs-core";
import {
  DimensionMismatchError,
  InvalidArgumentError,
  checkInteger,
  described,
  firstNonFinite,
  throwIfAborted,
} from "@smoothhess/errors";
import { deriveSeed, seededPermutation } from "@smoothhess/random";
import type { ActivationSpec } from "./activation-ops.js";
import { RELU, checkActivation } from "./activation-ops.js";
import type { LearningRateSchedule } from "./learning-rate-schedule.js";
import { checkSchedule, learningRateAt } from "./learning-rate-schedule.js";
import { ModelFileError } from "./model-file-error.js";
import type { Network } from "./network.js";
import { networkTensors } from "./network-io.js";
import type { OptimizerSpec } from "./optimizer.js";
import { OptimizerState, checkOptimizer } from "./optimizer.js";
import "./register-gradients.js";
import { hasTensorDirectory, readTensorDirectory, writeTensorDirectory } from "./tensor-directory.js";
import { WASM_CONV_TRAINING_BACKEND, useWasmConvTraining, type UnsupportedConvolutionError } from "./wasm-conv-training.js";
import { requireBackend } from "./backend.js";

/** A training set: `n` inputs (`n × inputSize`, row-major) and their targets. */
export interface TrainingData {
  /** Inputs, `n × network.inputSize`. */
  readonly x: Float32Array;
  /** Regression targets `n × outputSize` (loss `mse`), or class labels `0..outputSize−1`, length `n` (`cross-entropy`). */
  readonly y: Float32Array | Int32Array;
  /** Number of examples. */
  readonly n: number;
}

/** Progress reported after every epoch. */
export interface EpochReport {
  /** 1-based epoch just finished. */
  readonly epoch: number;
  /** Total epochs of this run. */
  readonly epochs: number;
  /** Optimisation steps done so far (all epochs). */
  readonly step: number;
  /** Mean training loss over the epoch's batches. */
  readonly loss: number;
  /** Learning rate of the epoch's last step. */
  readonly learningRate: number;
}

/** Options of {@link trainNetwork}. */
export interface TrainOptions {
  /** `mse` (regression, mean over all outputs) or `cross-entropy` (SoftMax over the logits). */
  readonly loss: "mse" | "cross-entropy";
  /** Number of epochs (passes over the data). */
  readonly epochs: number;
  /** Examples per step; the last batch of an epoch may be smaller. */
  readonly batchSize: number;
  /** Seed of the data order (a fresh permutation per epoch) and of the dropout masks. */
  readonly seed: number;
  /** SGD or RMSProp, PyTorch semantics. */
  readonly optimizer: OptimizerSpec;
  /** Learning-rate schedule over steps. Default constant. */
  readonly schedule?: LearningRateSchedule;
  /** Activation used while training. Default ReLU. */
  readonly activation?: ActivationSpec;
  /**
   * Directory for a checkpoint written (atomically) after every epoch: weights, batch-norm statistics, optimizer
   * state and the epoch count. When it already holds a checkpoint, training **resumes** from it — an interrupted
   * run continues where it stopped and ends with the same weights as an uninterrupted one. The checkpoint's
   * checksums are verified before it is used (a corrupted one throws `ModelFileError`, never resumes), and
   * several trainings may share the directory: its writers take turns under its lock, so none fails.
   */
  readonly checkpointDir?: string;
  /** Called after every epoch (after the checkpoint is written). */
  readonly onEpoch?: (report: EpochReport) => void | Promise<void>;
  /** Stops training between steps; throws `AbortedError` with the number of epochs completed. */
  readonly signal?: AbortSignal;
}

/** What {@link trainNetwork} returns. */
export interface TrainResult {
  /** Mean training loss of each epoch run by this call. */
  readonly losses: readonly number[];
  /** Epochs that were already done in the checkpoint this call resumed from (0 for a fresh start). */
  readonly resumedFromEpoch: number;
  /** Total optimisation steps (including resumed ones). */
  readonly steps: number;
}

/**
 * Train `network` in place with seeded, deterministic mini-batch optimisation (same seed, same data, same backend →
 * the same weights). Batch norm runs in training mode (batch statistics; running statistics updated with momentum
 * 0.1) and dropout is applied; everything else about the model is unchanged.
 *
 * On the wasm backend a convolutional network trains on {@link WASM_CONV_TRAINING_BACKEND} (the same wasm instance plus
 * the convolution-gradient kernels tfjs-backend-wasm lacks; stride 1 only), and `"wasm"` is active again afterwards.
 *
 * @throws {@link InvalidArgumentError} / {@link DimensionMismatchError} for bad options or data;
 *   {@link UnsupportedConvolutionError} for a strided convolution on wasm;
 *   {@link ModelFileError} when a checkpoint belongs to another architecture or does not match its checksums
 *   (corrupted); `AbortedError` when `signal` fires.
 *
 * @example
 * ```ts
 * await trainNetwork(net, { x, y, n }, {
 *   loss: "mse", epochs: 100, batchSize: 128, seed: 1,
 *   optimizer: { kind: "rmsprop", learningRate: 1e-3 },
 *   schedule: { kind: "step", milestones: [5000, 10000, 20000], factor: 0.1 },
 *   checkpointDir: "runs/four-quadrant",
 * });
 * ```
 */
export async function trainNetwork(network: Network, data: TrainingData, options: TrainOptions): Promise<TrainResult> {
  requireBackend("trainNetwork");
  const loss = options?.loss;
  if (loss !== "mse" && loss !== "cross-entropy") throw new InvalidArgumentError("options.loss", '"mse" or "cross-entropy"', loss);
  const epochs = checkInteger("options.epochs", options.epochs, 1);
  const batchSize = checkInteger("options.batchSize", options.batchSize, 1);
  const seed = checkInteger("options.seed", options.seed);
  const optimizer = checkOptimizer("options.optimizer", options.optimizer);
  const schedule = checkSchedule("options.schedule", options.schedule ?? { kind: "constant" });
  const activation = checkActivation("options.activation", options.activation ?? RELU);
  const n = checkData(network, data, loss);
  if (network.architecture !== "mlp" && tf.getBackend() === "wasm") {
    // tfjs-backend-wasm has no Conv2DBackpropFilter kernel: train on the backend that adds it, then return to wasm.
    await useWasmConvTraining();
    try {
      return await trainNetwork(network, data, options);
    } finally {
      await tf.setBackend("wasm");
    }
  }

  // Resume from a checkpoint when there is one.
  let startEpoch = 0;
  let step = 0;
  let given: Map<string, tf.Tensor> | undefined;
  if (options.checkpointDir && (await hasTensorDirectory(options.checkpointDir))) {
    const { json, tensors } = await readTensorDirectory(options.checkpointDir);
    given = tensors;
    const topology = json.modelTopology as { architecture: string; config: unknown };
    if (topology.architecture !== network.architecture || JSON.stringify(topology.config) !== JSON.stringify(network.config)) {
      for (const t of tensors.values()) t.dispose();
      throw new ModelFileError(options.checkpointDir, `holds a checkpoint of another network (${topology.architecture})`);
    }
    for (const [name, v] of networkTensors(network)) {
      const t = tensors.get(name);
      if (!t) throw new ModelFileError(options.checkpointDir, `checkpoint lacks weight ${name}`);
      (v as tf.Variable).assign(t);
    }
    const meta = json.userDefinedMetadata as { epoch: number; step: number };
    startEpoch = meta.epoch;
    step = meta.step;
  }
  const state = new OptimizerState(optimizer, network.weights, given);
  if (given) for (const t of given.values()) t.dispose();

  const losses: number[] = [];
  const inputSize = network.inputSize;
  const yWidth = loss === "mse" ? network.outputSize : 1;
  try {
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const order = seededPermutation(n, deriveSeed(seed, epoch));
      let sum = 0;
      let batches = 0;
      let lr = optimizer.learningRate;
      for (let start = 0; start < n; start += batchSize) {
        throwIfAborted(options.signal, "trainNetwork", epoch);
        const rows = Math.min(batchSize, n - start);
        const xb = new Float32Array(rows * inputSize);
        const yb = loss === "mse" ? new Float32Array(rows * yWidth) : new Int32Array(rows);
        for (let r = 0; r < rows; r++) {
          const i = order[start + r];
          xb.set(data.x.subarray(i * inputSize, (i + 1) * inputSize), r * inputSize);
          yb.set(data.y.subarray(i * yWidth, (i + 1) * yWidth), r * yWidth);
        }
        lr = learningRateAt(optimizer.learningRate, schedule, step);
        sum += trainStep(network, state, xb, yb, rows, loss, activation, lr, deriveSeed(seed, 1_000_003, step));
        batches++;
        step++;
      }
      const meanLoss = sum / batches;
      losses.push(meanLoss);
      if (options.checkpointDir) {
        const tensors = new Map<string, tf.Tensor>([...networkTensors(network), ...state.slots]);
        await writeTensorDirectory(
          options.checkpointDir,
          tensors,
          { architecture: network.architecture, config: network.config },
          { epoch: epoch + 1, step, loss: meanLoss, seed },
        );
      }
      await options.onEpoch?.({ epoch: epoch + 1, epochs, step, loss: meanLoss, learningRate: lr });
      throwIfAborted(options.signal, "trainNetwork", epoch + 1);
    }
  } finally {
    state.dispose();
  }
  return { losses, resumedFromEpoch: startEpoch, steps: step };
}

function trainStep(
  network: Network,
  state: OptimizerState,
  xb: Float32Array,
  yb: Float32Array | Int32Array,
  rows: number,
  loss: "mse" | "cross-entropy",
  activation: ActivationSpec,
  lr: number,
  dropoutSeed: number,
): number {
  let updates: ReadonlyArray<readonly [string, tf.Tensor]> = [];
  const weights = [...network.weights.values()];
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor2d(xb, [rows, network.inputSize]);
    const result = network.forward(x, { activation, training: true, dropoutSeed });
    updates = result.stateUpdates.map(([name, t]) => [name, tf.keep(t)] as const);
    if (loss === "mse") {
      const y = tf.tensor2d(yb as Float32Array, [rows, network.outputSize]);
      return tf.mean(tf.squaredDifference(result.output, y)) as tf.Scalar;
    }
    const onehot = tf.oneHot(tf.tensor1d(yb as Int32Array, "int32"), network.outputSize);
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(result.output)), 1))) as tf.Scalar;
  }, weights);
  state.apply(network.weights, grads, lr);
  for (const [name, t] of updates) {
    network.buffers.get(name)?.assign(t);
    t.dispose();
  }
  const lossValue = value.dataSync()[0];
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
  return lossValue;
}

function checkData(network: Network, data: TrainingData, loss: "mse" | "cross-entropy"): number {
  const n = checkInteger("data.n", data?.n, 1);
  if (!(data.x instanceof Float32Array)) throw new InvalidArgumentError("data.x", "a Float32Array (n × inputSize)", data.x);
  if (data.x.length !== n * network.inputSize) {
    throw new DimensionMismatchError("data.x", `length n × inputSize = ${n * network.inputSize}`, described(`length ${data.x.length}`));
  }
  const bad = firstNonFinite(data.x);
  if (bad >= 0) throw new InvalidArgumentError("data.x", "finite numbers", described(`${data.x[bad]} at index ${bad}`));
  if (loss === "mse") {
    if (!(data.y instanceof Float32Array)) throw new InvalidArgumentError("data.y", "a Float32Array of regression targets (n × outputSize)", data.y);
    if (data.y.length !== n * network.outputSize) {
      throw new DimensionMismatchError("data.y", `length n × outputSize = ${n * network.outputSize}`, described(`length ${data.y.length}`));
    }
  } else {
    if (!(data.y instanceof Int32Array)) throw new InvalidArgumentError("data.y", "an Int32Array of class labels (length n)", data.y);
    if (data.y.length !== n) throw new DimensionMismatchError("data.y", `length n = ${n}`, described(`length ${data.y.length}`));
    for (let i = 0; i < n; i++) {
      if (data.y[i] < 0 || data.y[i] >= network.outputSize) {
        throw new InvalidArgumentError("data.y", `labels in [0, ${network.outputSize - 1}]`, described(`${data.y[i]} at index ${i}`));
      }
    }
  }
  return n;
}
