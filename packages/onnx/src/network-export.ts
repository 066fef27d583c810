import { InvalidArgumentError, checkInteger } from "@smoothhess/errors";
import { checkExportActivation, emitActivation, type ExportActivation } from "./export-activation.js";
import { permute, readWeight, type WeightTensor } from "./export-tensors.js";
import { OnnxGraphWriter } from "./onnx-graph-writer.js";

/**
 * What {@link networkToOnnx} reads from a `Network` of `@smoothhess/tfjs` (matched structurally, so this package
 * does not depend on tfjs): its architecture and config, and its weights and buffers by name.
 */
export interface NetworkLike {
  readonly architecture: "mlp" | "resnet18" | "cnn1d";
  readonly config: Readonly<Record<string, unknown>>;
  readonly weights: ReadonlyMap<string, WeightTensor>;
  readonly buffers: ReadonlyMap<string, WeightTensor>;
}

/** Options of the exporters. */
export interface OnnxExportOptions {
  /** Activation at every hidden unit. Default ReLU (`{ name: "relu" }`). */
  readonly activation?: ExportActivation;
  /** Name of the graph input. Default `"input"`. */
  readonly inputName?: string;
  /** Name of the graph output. Default `"output"`. */
  readonly outputName?: string;
}

/** Batch-norm ε of `@smoothhess/tfjs` (PyTorch's default, with which the paper's models were trained). */
const NETWORK_BN_EPSILON = 1e-5;

/**
 * Export a `Network` of `@smoothhess/tfjs` (MLP, ResNet-18 or 1-D CNN, with its current — e.g. trained —
 * weights) to an ONNX model (opset 17, float32), in inference mode (batch norm with running statistics, no
 * dropout).
 *
 * The graph has one input `[batch, inputSize]` — the same flattened rows `Network.forward` and `tfjsOracle` take
 * (images H×W×C row-major) — and one output `[batch, outputSize]`. Hidden layer l's pre-activation (l = 1, 2, …,
 * the numbering of `Network.layerSizes`) is the tensor named `hidden{l}` (e.g. `hidden5`, the MNIST MLP's
 * penultimate layer): `[batch, units]` for the MLP; channels first for the convolutional networks
 * (`[batch, C, H, W]`, `[batch, C, length]`), so its unit order differs from tfjs's channels-last flattening.
 * Layout: dense kernels `[in, out]` become `Gemm(x, W, b)`; convolution kernels `[kh, kw, in, out]` /
 * `[k, in, out]` are reordered to ONNX's `[out, in, kh, kw]` / `[out, in, k]`; "same" padding becomes explicit
 * pads (TensorFlow puts the odd pixel at the end).
 *
 * @returns the serialised `ModelProto` (write it to a `.onnx` file, or load it into ONNX Runtime).
 * @throws {@link InvalidArgumentError} for an unknown architecture, a config that does not describe one, a missing
 *   weight or one of another shape, or non-finite weights; or a bad `activation`.
 * @example
 * ```ts
 * const net = paperMnistMlp(0);            // @smoothhess/tfjs; train it, or loadNetwork(dir)
 * await writeFile("mnist-mlp.onnx", networkToOnnx(net));
 * ```
 */
export function networkToOnnx(network: NetworkLike, options: OnnxExportOptions = {}): Uint8Array {
  if (network === null || typeof network !== "object" || !(network.weights instanceof Map) || !(network.buffers instanceof Map)) {
    throw new InvalidArgumentError("network", "a Network of @smoothhess/tfjs (architecture, config, weights, buffers)", network);
  }
  const context = exportContext(`smoothhess-${network.architecture}`, options);
  const tensors = (name: string) => network.weights.get(name) ?? network.buffers.get(name);
  let output: string;
  switch (network.architecture) {
    case "mlp":
      output = mlpGraph(context, network.config, tensors);
      break;
    case "resnet18":
      output = resNetGraph(context, network.config, tensors);
      break;
    case "cnn1d":
      output = cnn1dGraph(context, network.config, tensors);
      break;
    default:
      throw new InvalidArgumentError("network.architecture", '"mlp", "resnet18" or "cnn1d"', network.architecture);
  }
  return context.finish(output, `@smoothhess/tfjs ${network.architecture} ${JSON.stringify(network.config)}`);
}

/** @internal Shared state of one export: the graph, the activation, the input and how to finish. */
export interface ExportContext {
  readonly graph: OnnxGraphWriter;
  readonly activation: ExportActivation;
  readonly inputName: string;
  readonly outputName: string;
  declareInput(dims: readonly (number | string)[]): string;
  finish(last: string, docString: string): Uint8Array;
  outputDims: (number | string)[];
}

/** @internal */
export function exportContext(graphName: string, options: OnnxExportOptions): ExportContext {
  const activation = checkExportActivation("options.activation", options.activation ?? { name: "relu" });
  const inputName = checkName("options.inputName", options.inputName ?? "input");
  const outputName = checkName("options.outputName", options.outputName ?? "output");
  if (inputName === outputName) throw new InvalidArgumentError("options.outputName", `a name other than the input's ("${inputName}")`, outputName);
  const graph = new OnnxGraphWriter(graphName);
  graph.reserve(inputName);
  graph.reserve(outputName);
  const outputDims: (number | string)[] = [];
  return {
    graph,
    activation,
    inputName,
    outputName,
    outputDims,
    declareInput: (dims) => graph.input(inputName, dims),
    finish(last, docString) {
      graph.nodeWithOutputs("Identity", [last], [outputName]);
      graph.output(outputName, outputDims);
      return graph.encode("@smoothhess/onnx", docString);
    },
  };
}

function checkName(argument: string, name: unknown): string {
  if (typeof name !== "string" || name.length === 0) throw new InvalidArgumentError(argument, "a non-empty string", name);
  return name;
}

type Lookup = (name: string) => WeightTensor | undefined;

function sizesOf(config: Readonly<Record<string, unknown>>): number[] {
  const sizes = config.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) throw new InvalidArgumentError("network.config.sizes", "at least two layer widths", sizes);
  return sizes.map((s, i) => checkInteger(`network.config.sizes[${i}]`, s, 1));
}

function mlpGraph(context: ExportContext, config: Readonly<Record<string, unknown>>, tensors: Lookup): string {
  const { graph } = context;
  const sizes = sizesOf(config);
  let h = context.declareInput(["batch", sizes[0]]);
  for (let i = 0; i + 1 < sizes.length; i++) {
    const kernel = graph.constant(`dense${i}/kernel`, [sizes[i], sizes[i + 1]], readWeight(`network.weights["dense${i}/kernel"]`, tensors(`dense${i}/kernel`), [sizes[i], sizes[i + 1]]));
    const bias = graph.constant(`dense${i}/bias`, [sizes[i + 1]], readWeight(`network.weights["dense${i}/bias"]`, tensors(`dense${i}/bias`), [sizes[i + 1]]));
    const last = i + 2 === sizes.length;
    const z = graph.op("Gemm", [h, kernel, bias], last ? "logits" : `hidden${i + 1}`);
    h = last ? z : emitActivation(graph, z, context.activation, `activation${i + 1}`);
  }
  context.outputDims.push("batch", sizes[sizes.length - 1]);
  return h;
}

/** Batch norm with running statistics over axis 1 (channels first). */
function batchNormalization(context: ExportContext, x: string, name: string, channels: number, tensors: Lookup, hint: string): string {
  const { graph } = context;
  const read = (part: string) => graph.constant(`${name}/${part}`, [channels], readWeight(`network.weights["${name}/${part}"]`, tensors(`${name}/${part}`), [channels]));
  return graph.op("BatchNormalization", [x, read("gamma"), read("beta"), read("mean"), read("variance")], hint, {
    epsilon: { float: NETWORK_BN_EPSILON },
  });
}

function resNetGraph(context: ExportContext, config: Readonly<Record<string, unknown>>, tensors: Lookup): string {
  const { graph } = context;
  const shape = config.inputShape as unknown;
  if (!Array.isArray(shape) || shape.length !== 3) throw new InvalidArgumentError("network.config.inputShape", "[height, width, channels]", shape);
  const [height, width, channels] = shape.map((s, i) => checkInteger(`network.config.inputShape[${i}]`, s, 1));
  const classes = checkInteger("network.config.classes", config.classes, 1);
  const base = checkInteger("network.config.width", config.width, 1);
  const blocks = config.blocks as unknown;
  if (!Array.isArray(blocks) || blocks.length !== 4) throw new InvalidArgumentError("network.config.blocks", "four block counts", blocks);
  blocks.forEach((b, i) => checkInteger(`network.config.blocks[${i}]`, b, 1));

  const x = context.declareInput(["batch", height * width * channels]);
  const hwc = graph.op("Reshape", [x, graph.int64Constant("image_shape", [-1, height, width, channels])], "image_hwc");
  let a = graph.op("Transpose", [hwc], "image", { perm: { ints: [0, 3, 1, 2] } });
  let site = 0;
  const conv = (input: string, name: string, k: number, cin: number, cout: number, stride: number, pad: number) => {
    const kernel = readWeight(`network.weights["${name}"]`, tensors(name), [k, k, cin, cout]);
    const reordered = permute(kernel, [k, k, cin, cout], [3, 2, 0, 1]);
    const w = graph.constant(name, reordered.shape, reordered.values);
    return graph.op("Conv", [input, w], `${name}/out`, {
      kernel_shape: { ints: [k, k] },
      strides: { ints: [stride, stride] },
      pads: { ints: [pad, pad, pad, pad] },
    });
  };
  const activate = (z: string) => emitActivation(graph, z, context.activation, `activation${site}`);
  const named = (z: string) => graph.op("Identity", [z], `hidden${++site}`);

  a = activate(named(batchNormalization(context, conv(a, "stem/conv", 3, channels, base, 1, 1), "stem/bn", base, tensors, "stem/bn/out")));
  let cin = base;
  for (let s = 0; s < 4; s++) {
    const cout = base * 2 ** s;
    for (let b = 0; b < (blocks[s] as number); b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const name = `stage${s}/block${b}`;
      const z1 = batchNormalization(context, conv(a, `${name}/conv1`, 3, cin, cout, stride, 1), `${name}/bn1`, cout, tensors, `${name}/bn1/out`);
      const a1 = activate(named(z1));
      const z2 = batchNormalization(context, conv(a1, `${name}/conv2`, 3, cout, cout, 1, 1), `${name}/bn2`, cout, tensors, `${name}/bn2/out`);
      const shortcut =
        stride !== 1 || cin !== cout
          ? batchNormalization(context, conv(a, `${name}/shortcut/conv`, 1, cin, cout, stride, 0), `${name}/shortcut/bn`, cout, tensors, `${name}/shortcut/bn/out`)
          : a;
      a = activate(named(graph.op("Add", [z2, shortcut], `${name}/sum`)));
      cin = cout;
    }
  }
  const pooled = graph.op("GlobalAveragePool", [a], "pooled");
  const features = graph.op("Flatten", [pooled], "features", { axis: { int: 1 } });
  const fc = graph.constant("fc/kernel", [cin, classes], readWeight('network.weights["fc/kernel"]', tensors("fc/kernel"), [cin, classes]));
  const bias = graph.constant("fc/bias", [classes], readWeight('network.weights["fc/bias"]', tensors("fc/bias"), [classes]));
  context.outputDims.push("batch", classes);
  return graph.op("Gemm", [features, fc, bias], "logits");
}

function cnn1dGraph(context: ExportContext, config: Readonly<Record<string, unknown>>, tensors: Lookup): string {
  const { graph } = context;
  const length = checkInteger("network.config.length", config.length, 1);
  const blocks = checkInteger("network.config.blocks", config.blocks, 1);
  const channels = checkInteger("network.config.channels", config.channels, 1);
  const k = checkInteger("network.config.kernel", config.kernel, 1);
  const outputs = checkInteger("network.config.outputs", config.outputs, 1);
  // TensorFlow's "same" at stride 1: k − 1 padded samples, the odd one at the end.
  const before = Math.floor((k - 1) / 2), after = k - 1 - before;

  const x = context.declareInput(["batch", length]);
  let h = graph.op("Reshape", [x, graph.int64Constant("curve_shape", [-1, 1, length])], "curve");
  for (let b = 0; b < blocks; b++) {
    const cin = b === 0 ? 1 : channels;
    const name = `block${b}/conv`;
    const kernel = readWeight(`network.weights["${name}"]`, tensors(name), [k, cin, channels]);
    const reordered = permute(kernel, [k, cin, channels], [2, 1, 0]);
    const z = graph.op("Conv", [h, graph.constant(name, reordered.shape, reordered.values)], `${name}/out`, {
      kernel_shape: { ints: [k] },
      strides: { ints: [1] },
      pads: { ints: [before, after] },
    });
    const bn = batchNormalization(context, z, `block${b}/bn`, channels, tensors, `block${b}/bn/out`);
    const a = emitActivation(graph, graph.op("Identity", [bn], `hidden${b + 1}`), context.activation, `activation${b + 1}`);
    h = graph.op("Add", [h, a], `block${b}/sum`); // block 0: the single input channel broadcasts
  }
  const pooled = graph.op("GlobalAveragePool", [h], "pooled");
  const features = graph.op("Flatten", [pooled], "features", { axis: { int: 1 } });
  const fc = graph.constant("fc/kernel", [channels, outputs], readWeight('network.weights["fc/kernel"]', tensors("fc/kernel"), [channels, outputs]));
  const bias = graph.constant("fc/bias", [outputs], readWeight('network.weights["fc/bias"]', tensors("fc/bias"), [outputs]));
  context.outputDims.push("batch", outputs);
  return graph.op("Gemm", [features, fc, bias], "logits");
}
