import type * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { type DenseKernel, mlpFromDenseKernels } from "./dense-stack.js";
import { ModelOracle, type ModelOracleOptions, checkInputShape, functionNetwork } from "./model-oracle.js";
import type { TfjsTarget } from "./target.js";
import { UnsupportedModelError } from "./unsupported-model-error.js";
import { requireBackend } from "./backend.js";

/**
 * The parts of a `tf.LayersModel` (`@tensorflow/tfjs-layers`: `tf.sequential`, `tf.model`, `tf.loadLayersModel`)
 * that {@link fromLayersModel} reads. Declared structurally so that this package needs no tfjs-layers import.
 */
export interface LayersModelLike {
  readonly layers: readonly LayerLike[];
  readonly inputs: readonly { readonly shape: readonly (number | null)[] }[];
  readonly outputs: readonly unknown[];
  apply(inputs: tf.Tensor, kwargs?: { training?: boolean }): unknown;
}

/** The parts of a tfjs-layers `Layer` that {@link fromLayersModel} reads. */
export interface LayerLike {
  readonly name: string;
  getClassName(): string;
  getConfig(): object;
  getWeights(): tf.Tensor[];
  readonly inboundNodes: readonly { readonly inboundLayers: readonly unknown[] }[];
}

/** Layers that are the identity at inference. */
const INFERENCE_IDENTITY = new Set(["InputLayer", "Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D"]);

/**
 * The Dense layers of a plain Dense/ReLU stack — a chain of `Dense` layers with ReLU between them (as the Dense
 * layer's `activation: "relu"`, a `ReLU` layer or an `Activation("relu")` layer) and none after the last, optionally
 * after a `Flatten` at the input, with dropout-type layers (the identity at inference) anywhere — or the reason it
 * is not one.
 */
export function denseReluStack(model: LayersModelLike): { layers: DenseKernel[] } | { reason: string } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return { reason: "it has more than one input or output" };
  const dense: DenseKernel[] = [];
  let pendingRelu = false; // a Dense layer waits for its ReLU (or is the last)
  let previous: unknown;
  const inputRank = model.inputs[0].shape.length - 1;
  let flat = inputRank === 1;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (previous !== undefined) {
      const inbound = layer.inboundNodes;
      if (inbound.length !== 1 || inbound[0].inboundLayers.length !== 1 || inbound[0].inboundLayers[0] !== previous) {
        return { reason: `layer "${layer.name}" is not fed by the layer before it alone (not a plain chain)` };
      }
    }
    previous = layer;
    if (INFERENCE_IDENTITY.has(className)) continue;
    const config = layer.getConfig() as Record<string, unknown>;
    if (className === "Flatten" && dense.length === 0) {
      flat = true;
      continue;
    }
    if (className === "Dense") {
      if (!flat) return { reason: `Dense layer "${layer.name}" acts on the last axis of a rank-${inputRank} input (no Flatten before it)` };
      if (pendingRelu) return { reason: `Dense layer "${layer.name}" follows a Dense layer without a ReLU between them` };
      const activation = config.activation;
      if (activation !== "linear" && activation !== "relu") {
        return { reason: `Dense layer "${layer.name}" has activation "${String(activation)}" (only "relu" and "linear" convert)` };
      }
      const [kernel, bias] = layer.getWeights();
      dense.push({ kernel, bias });
      pendingRelu = activation === "linear";
      continue;
    }
    if (isRelu(className, config) && pendingRelu) {
      pendingRelu = false;
      continue;
    }
    return { reason: `layer "${layer.name}" (${className}) is not Dense, ReLU, Flatten or dropout` };
  }
  if (dense.length === 0) return { reason: "it has no Dense layer" };
  if (!pendingRelu) return { reason: "its last Dense layer is followed by a ReLU (the output must be the last affine layer)" };
  return { layers: dense };
}

function isRelu(className: string, config: Record<string, unknown>): boolean {
  if (className === "Activation") return config.activation === "relu";
  if (className !== "ReLU") return false;
  const none = (v: unknown) => v === undefined || v === null;
  return none(config.maxValue) && (none(config.negativeSlope) || config.negativeSlope === 0) && (none(config.threshold) || config.threshold === 0);
}

/**
 * A gradient oracle for one scalar target of a `tf.LayersModel` (`tf.sequential`, `tf.model`, or loaded with
 * `tf.loadLayersModel`): a class logit (given, or predicted at `x0`), a SoftMax probability, the cross-entropy loss
 * of a label, or any function of the output — the targets of `tfjsOracle`.
 *
 * A plain Dense/ReLU stack (see {@link denseReluStack}) is converted to this package's MLP and runs the fast
 * hand-written backward pass (`engine: "fast"`, much faster than autograd on wasm; its hidden layers can then be
 * targets too, `{ layer, unit }`); any other model runs `tf.grad` through `model.apply` in inference mode. Inputs
 * are flattened row-major over the model's input shape (e.g. `[28, 28, 1]` → 784).
 *
 * @throws {@link InvalidArgumentError} for something that is not a LayersModel or a bad target;
 *   {@link UnsupportedModelError} for `engine: "fast"` on a model that does not convert (the reason names the
 *   layer), a model with an unknown input size, or a hidden-layer target on an autograd model;
 *   `DimensionMismatchError` for Dense weights whose shapes do not chain.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fromLayersModel } from "@smoothhess/tfjs";
 * const model = await tf.loadLayersModel("file://model/model.json");
 * const oracle = fromLayersModel(model, { output: "predicted", at: x0 });
 * const { values, gradients } = await oracle.evaluate(points, n);
 * await oracle.dispose();
 * ```
 */
export function fromLayersModel(model: LayersModelLike, target: TfjsTarget, options: ModelOracleOptions = {}): ModelOracle {
  requireBackend("fromLayersModel");
  if (!model || typeof model !== "object" || !Array.isArray(model.layers) || typeof model.apply !== "function" || !Array.isArray(model.inputs)) {
    throw new InvalidArgumentError("model", "a tf.LayersModel (tf.sequential, tf.model or tf.loadLayersModel)", model);
  }
  const engine = checkEngine(options.engine);
  const shape = model.inputs[0]?.shape ?? [];
  if (shape.slice(1).some((s: number | null) => s === null || s === undefined)) {
    throw new UnsupportedModelError("model", `its input shape [${shape.map(String)}] has unknown sizes besides the batch axis`);
  }
  const inputShape = checkInputShape("model.inputs[0].shape", shape.slice(1));
  if (engine !== "autograd") {
    const stack = denseReluStack(model);
    if ("layers" in stack) {
      return new ModelOracle({ kind: "fast", network: mlpFromDenseKernels(stack.layers, inputShape) }, target, options);
    }
    if (engine === "fast") throw new UnsupportedModelError("model", `engine "fast" needs a plain Dense/ReLU stack, but ${stack.reason}`);
  }
  const network = functionNetwork((x) => model.apply(x, { training: false }), inputShape, "model");
  return new ModelOracle({ kind: "autograd", network }, target, options);
}

/** @internal */
export function checkEngine(engine: unknown): "auto" | "fast" | "autograd" {
  if (engine === undefined) return "auto";
  if (engine !== "auto" && engine !== "fast" && engine !== "autograd") {
    throw new InvalidArgumentError("options.engine", '"auto", "fast" or "autograd"', engine);
  }
  return engine;
}
