import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** Opset of the graphs this package writes (ONNX 1.12; what PyTorch 1.13 exports by default). */
export const WRITTEN_OPSET = 17;
/** IR version that goes with {@link WRITTEN_OPSET}. */
export const WRITTEN_IR_VERSION = 8;

/** An attribute value of a node: numbers are INT when integral unless `floats`/`float` is forced. */
export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly string: string };

/** A dimension of a graph input or output: a fixed size or a named symbolic one (e.g. `"batch"`). */
export type Dimension = number | string;

/**
 * @internal A small writer of ONNX graphs over `onnx-proto` (the generated protobuf classes): nodes, float32
 * initializers stored as raw little-endian bytes (the compact form ONNX Runtime reads fastest), graph inputs and
 * outputs, and fresh tensor names. Used by the exporters and the outer-product kernel; the engine reads models
 * with its own loader.
 */
export class OnnxGraphWriter {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A tensor name not used before in this graph, built from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    while (this.used.has(name)) name = `${hint}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Keep `name` from being handed out by {@link OnnxGraphWriter.fresh} (graph inputs and outputs). */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`tensor name ${name} is already used`);
    this.used.add(name);
  }

  /** Declare a float32 graph input (its name reserved before, or fresh). */
  input(name: string, dims: readonly Dimension[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /** Declare a float32 graph output (the tensor must be produced by a node). */
  output(name: string, dims: readonly Dimension[]): void {
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 constant (initializer) of the given shape; the values are copied. */
  constant(hint: string, dims: readonly number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`constant ${hint}: ${values.length} values for shape [${dims.join(", ")}]`);
    const data = Float32Array.from(values);
    const name = this.fresh(hint);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: onnx.TensorProto.DataType.FLOAT,
      rawData: littleEndianBytes(data),
    });
    return name;
  }

  /** An int64 constant (shapes, axes). */
  int64Constant(hint: string, values: readonly number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] });
    return name;
  }

  /** Append a node; returns its output names (fresh names from `outputs` hints). */
  node(opType: string, inputs: readonly string[], outputHints: readonly string[], attributes: Record<string, AttributeValue> = {}): string[] {
    return this.nodeWithOutputs(opType, inputs, outputHints.map((hint) => this.fresh(hint)), attributes);
  }

  /** Append a node whose outputs have exactly the given (reserved or fresh) names. */
  nodeWithOutputs(opType: string, inputs: readonly string[], output: readonly string[], attributes: Record<string, AttributeValue> = {}): string[] {
    this.nodes.push({
      opType,
      name: this.fresh(`${output[0]}/${opType}`),
      input: [...inputs],
      output: [...output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return [...output];
  }

  /** One-output convenience of {@link OnnxGraphWriter.node}. */
  op(opType: string, inputs: readonly string[], outputHint: string, attributes: Record<string, AttributeValue> = {}): string {
    return this.node(opType, inputs, [outputHint], attributes)[0];
  }

  /** The serialised model (`ModelProto` bytes). */
  encode(producer: string, docString = ""): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: WRITTEN_IR_VERSION,
      opsetImport: [{ domain: "", version: WRITTEN_OPSET }],
      producerName: producer,
      producerVersion: "1",
      docString,
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: readonly Dimension[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ("int" in value) return { name, type: T.INT, i: value.int };
  if ("float" in value) return { name, type: T.FLOAT, f: value.float };
  if ("ints" in value) return { name, type: T.INTS, ints: [...value.ints] };
  if ("floats" in value) return { name, type: T.FLOATS, floats: [...value.floats] };
  return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** ONNX raw data is little-endian: the array's own bytes on a little-endian host, swapped on a big-endian one. */
function littleEndianBytes(data: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}
