import { DataType, type DataTypeCode, type IrAttribute, type IrGraph, type IrNode, type IrTensor, type IrValueInfo } from "./graph.js";

/**
 * Appends nodes and constants to a copy of a graph, with fresh tensor names. The autodiff passes, the targets and
 * the second-order builders all emit ONNX through one of these.
 *
 * @example
 * ```ts
 * const b = new GraphBuilder(graph);
 * const y = b.op("Relu", [x]);
 * const two = b.scalar(2);
 * const z = b.op("Mul", [y, two]);
 * const out = b.finish({ outputs: [{ name: z, dataType: DataType.FLOAT, shape: ["batch", 3] }] });
 * ```
 */
export class GraphBuilder {
  /** Nodes so far: the base graph's, then everything appended. */
  readonly nodes: IrNode[];
  /** Constants so far. */
  readonly initializers: Map<string, IrTensor>;
  /** The floating-point element type constants are created in (`FLOAT`, or `DOUBLE` for a float64 graph). */
  readonly floatType: DataTypeCode;
  /** The opset of the emitted graph. */
  readonly opset: number;
  private counter = 0;
  private readonly prefix: string;
  private readonly scalars = new Map<string, string>();

  /**
   * @param base - the graph to extend (its nodes and initializers are copied by reference, not mutated).
   * @param options - `floatType` (default from the base graph's first float input, else FLOAT), `opset`
   *   (default the base graph's), `prefix` of fresh names (default `"sh"`).
   */
  constructor(
    readonly base: IrGraph,
    options: { floatType?: DataTypeCode; opset?: number; prefix?: string } = {},
  ) {
    this.nodes = [...base.nodes];
    this.initializers = new Map(base.initializers);
    this.floatType = options.floatType ?? (base.inputs.find((i) => i.dataType === DataType.DOUBLE) ? DataType.DOUBLE : DataType.FLOAT);
    this.opset = options.opset ?? base.opset;
    this.prefix = options.prefix ?? "sh";
  }

  /** A tensor name not used in the graph, built from `hint`. */
  fresh(hint: string): string {
    return `${this.prefix}:${hint}:${this.counter++}`;
  }

  /**
   * Append one node and return the names of its outputs.
   * @param opType - ONNX operator type.
   * @param inputs - input tensor names (`""` for an omitted optional input).
   * @param attributes - attributes ({@link attr} helpers build them).
   * @param outputs - number of outputs (default 1).
   */
  ops(opType: string, inputs: readonly string[], attributes: Record<string, IrAttribute> = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, (_, i) => this.fresh(`${opType}${outputs > 1 ? i : ""}`));
    this.nodes.push({ name: this.fresh(opType), opType, domain: "", inputs: [...inputs], outputs: names, attributes });
    return names;
  }

  /** Append one node with a single output and return that output's name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, IrAttribute> = {}): string {
    return this.ops(opType, inputs, attributes, 1)[0];
  }

  /** Add a constant tensor as an initializer and return its name. */
  constant(tensor: IrTensor, hint = "const"): string {
    const name = this.fresh(hint);
    this.initializers.set(name, tensor);
    return name;
  }

  /** A floating-point constant of {@link floatType} (created once per value and shape). */
  floats(values: ArrayLike<number>, dims: readonly number[]): string {
    const key = `f${dims.join("x")}:${Array.from(values).join(",")}`;
    const known = this.scalars.get(key);
    if (known !== undefined && values.length <= 16) return known;
    const data = this.floatType === DataType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values);
    const name = this.constant({ dataType: this.floatType, dims, data }, "f");
    if (values.length <= 16) this.scalars.set(key, name);
    return name;
  }

  /** A rank-0 floating-point constant. */
  scalar(value: number): string {
    return this.floats([value], []);
  }

  /** An int64 constant (a 1-D list by default; `dims = []` for a scalar). */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i${dims.join("x")}:${values.join(",")}`;
    const known = this.scalars.get(key);
    if (known !== undefined) return known;
    const name = this.constant({ dataType: DataType.INT64, dims, data: BigInt64Array.from(values.map((v) => BigInt(v))) }, "i");
    this.scalars.set(key, name);
    return name;
  }

  /** The graph so far, with the given inputs (default: the base graph's) and outputs. */
  finish(io: { inputs?: readonly IrValueInfo[]; outputs: readonly IrValueInfo[] }): IrGraph {
    return {
      nodes: [...this.nodes],
      inputs: io.inputs ?? this.base.inputs,
      outputs: io.outputs,
      initializers: new Map(this.initializers),
      opset: this.opset,
    };
  }
}
