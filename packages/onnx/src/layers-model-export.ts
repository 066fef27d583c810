import { DimensionMismatchError, InvalidArgumentError, described } from "@smoothhess/errors";
import { permute, readWeight, type WeightTensor } from "./export-tensors.js";
import type { OnnxGraphWriter } from "./onnx-graph-writer.js";
import { exportContext } from "./network-export.js";
import { UnsupportedLayerError } from "./unsupported-layer-error.js";

/**
 * What {@link layersModelToOnnx} reads from a `tf.LayersModel` (`tf.sequential` or `tf.model`), matched
 * structurally so that this package does not depend on tfjs: its topology (`toJSON(null, false)`) and each
 * layer's weights (`getLayer(name).getWeights()`, in the layer's own order).
 */
export interface LayersModelLike {
  toJSON(unused?: null, returnString?: boolean): unknown;
  getLayer(name: string): { getWeights(): readonly WeightTensor[] };
}

/** Options of {@link layersModelToOnnx}. */
export interface LayersModelExportOptions {
  /** Name of the graph input. Default `"input"`. */
  readonly inputName?: string;
  /** Name of the graph output. Default `"output"`. */
  readonly outputName?: string;
}

/** The layer classes {@link layersModelToOnnx} converts. */
export const SUPPORTED_LAYERS: readonly string[] = Object.freeze([
  "InputLayer",
  "Dense",
  "Conv1D",
  "Conv2D",
  "BatchNormalization",
  "Activation",
  "ReLU",
  "LeakyReLU",
  "ELU",
  "Softmax",
  "Flatten",
  "MaxPooling1D",
  "MaxPooling2D",
  "AveragePooling1D",
  "AveragePooling2D",
  "GlobalAveragePooling1D",
  "GlobalAveragePooling2D",
  "GlobalMaxPooling1D",
  "GlobalMaxPooling2D",
  "Add",
  "Dropout",
]);

/** The activations (of `Activation` layers and the `activation` option of Dense/Conv) it converts. */
export const SUPPORTED_ACTIVATIONS: readonly string[] = Object.freeze(["linear", "relu", "sigmoid", "tanh", "softplus", "elu", "swish", "gelu", "softmax", "logSoftmax"]);

/** A Keras tensor during conversion: its ONNX name, its Keras shape (batch excluded) and its ONNX layout. */
interface Value {
  readonly name: string;
  /** Keras shape without the batch axis (channels last for channels-last layers); `null` = unknown. */
  readonly shape: readonly (number | null)[];
  /**
   * True when the ONNX tensor holds the Keras tensor with its last axis moved to axis 1 (channels first, what
   * ONNX's Conv/pooling/BatchNormalization want). Only for rank ≥ 2 (batch excluded).
   */
  readonly channelsFirst: boolean;
}

interface LayerCall {
  readonly layer: string;
  readonly className: string;
  readonly config: Record<string, unknown>;
  readonly inputs: readonly string[];
  readonly output: string;
}

/**
 * Convert a `tf.LayersModel` (Sequential or functional, one input and one output) of supported layers —
 * {@link SUPPORTED_LAYERS}: Dense, Conv1D/2D, BatchNormalization, Activation, Flatten, max/average and global
 * pooling, Add, Dropout (dropped: inference) — with its weights to an ONNX model (opset 17, float32) that
 * computes what `model.predict` computes.
 *
 * Layout: the graph's input and output have the model's own shapes with a symbolic batch axis
 * (`[batch, 28, 28, 1]` for a channels-last image model). Channels-last tensors are transposed to channels first
 * once before a run of convolutions / pooling / batch norm and back before Flatten, Dense or the output; kernels
 * are reordered to ONNX's layouts (Dense `[in, out]` stays as `Gemm` B, convolutions `[kh, kw, in, out]` →
 * `[out, in, kh, kw]`); `"same"` padding becomes TensorFlow's explicit pads (odd pixel at the end).
 *
 * @throws {@link UnsupportedLayerError} naming the first layer (or layer option: activation, padding mode,
 *   normalisation axis) it cannot convert and the supported set; {@link InvalidArgumentError} for something that
 *   is not a LayersModel or a model with several inputs or outputs; {@link DimensionMismatchError} for weights
 *   whose number or shapes do not fit the layer's configuration.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }), tf.layers.dense({ units: 3 })] });
 * const bytes = layersModelToOnnx(model);  // e.g. await writeFile("model.onnx", bytes)
 * ```
 */
export function layersModelToOnnx(model: LayersModelLike, options: LayersModelExportOptions = {}): Uint8Array {
  if (model === null || typeof model !== "object" || typeof model.toJSON !== "function" || typeof model.getLayer !== "function") {
    throw new InvalidArgumentError("model", "a tf.LayersModel (toJSON and getLayer)", model);
  }
  const topology = model.toJSON(null, false) as { class_name?: string; config?: unknown };
  const { calls, input, output } = layerCalls(topology);
  const context = exportContext(`tfjs-${String(topology.class_name ?? "model").toLowerCase()}`, options);
  const { graph } = context;
  const inputDims = input.shape.map((d, i) => d ?? `input_dim_${i + 1}`);
  const values = new Map<string, Value>();
  values.set(input.ref, { name: context.declareInput(["batch", ...inputDims]), shape: input.shape, channelsFirst: false });
  const layouts = new LayoutCache(graph);

  // Functional models list layers in topological order; a worklist also covers shared layers called later.
  const pending = [...calls];
  while (pending.length > 0) {
    const index = pending.findIndex((call) => call.inputs.every((ref) => values.has(ref)));
    if (index < 0) throw new InvalidArgumentError("model", "a topology whose layers can be ordered from its input", described(`layers ${pending.map((c) => c.layer).join(", ")} unreachable`));
    const [call] = pending.splice(index, 1);
    const inputs = call.inputs.map((ref) => values.get(ref) as Value);
    const weights = () => model.getLayer(call.layer).getWeights();
    values.set(call.output, convertLayer(graph, layouts, call, inputs, weights));
  }
  const result = values.get(output);
  if (result === undefined) throw new InvalidArgumentError("model", "an output computed from its input", described(`output ${output} not computed`));
  context.outputDims.push("batch", ...result.shape.map((d, i) => d ?? `output_dim_${i + 1}`));
  return context.finish(layouts.kerasLayout(result), `tf.LayersModel ${String(topology.class_name)} converted by @smoothhess/onnx`);
}

/** The model's layer calls in order, its input (reference and shape) and its output reference. */
function layerCalls(topology: { class_name?: string; config?: unknown }): {
  calls: LayerCall[];
  input: { ref: string; shape: (number | null)[] };
  output: string;
} {
  const kind = topology?.class_name;
  const config = topology?.config as Record<string, unknown> | unknown[] | undefined;
  if (kind === "Sequential") {
    const layers = (Array.isArray(config) ? config : (config?.layers as unknown[])) as { class_name: string; config: Record<string, unknown> }[];
    if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError("model", "a Sequential model with layers", described("none"));
    const batchShape = layers[0].config.batch_input_shape as (number | null)[] | undefined;
    if (!Array.isArray(batchShape)) throw new InvalidArgumentError("model", "a Sequential model whose first layer has an input shape", described("no batch_input_shape"));
    const calls: LayerCall[] = [];
    let previous = "input";
    for (const layer of layers) {
      const name = String(layer.config.name);
      if (layer.class_name === "InputLayer") continue;
      calls.push({ layer: name, className: layer.class_name, config: layer.config, inputs: [previous], output: `${name}:0:0` });
      previous = `${name}:0:0`;
    }
    return { calls, input: { ref: "input", shape: batchShape.slice(1) }, output: previous };
  }
  if (kind === "Model" || kind === "Functional") {
    const c = config as { layers: { name: string; class_name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[]; input_layers: unknown[][]; output_layers: unknown[][] };
    if (c.input_layers.length !== 1 || c.output_layers.length !== 1) {
      throw new InvalidArgumentError("model", "a model with one input and one output", described(`${c.input_layers.length} inputs and ${c.output_layers.length} outputs`));
    }
    const ref = (entry: unknown[]) => `${entry[0]}:${entry[1]}:${entry[2]}`;
    const calls: LayerCall[] = [];
    let input: { ref: string; shape: (number | null)[] } | undefined;
    for (const layer of c.layers) {
      if (layer.class_name === "InputLayer") {
        const shape = layer.config.batch_input_shape as (number | null)[];
        if (`${layer.name}:0:0` === ref(c.input_layers[0])) input = { ref: `${layer.name}:0:0`, shape: shape.slice(1) };
        continue;
      }
      layer.inbound_nodes.forEach((node, nodeIndex) => {
        calls.push({
          layer: layer.name,
          className: layer.class_name,
          config: layer.config,
          inputs: (node as unknown[][]).map(ref),
          output: `${layer.name}:${nodeIndex}:0`,
        });
      });
    }
    if (!input) throw new InvalidArgumentError("model", "an InputLayer as the model's input", described("none"));
    return { calls, input, output: ref(c.output_layers[0]) };
  }
  throw new InvalidArgumentError("model", 'a Sequential or functional ("Model") tf.LayersModel', described(`class ${String(kind)}`));
}

/** Transposes between Keras (channels-last) and channels-first layouts, each emitted at most once per tensor. */
class LayoutCache {
  private readonly cache = new Map<string, string>();

  constructor(private readonly graph: OnnxGraphWriter) {}

  /** The tensor in Keras's own layout. */
  kerasLayout(v: Value): string {
    if (!v.channelsFirst) return v.name;
    const rank = v.shape.length; // [n, C, s1..s(rank−1)] → [n, s1.., C]
    const perm = [0, ...Array.from({ length: rank - 1 }, (_, i) => i + 2), 1];
    return this.transpose(v.name, perm, "channels_last");
  }

  /** The tensor channels first (Keras's last axis at position 1); rank ≤ 1 needs no change. */
  channelsFirst(v: Value): string {
    if (v.channelsFirst || v.shape.length <= 1) return v.name;
    const rank = v.shape.length; // [n, s1..s(rank−1), C] → [n, C, s1..]
    const perm = [0, rank, ...Array.from({ length: rank - 1 }, (_, i) => i + 1)];
    return this.transpose(v.name, perm, "channels_first");
  }

  private transpose(name: string, perm: number[], suffix: string): string {
    const key = `${name}|${perm.join(",")}`;
    let out = this.cache.get(key);
    if (out === undefined) {
      out = this.graph.op("Transpose", [name], `${name}/${suffix}`, { perm: { ints: perm } });
      this.cache.set(key, out);
    }
    return out;
  }
}

function convertLayer(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, inputs: readonly Value[], weights: () => readonly WeightTensor[]): Value {
  const { layer, className, config } = call;
  const single = (): Value => {
    if (inputs.length !== 1) throw new InvalidArgumentError(`model layer "${layer}"`, "one input", described(`${inputs.length} inputs`));
    return inputs[0];
  };
  switch (className) {
    case "InputLayer":
    case "Dropout":
      return single();
    case "Dense":
      return dense(graph, layouts, call, single(), weights());
    case "Conv1D":
    case "Conv2D":
      return convolution(graph, layouts, call, single(), weights(), className === "Conv1D" ? 1 : 2);
    case "BatchNormalization":
      return batchNormalization(graph, layouts, call, single(), weights());
    case "Activation":
      return activation(graph, layer, single(), String(config.activation), `Activation with activation ${String(config.activation)}`);
    case "ReLU": {
      const plain = (config.max_value ?? null) === null && !config.negative_slope && !config.threshold;
      if (!plain) throw new UnsupportedLayerError(layer, "ReLU with max_value, negative_slope or threshold", SUPPORTED_LAYERS);
      const v = single();
      return { ...v, name: graph.op("Relu", [v.name], layer) };
    }
    case "LeakyReLU": {
      const v = single();
      return { ...v, name: graph.op("LeakyRelu", [v.name], layer, { alpha: { float: Number(config.alpha ?? 0.3) } }) };
    }
    case "ELU": {
      const v = single();
      return { ...v, name: graph.op("Elu", [v.name], layer, { alpha: { float: Number(config.alpha ?? 1) } }) };
    }
    case "Softmax": {
      const v = single();
      const axis = Number(config.axis ?? -1);
      if (axis !== -1 && axis !== v.shape.length) throw new UnsupportedLayerError(layer, `Softmax over axis ${axis}`, ["Softmax over the last axis"]);
      return activation(graph, layer, v, "softmax", "Softmax");
    }
    case "Flatten": {
      const v = single();
      const size = v.shape.every((d) => d !== null) ? (v.shape as number[]).reduce((a, b) => a * b, 1) : null;
      return { name: graph.op("Flatten", [layouts.kerasLayout(v)], layer, { axis: { int: 1 } }), shape: [size], channelsFirst: false };
    }
    case "MaxPooling1D":
    case "MaxPooling2D":
    case "AveragePooling1D":
    case "AveragePooling2D":
      return pooling(graph, layouts, call, single());
    case "GlobalAveragePooling1D":
    case "GlobalAveragePooling2D":
    case "GlobalMaxPooling1D":
    case "GlobalMaxPooling2D":
      return globalPooling(graph, layouts, call, single());
    case "Add": {
      if (inputs.length < 2) throw new InvalidArgumentError(`model layer "${layer}"`, "at least two inputs", described(`${inputs.length}`));
      const first = inputs.every((v) => v.channelsFirst === inputs[0].channelsFirst && v.shape.length === inputs[0].shape.length);
      const channelsFirst = first && inputs[0].channelsFirst;
      const names = inputs.map((v) => (channelsFirst ? v.name : layouts.kerasLayout(v)));
      let sum = names[0];
      for (let i = 1; i < names.length; i++) sum = graph.op("Add", [sum, names[i]], i === names.length - 1 ? layer : `${layer}/partial`);
      return { name: sum, shape: inputs[0].shape, channelsFirst };
    }
    default:
      throw new UnsupportedLayerError(layer, className, SUPPORTED_LAYERS);
  }
}

function layerWeights(call: LayerCall, weights: readonly WeightTensor[], shapes: readonly (readonly number[])[]): Float32Array[] {
  if (weights.length !== shapes.length) {
    throw new DimensionMismatchError(`model layer "${call.layer}" weights`, `${shapes.length} tensors for its configuration`, described(`${weights.length}`));
  }
  return shapes.map((shape, i) => readWeight(`model layer "${call.layer}" weight ${i}`, weights[i], shape));
}

function known(call: LayerCall, v: Value, axis: number): number {
  const size = v.shape[axis];
  if (size === null || size === undefined) {
    throw new InvalidArgumentError(`model layer "${call.layer}"`, `a known size of input axis ${axis + 1}`, described("an unknown size"));
  }
  return size;
}

function dense(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, v: Value, weights: readonly WeightTensor[]): Value {
  const units = Number(call.config.units);
  const useBias = call.config.use_bias !== false;
  const inputs = known(call, v, v.shape.length - 1);
  const [kernel, bias] = layerWeights(call, weights, useBias ? [[inputs, units], [units]] : [[inputs, units]]);
  const x = layouts.kerasLayout(v);
  const w = graph.constant(`${call.layer}/kernel`, [inputs, units], kernel);
  const b = bias ? graph.constant(`${call.layer}/bias`, [units], bias) : undefined;
  let z: string;
  if (v.shape.length === 1) {
    z = graph.op("Gemm", b ? [x, w, b] : [x, w], `${call.layer}/linear`);
  } else {
    // Keras applies a Dense layer to the last axis of any rank.
    z = graph.op("MatMul", [x, w], `${call.layer}/matmul`);
    if (b) z = graph.op("Add", [z, b], `${call.layer}/linear`);
  }
  const out: Value = { name: z, shape: [...v.shape.slice(0, -1), units], channelsFirst: false };
  return activation(graph, call.layer, out, String(call.config.activation ?? "linear"), `Dense with activation ${String(call.config.activation)}`);
}

/** Pads of TensorFlow's "same" (odd pixel at the end) for known sizes, else ONNX's equivalent SAME_UPPER. */
function spatialPadding(
  call: LayerCall,
  padding: string,
  sizes: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): { pads?: number[]; autoPad?: string; outSizes: (number | null)[] } {
  if (padding === "valid") {
    return {
      pads: new Array<number>(2 * sizes.length).fill(0),
      outSizes: sizes.map((L, i) => (L === null ? null : Math.floor((L - ((kernel[i] - 1) * dilations[i] + 1)) / strides[i]) + 1)),
    };
  }
  if (padding !== "same") throw new UnsupportedLayerError(call.layer, `${call.className} with padding "${padding}"`, ['padding "valid"', 'padding "same"']);
  const outSizes = sizes.map((L, i) => (L === null ? null : Math.ceil(L / strides[i])));
  if (sizes.some((L) => L === null)) return { autoPad: "SAME_UPPER", outSizes };
  const begin: number[] = [], end: number[] = [];
  sizes.forEach((L, i) => {
    const total = Math.max(((outSizes[i] as number) - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - (L as number), 0);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return { pads: [...begin, ...end], outSizes };
}

function tuple(value: unknown, rank: number, fallback: readonly number[]): number[] {
  if (value === undefined || value === null) return [...fallback];
  const list = Array.isArray(value) ? value.map(Number) : new Array<number>(rank).fill(Number(value));
  return list.length === 1 && rank > 1 ? new Array<number>(rank).fill(list[0]) : list;
}

/** Channels-first view of a spatial layer's input: ONNX name and sizes (spatial axes, channels). */
function spatialInput(layouts: LayoutCache, call: LayerCall, v: Value, rank: number): { x: string; spatial: (number | null)[]; channels: number | null; channelsLast: boolean } {
  if (v.shape.length !== rank + 1) {
    throw new InvalidArgumentError(`model layer "${call.layer}"`, `an input of rank ${rank + 2} (batch included)`, described(`rank ${v.shape.length + 1}`));
  }
  const format = String(call.config.data_format ?? "channels_last");
  if (format === "channels_last" || format === "channelsLast") {
    return { x: layouts.channelsFirst(v), spatial: v.shape.slice(0, rank), channels: v.shape[rank], channelsLast: true };
  }
  if (format === "channels_first" || format === "channelsFirst") {
    return { x: layouts.kerasLayout(v), spatial: v.shape.slice(1), channels: v.shape[0], channelsLast: false };
  }
  throw new UnsupportedLayerError(call.layer, `${call.className} with data_format "${format}"`, ["channels_last", "channels_first"]);
}

/** The Keras value of a spatial layer's channels-first ONNX output. */
function spatialOutput(name: string, spatial: readonly (number | null)[], channels: number | null, channelsLast: boolean): Value {
  return channelsLast ? { name, shape: [...spatial, channels], channelsFirst: true } : { name, shape: [channels, ...spatial], channelsFirst: false };
}

function convolution(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, v: Value, weights: readonly WeightTensor[], rank: number): Value {
  const { config } = call;
  const input = spatialInput(layouts, call, v, rank);
  const filters = Number(config.filters);
  const kernel = tuple(config.kernel_size, rank, []);
  const strides = tuple(config.strides, rank, new Array<number>(rank).fill(1));
  const dilations = tuple(config.dilation_rate, rank, new Array<number>(rank).fill(1));
  const groups = Number(config.groups ?? 1);
  if (groups !== 1) throw new UnsupportedLayerError(call.layer, `${call.className} with groups = ${groups}`, [`${call.className} with groups = 1`]);
  const channels = input.channels ?? known(call, v, input.channelsLast ? rank : 0);
  const useBias = config.use_bias !== false;
  const kernelShape = [...kernel, channels, filters];
  const [w, b] = layerWeights(call, weights, useBias ? [kernelShape, [filters]] : [kernelShape]);
  // tfjs [k…, in, out] → ONNX [out, in, k…]
  const reordered = permute(w, kernelShape, [rank + 1, rank, ...Array.from({ length: rank }, (_, i) => i)]);
  const padding = spatialPadding(call, String(config.padding ?? "valid"), input.spatial, kernel, strides, dilations);
  const operands = [input.x, graph.constant(`${call.layer}/kernel`, reordered.shape, reordered.values)];
  if (b) operands.push(graph.constant(`${call.layer}/bias`, [filters], b));
  const z = graph.op("Conv", operands, `${call.layer}/conv`, {
    kernel_shape: { ints: kernel },
    strides: { ints: strides },
    dilations: { ints: dilations },
    ...(padding.pads ? { pads: { ints: padding.pads } } : { auto_pad: { string: padding.autoPad as string } }),
  });
  const out = spatialOutput(z, padding.outSizes, filters, input.channelsLast);
  return activation(graph, call.layer, out, String(config.activation ?? "linear"), `${call.className} with activation ${String(config.activation)}`);
}

function batchNormalization(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, v: Value, weights: readonly WeightTensor[]): Value {
  const { config } = call;
  const rank = v.shape.length + 1; // batch included
  const raw = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
  if (raw.length !== 1) throw new UnsupportedLayerError(call.layer, `BatchNormalization over axes [${raw.join(", ")}]`, ["BatchNormalization over one axis"]);
  const axis = Number(raw[0]) < 0 ? rank + Number(raw[0]) : Number(raw[0]);
  let x: string, channelsFirst: boolean, channels: number;
  if (axis === rank - 1) {
    x = layouts.channelsFirst(v);
    channelsFirst = v.shape.length > 1;
    channels = known(call, v, v.shape.length - 1);
  } else if (axis === 1) {
    x = layouts.kerasLayout(v);
    channelsFirst = false;
    channels = known(call, v, 0);
  } else {
    throw new UnsupportedLayerError(call.layer, `BatchNormalization over axis ${String(raw[0])} of a rank-${rank} input`, ["the last axis", "axis 1"]);
  }
  const scale = config.scale !== false, center = config.center !== false;
  const shapes = [...(scale ? [[channels]] : []), ...(center ? [[channels]] : []), [channels], [channels]];
  const values = layerWeights(call, weights, shapes);
  const gamma = scale ? values.shift() : new Float32Array(channels).fill(1);
  const beta = center ? values.shift() : new Float32Array(channels);
  const [mean, variance] = values;
  const y = graph.op(
    "BatchNormalization",
    [
      x,
      graph.constant(`${call.layer}/gamma`, [channels], gamma as Float32Array),
      graph.constant(`${call.layer}/beta`, [channels], beta as Float32Array),
      graph.constant(`${call.layer}/moving_mean`, [channels], mean),
      graph.constant(`${call.layer}/moving_variance`, [channels], variance),
    ],
    call.layer,
    { epsilon: { float: Number(config.epsilon ?? 1e-3) } },
  );
  return { name: y, shape: v.shape, channelsFirst };
}

function pooling(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, v: Value): Value {
  const { config, className } = call;
  const rank = className.endsWith("1D") ? 1 : 2;
  const input = spatialInput(layouts, call, v, rank);
  const kernel = tuple(config.pool_size, rank, new Array<number>(rank).fill(2));
  const strides = tuple(config.strides, rank, kernel);
  const padding = spatialPadding(call, String(config.padding ?? "valid"), input.spatial, kernel, strides, new Array<number>(rank).fill(1));
  const attributes = {
    kernel_shape: { ints: kernel },
    strides: { ints: strides },
    ...(padding.pads ? { pads: { ints: padding.pads } } : { auto_pad: { string: padding.autoPad as string } }),
  };
  // Keras averages over the window's valid part only: ONNX's count_include_pad = 0 (the default, set for clarity).
  const y = className.startsWith("Max")
    ? graph.op("MaxPool", [input.x], call.layer, attributes)
    : graph.op("AveragePool", [input.x], call.layer, { ...attributes, count_include_pad: { int: 0 } });
  return spatialOutput(y, padding.outSizes, input.channels, input.channelsLast);
}

function globalPooling(graph: OnnxGraphWriter, layouts: LayoutCache, call: LayerCall, v: Value): Value {
  const rank = call.className.endsWith("1D") ? 1 : 2;
  const input = spatialInput(layouts, call, v, rank);
  let pooled: string;
  if (call.className.startsWith("GlobalAverage")) {
    pooled = graph.op("GlobalAveragePool", [input.x], `${call.layer}/pooled`);
  } else {
    // A MaxPool over the whole (known) extent: the op set of the gradient engine has MaxPool, not GlobalMaxPool.
    const extent = input.spatial.map((_, i) => known(call, v, input.channelsLast ? i : i + 1));
    pooled = graph.op("MaxPool", [input.x], `${call.layer}/pooled`, { kernel_shape: { ints: extent } });
  }
  return { name: graph.op("Flatten", [pooled], call.layer, { axis: { int: 1 } }), shape: [input.channels], channelsFirst: false };
}

/** Append a Keras activation; elementwise ones keep the layout, softmax runs over the Keras last axis. */
function activation(graph: OnnxGraphWriter, layer: string, v: Value, name: string, kind: string): Value {
  const channelAxis = v.channelsFirst ? 1 : -1;
  const apply = (op: string, attributes = {}) => ({ ...v, name: graph.op(op, [v.name], `${layer}/${name}`, attributes) });
  switch (name) {
    case "linear":
    case "undefined":
      return v;
    case "relu":
      return apply("Relu");
    case "sigmoid":
      return apply("Sigmoid");
    case "tanh":
      return apply("Tanh");
    case "softplus":
      return apply("Softplus");
    case "elu":
      return apply("Elu", { alpha: { float: 1 } });
    case "softmax":
      return apply("Softmax", { axis: { int: channelAxis } });
    case "logSoftmax":
    case "log_softmax":
      return apply("LogSoftmax", { axis: { int: channelAxis } });
    case "swish": {
      const s = graph.op("Sigmoid", [v.name], `${layer}/sigmoid`);
      return { ...v, name: graph.op("Mul", [v.name, s], `${layer}/swish`) };
    }
    case "gelu": {
      // tfjs-layers' gelu is the exact one: x·Φ(x) = x·(1 + erf(x/√2))/2
      const scaled = graph.op("Mul", [v.name, graph.constant(`${layer}/inv_sqrt2`, [], [Math.SQRT1_2])], `${layer}/scaled`);
      const onePlus = graph.op("Add", [graph.op("Erf", [scaled], `${layer}/erf`), graph.constant(`${layer}/one`, [], [1])], `${layer}/one_plus_erf`);
      const half = graph.op("Mul", [v.name, graph.constant(`${layer}/half`, [], [0.5])], `${layer}/half`);
      return { ...v, name: graph.op("Mul", [half, onePlus], `${layer}/gelu`) };
    }
    default:
      throw new UnsupportedLayerError(layer, kind, SUPPORTED_ACTIVATIONS.map((a) => `activation ${a}`));
  }
}
