import onnxProto from "onnx-proto";
import { OnnxModelError } from "../onnx-model-error.js";
import { DataType, type IrAttribute, type IrGraph, type IrNode, type IrTensor, type IrTensorData, type IrValueInfo } from "./graph.js";

const { onnx } = onnxProto;
type Long = { toNumber(): number };

function num(value: number | Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}

/** Decode a `TensorProto` into an {@link IrTensor} (raw or typed fields). */
export function decodeTensor(t: onnxProto.onnx.ITensorProto, where: string): IrTensor {
  const dataType = t.dataType ?? 0;
  const dims = (t.dims ?? []).map(num);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxModelError(where, `tensor "${t.name}" stores its data in an external file, which is not supported (save the model with its weights inside)`);
  }
  let count = 1;
  for (const d of dims) count *= d;
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  // Copy raw bytes into a fresh, aligned buffer (the protobuf's view may be unaligned).
  const rawCopy = raw ? new Uint8Array(raw).buffer : null;
  let data: IrTensorData;
  switch (dataType) {
    case DataType.FLOAT:
      data = rawCopy ? new Float32Array(rawCopy) : Float32Array.from(t.floatData ?? []);
      break;
    case DataType.DOUBLE:
      data = rawCopy ? new Float64Array(rawCopy) : Float64Array.from(t.doubleData ?? []);
      break;
    case DataType.INT64:
      data = rawCopy ? new BigInt64Array(rawCopy) : BigInt64Array.from((t.int64Data ?? []).map((v) => BigInt(num(v))));
      break;
    case DataType.INT32:
      data = rawCopy ? new Int32Array(rawCopy) : Int32Array.from(t.int32Data ?? []);
      break;
    case DataType.BOOL:
    case DataType.UINT8:
      data = rawCopy ? new Uint8Array(rawCopy) : Uint8Array.from(t.int32Data ?? []);
      break;
    case DataType.INT8:
      data = rawCopy ? new Int8Array(rawCopy) : Int8Array.from(t.int32Data ?? []);
      break;
    default:
      throw new OnnxModelError(where, `tensor "${t.name}" has element type ${dataType}, which is not supported (float, double, int8/32/64, uint8, bool)`);
  }
  if (data.length !== count) {
    throw new OnnxModelError(where, `tensor "${t.name}" has ${data.length} elements for dims [${dims.join(", ")}]`);
  }
  return { dataType, dims, data };
}

/** Encode an {@link IrTensor} as a `TensorProto` (raw data). */
export function encodeTensor(name: string, t: IrTensor): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name, dataType: t.dataType, dims: [...t.dims], rawData: bytes };
}

function decodeAttribute(a: onnxProto.onnx.IAttributeProto, where: string): IrAttribute | null {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT:
      return { type: "int", value: num(a.i) };
    case T.FLOAT:
      return { type: "float", value: a.f ?? 0 };
    case T.STRING:
      return { type: "string", value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case T.INTS:
      return { type: "ints", value: (a.ints ?? []).map(num) };
    case T.FLOATS:
      return { type: "floats", value: [...(a.floats ?? [])] };
    case T.TENSOR:
      return { type: "tensor", value: decodeTensor(a.t ?? {}, where) };
    default:
      return null; // graphs and other kinds: the node is reported as unsupported where it matters
  }
}

function encodeAttribute(name: string, a: IrAttribute): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case "int":
      return { name, type: T.INT, i: a.value };
    case "float":
      return { name, type: T.FLOAT, f: a.value };
    case "string":
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
    case "ints":
      return { name, type: T.INTS, ints: [...a.value] };
    case "floats":
      return { name, type: T.FLOATS, floats: [...a.value] };
    case "tensor":
      return { name, type: T.TENSOR, t: encodeTensor("", a.value) };
  }
}

function decodeValueInfo(v: onnxProto.onnx.IValueInfoProto): IrValueInfo {
  const tensor = v.type?.tensorType;
  const shape = (tensor?.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : -1,
  );
  return { name: v.name ?? "", dataType: tensor?.elemType ?? 0, shape };
}

function encodeValueInfo(v: IrValueInfo): onnxProto.onnx.IValueInfoProto {
  const shape = v.shape ? { dim: v.shape.map((d) => (typeof d === "string" ? { dimParam: d } : d >= 0 ? { dimValue: d } : {})) } : undefined;
  return { name: v.name, type: { tensorType: shape ? { elemType: v.dataType, shape } : { elemType: v.dataType } } };
}

/**
 * Decode ONNX model bytes into an {@link IrGraph}.
 * @param bytes - the serialized `ModelProto`.
 * @param where - the file path or argument name, for error messages.
 * @throws {@link OnnxModelError} when the bytes are not an ONNX model (no graph, no nodes, no default-domain
 *   opset, unsupported tensor types).
 */
export function decodeModel(bytes: Uint8Array, where: string): IrGraph {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new OnnxModelError(where, "not an ONNX model (the bytes do not parse as an ONNX ModelProto)", cause);
  }
  const g = model.graph;
  if (!g || num(model.irVersion) <= 0 || !g.node || g.node.length === 0 || !g.output || g.output.length === 0) {
    throw new OnnxModelError(where, "not an ONNX model (no IR version, graph, nodes or outputs)");
  }
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  if (!opsetEntry) throw new OnnxModelError(where, "the model imports no default ONNX opset");
  const initializers = new Map<string, IrTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? "", decodeTensor(t, where));
  const nodes: IrNode[] = g.node.map((n, i) => {
    const attributes: Record<string, IrAttribute> = {};
    for (const a of n.attribute ?? []) {
      const value = decodeAttribute(a, where);
      if (value) attributes[a.name ?? ""] = value;
    }
    return {
      name: n.name || `${n.opType}_${i}`,
      opType: n.opType ?? "",
      domain: n.domain === "ai.onnx" ? "" : n.domain ?? "",
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attributes,
    };
  });
  return {
    nodes,
    inputs: (g.input ?? []).filter((v) => !initializers.has(v.name ?? "")).map(decodeValueInfo),
    outputs: g.output.map(decodeValueInfo),
    initializers,
    opset: num(opsetEntry.version),
  };
}

/** Encode an {@link IrGraph} as ONNX model bytes (IR version 8, default domain only). */
export function encodeModel(graph: IrGraph): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: "@smoothhess/onnx",
    opsetImport: [{ domain: "", version: graph.opset }],
    graph: {
      name: "smoothhess",
      node: graph.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        domain: n.domain,
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attributes).map(([k, a]) => encodeAttribute(k, a)),
      })),
      initializer: [...graph.initializers].map(([name, t]) => encodeTensor(name, t)),
      input: graph.inputs.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
    },
  };
  return onnx.ModelProto.encode(model).finish();
}
