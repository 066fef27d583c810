import { DimensionMismatchError, checkFiniteArray, checkInteger, described } from "@smoothhess/errors";
import { activeTensors, reverseMode } from "./autodiff/reverse-mode.js";
import { GraphBuilder } from "./ir/graph-builder.js";
import { DataType, type IrGraph } from "./ir/graph.js";
import { decodeModel, encodeModel } from "./ir/proto-codec.js";
import { probeShapes, type ShapeTable } from "./ir/shape-probe.js";
import { OnnxModelError } from "./onnx-model-error.js";
import { readModelSource, type OnnxModelSource } from "./model-source.js";
import { createSession, defaultRuntime, type OnnxRuntime } from "./runtime.js";

/** Operators treated as a hidden layer's activation by `{ layer, unit }` targets and the surrogate rewrite. */
export const ACTIVATION_OPS: ReadonlySet<string> = new Set(["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softplus", "Elu", "Gelu"]);

/** Options of {@link loadOnnxModel}. */
export interface LoadOnnxModelOptions {
  /** The graph input to differentiate for (required when the graph has more than one input). */
  readonly input?: string;
  /** The graph output the targets read (default: the first output). */
  readonly output?: string;
  /**
   * The input's shape with `-1` on the batch axis, for a graph whose file leaves other axes free
   * (e.g. `[-1, 3, 32, 32]`). Default: the shape in the file, with a free first axis as the batch.
   */
  readonly inputShape?: readonly number[];
  /**
   * The ONNX Runtime binding (default {@link defaultRuntime}: `onnxruntime-node` in Node, `onnxruntime-web` in the
   * browser entry). Pass another to choose a build, e.g. `import * as ort from "onnxruntime-web/webgpu"`.
   */
  readonly runtime?: OnnxRuntime;
}

/**
 * An ONNX model read, checked and ready to differentiate: the graph, which input and output the package uses,
 * the shapes of every tensor, and the runtime that runs it. Made by {@link loadOnnxModel}; holds no session
 * (oracles own theirs), so it needs no disposal.
 */
export interface OnnxModel {
  /** The graph as the package's IR. */
  readonly graph: IrGraph;
  /** Name of the input gradients are taken with respect to. */
  readonly inputName: string;
  /** Name of the output the targets read. */
  readonly outputName: string;
  /** Names of all graph outputs. */
  readonly outputNames: readonly string[];
  /** The input's shape, `-1` on the batch axis (axis 0). */
  readonly inputShape: readonly number[];
  /** The output's shape, `-1` on the batch axis. */
  readonly outputShape: readonly number[];
  /** Flattened input size per row: the oracle's `dim`. */
  readonly dim: number;
  /** Flattened output size per row (number of classes for a classifier). */
  readonly outputSize: number;
  /** The batch size fixed in the file, or `undefined` when the batch axis is free. */
  readonly fixedBatch: number | undefined;
  /** Element type of the input: `"float32"` or `"float64"`. */
  readonly precision: "float32" | "float64";
  /**
   * The pre-activation tensors of the hidden layers: the input of each activation node (`Relu`, …) that depends on
   * the model input, in graph order. `{ layer: l, unit }` targets read `hiddenTensors[l − 1]`.
   */
  readonly hiddenTensors: readonly string[];
  /** Shapes (`-1` on batch-dependent axes) and element types of every tensor. */
  readonly shapes: ShapeTable;
  /** The runtime the model runs on. */
  readonly runtime: OnnxRuntime;
}

/**
 * Read an ONNX model from a file, a URL or bytes, choose its input and output, learn its tensor shapes, and check
 * that every operator between input and output can be differentiated.
 *
 * @param source - the model's bytes (`Uint8Array` / `ArrayBuffer`, e.g. the bytes an ORT session was created
 *   from), or where to read them: in Node a string is a file path and a `URL` may be `file:`, `http:` or `https:`;
 *   in a browser (the package's browser entry) a string or `URL` is fetched, relative to the page.
 * @param options - input/output names, input shape, runtime (default {@link defaultRuntime}: `onnxruntime-node` in
 *   Node, `onnxruntime-web` in a browser).
 * @throws {@link OnnxModelError} for a file that cannot be read or a URL that cannot be fetched (naming it and the
 *   HTTP status), bytes that are not ONNX, a graph with several inputs and no `options.input`,
 *   an unknown input/output name, an opset below 13, a non-float input, or a graph ONNX Runtime cannot run;
 *   {@link UnsupportedOpError} naming the first node on the input→output path that cannot be differentiated.
 *
 * @example
 * ```ts
 * const model = await loadOnnxModel("mnist-mlp.onnx");
 * model.dim;        // 784
 * model.inputShape; // [-1, 784]
 * ```
 */
export async function loadOnnxModel(source: OnnxModelSource, options: LoadOnnxModelOptions = {}): Promise<OnnxModel> {
  const { bytes, where } = await readModelSource(source);

  const graph = decodeModel(bytes, where);
  if (graph.opset < 13) throw new OnnxModelError(where, `opset ${graph.opset}; the package supports opset 13 and later (re-export with opset_version >= 13)`);

  let inputName: string;
  if (options.input !== undefined) {
    if (!graph.inputs.some((i) => i.name === options.input)) {
      throw new OnnxModelError("options.input", `no graph input named "${options.input}"; inputs: ${graph.inputs.map((i) => `"${i.name}"`).join(", ")}`);
    }
    inputName = options.input;
  } else {
    if (graph.inputs.length !== 1) {
      throw new OnnxModelError(where, `the graph has ${graph.inputs.length} inputs (${graph.inputs.map((i) => `"${i.name}"`).join(", ")}); name the one to differentiate with options.input`);
    }
    inputName = graph.inputs[0].name;
  }
  if (graph.inputs.length !== 1) {
    throw new OnnxModelError(where, `the graph has ${graph.inputs.length} inputs; only single-input graphs are supported (the others would need feeds)`);
  }
  const outputName = options.output ?? graph.outputs[0].name;
  if (!graph.outputs.some((o) => o.name === outputName)) {
    throw new OnnxModelError("options.output", `no graph output named "${outputName}"; outputs: ${graph.outputs.map((o) => `"${o.name}"`).join(", ")}`);
  }
  const input = graph.inputs.find((i) => i.name === inputName)!;
  if (input.dataType !== DataType.FLOAT && input.dataType !== DataType.DOUBLE) {
    throw new OnnxModelError(where, `input "${inputName}" has element type ${input.dataType}; expected float (1) or double (11)`);
  }

  let inputShape: number[];
  if (options.inputShape) {
    inputShape = [...options.inputShape];
    inputShape.forEach((d, i) => checkInteger(`options.inputShape[${i}]`, d, i === 0 ? -1 : 1));
  } else {
    inputShape = (input.shape ?? []).map((d, i) => (typeof d === "string" || d < 0 ? (i === 0 ? -1 : NaN) : d));
    if (inputShape.length === 0 || inputShape.slice(1).some((d) => !Number.isFinite(d))) {
      throw new OnnxModelError(where, `input "${inputName}" has shape [${(input.shape ?? []).join(", ")}] with free axes besides the batch axis; pass options.inputShape`);
    }
  }
  const fixedBatch = inputShape[0] === -1 ? undefined : inputShape[0];
  const runtime = options.runtime ?? (await defaultRuntime());
  const shapes = await probeShapes(runtime, graph, new Map([[inputName, inputShape]]), where);

  const active = activeTensors(graph.nodes, inputName, shapes);
  if (!active.has(outputName)) throw new OnnxModelError(where, `output "${outputName}" does not depend on input "${inputName}"`);
  // Run every rule once (into a scratch builder) so that unsupported attributes fail here, at load time.
  const scratch = new GraphBuilder(graph, { opset: Math.max(17, graph.opset) });
  reverseMode(scratch, shapes, { wrt: inputName, target: outputName, seed: outputName });

  const hiddenTensors = graph.nodes.filter((n) => ACTIVATION_OPS.has(n.opType) && active.has(n.inputs[0])).map((n) => n.inputs[0]);
  const outputShape = shapes.shape(outputName);
  const rowSize = (shape: readonly number[]) => shape.slice(1).reduce((a, b) => a * b, 1);
  return Object.freeze({
    graph,
    inputName,
    outputName,
    outputNames: graph.outputs.map((o) => o.name),
    inputShape: Object.freeze(inputShape),
    outputShape,
    dim: rowSize(inputShape),
    outputSize: rowSize(outputShape),
    fixedBatch,
    precision: input.dataType === DataType.DOUBLE ? "float64" : "float32",
    hiddenTensors: Object.freeze(hiddenTensors),
    shapes,
    runtime,
  });
}

/**
 * Run the model forward on `n` rows and return output `name` (default the model's output), row-major
 * `n × outputSize`. Creates and releases a session: for occasional use (a predicted class, tests).
 * @throws {@link DimensionMismatchError} when `points` does not hold `n × dim` finite numbers.
 */
export async function runForward(model: OnnxModel, points: ArrayLike<number>, n: number, name = model.outputName): Promise<Float64Array> {
  const count = checkInteger("n", n, 1);
  checkFiniteArray("points", points, count * model.dim);
  const b = new GraphBuilder(model.graph);
  const type = model.shapes.dataType(name) ?? DataType.FLOAT;
  const bytes = encodeModel(b.finish({ outputs: [{ name, dataType: type }] }));
  const owned = await createSession(model.runtime, bytes, { threads: 1 });
  try {
    const outputs: number[] = [];
    const batch = model.fixedBatch ?? count;
    for (let start = 0; start < count; start += batch) {
      const rows = Math.min(batch, count - start);
      const data = model.precision === "float64" ? new Float64Array(batch * model.dim) : new Float32Array(batch * model.dim);
      for (let i = 0; i < rows * model.dim; i++) data[i] = points[start * model.dim + i];
      const feed = new model.runtime.Tensor(model.precision, data, [batch, ...model.inputShape.slice(1)]);
      const result = await owned.session.run({ [model.inputName]: feed });
      const out = result[name].data as Float32Array;
      const rowSize = out.length / batch;
      for (let i = 0; i < rows * rowSize; i++) outputs.push(out[i]);
    }
    return Float64Array.from(outputs);
  } finally {
    await owned.release();
  }
}

/** @internal the dimension check shared by the oracles. */
export function checkBatch(model: Pick<OnnxModel, "dim">, points: ArrayLike<number>, n: number): number {
  const count = checkInteger("n", n, 0);
  if (!points || typeof points.length !== "number" || points.length !== count * model.dim) {
    throw new DimensionMismatchError("points", `${count} × ${model.dim} = ${count * model.dim} numbers (n rows of dim)`, described(`length ${points?.length}`));
  }
  return count;
}
