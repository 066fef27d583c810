/**
 * The package's small graph IR: an ONNX graph as plain objects that the autodiff passes read and extend.
 *
 * It mirrors ONNX closely (nodes with named input/output tensors, typed attributes, initializers), so a graph
 * converts to and from the protobuf without loss for the op set the package supports, and every graph the
 * package builds is an ordinary ONNX graph that ONNX Runtime runs. Tensors are identified by name; the empty
 * name `""` is an omitted optional input, as in ONNX.
 *
 * @packageDocumentation
 */

/** ONNX `TensorProto.DataType` codes the package reads or writes. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;

/** An ONNX element-type code (`TensorProto.DataType`). */
export type DataTypeCode = number;

/** The typed array that holds the elements of an {@link IrTensor}. */
export type IrTensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** A constant tensor (an initializer or a `Constant` node's value). Row-major. */
export interface IrTensor {
  /** Element type (an ONNX `DataType` code). */
  readonly dataType: DataTypeCode;
  /** Dimensions (empty for a scalar). */
  readonly dims: readonly number[];
  /** Elements, row-major; `BigInt64Array` for int64, `Uint8Array` for bool/uint8. */
  readonly data: IrTensorData;
}

/** A typed node attribute, as ONNX stores it. */
export type IrAttribute =
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "ints"; readonly value: readonly number[] }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "tensor"; readonly value: IrTensor };

/** One operator application. */
export interface IrNode {
  /** Node name (may be empty in the file; the loader names every node). */
  readonly name: string;
  /** Operator type, e.g. `"Gemm"`. */
  readonly opType: string;
  /** Operator domain; `""` is the default ONNX domain (the only one supported). */
  readonly domain: string;
  /** Input tensor names (`""` for an omitted optional input). */
  readonly inputs: readonly string[];
  /** Output tensor names (`""` for an unused optional output). */
  readonly outputs: readonly string[];
  /** Attributes by name. */
  readonly attributes: Readonly<Record<string, IrAttribute>>;
}

/** A graph input or output: name, element type and shape (`-1` or a symbolic name for a free dimension). */
export interface IrValueInfo {
  readonly name: string;
  readonly dataType: DataTypeCode;
  /**
   * Dimensions; a number (`-1` when unknown) or the symbolic name of a free dimension such as `"batch"`.
   * Absent: the shape is not declared (ONNX Runtime takes it from the graph).
   */
  readonly shape?: readonly (number | string)[];
}

/** A whole model: one graph and its default-domain opset. */
export interface IrGraph {
  /** Nodes in topological order. */
  readonly nodes: readonly IrNode[];
  /** Real inputs (initializers excluded). */
  readonly inputs: readonly IrValueInfo[];
  readonly outputs: readonly IrValueInfo[];
  /** Constant tensors by name. */
  readonly initializers: ReadonlyMap<string, IrTensor>;
  /** Version of the default ONNX opset the graph is written in. */
  readonly opset: number;
}

/** Read an int attribute, or `fallback` when absent. */
export function intAttribute(node: IrNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a && (a.type === "int" || a.type === "float") ? a.value : fallback;
}

/** Read a float attribute, or `fallback` when absent. */
export function floatAttribute(node: IrNode, name: string, fallback: number): number {
  const a = node.attributes[name];
  return a && (a.type === "float" || a.type === "int") ? a.value : fallback;
}

/** Read an ints attribute, or `fallback` when absent. */
export function intsAttribute(node: IrNode, name: string, fallback?: readonly number[]): readonly number[] | undefined {
  const a = node.attributes[name];
  return a && a.type === "ints" ? a.value : fallback;
}

/** Read a string attribute, or `fallback` when absent. */
export function stringAttribute(node: IrNode, name: string, fallback: string): string {
  const a = node.attributes[name];
  return a && a.type === "string" ? a.value : fallback;
}

/** Attribute constructors, for building nodes: `{ transB: attr.int(1) }`. */
export const attr = {
  int: (value: number): IrAttribute => ({ type: "int", value }),
  float: (value: number): IrAttribute => ({ type: "float", value }),
  string: (value: string): IrAttribute => ({ type: "string", value }),
  ints: (value: readonly number[]): IrAttribute => ({ type: "ints", value }),
  floats: (value: readonly number[]): IrAttribute => ({ type: "floats", value }),
  tensor: (value: IrTensor): IrAttribute => ({ type: "tensor", value }),
};

/** Number of elements of a shape of known, non-negative dimensions. */
export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}
