import { DataType, type DataTypeCode, type IrGraph, intAttribute } from "./graph.js";

/** Operators whose outputs are int64 whatever their inputs. */
const INT64_OUTPUT = new Set(["Shape", "Size", "ArgMax", "ArgMin", "NonZero"]);
/** Operators whose outputs are bool. */
const BOOL_OUTPUT = new Set(["Greater", "Less", "Equal", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor", "IsNaN", "IsInf"]);

/**
 * The element type of every tensor of `graph` (inputs, initializers, node outputs), by a small forward pass over
 * the operator set the package handles: most operators keep their first input's type, `Shape` gives int64,
 * comparisons give bool, `Cast` its `to`, `Constant` its value's. The optional second output of `MaxPool`
 * (`Indices`) is int64.
 */
export function inferDataTypes(graph: IrGraph): Map<string, DataTypeCode> {
  const types = new Map<string, DataTypeCode>();
  for (const i of graph.inputs) types.set(i.name, i.dataType);
  for (const [name, t] of graph.initializers) types.set(name, t.dataType);
  for (const node of graph.nodes) {
    let type: DataTypeCode;
    if (INT64_OUTPUT.has(node.opType)) type = DataType.INT64;
    else if (BOOL_OUTPUT.has(node.opType)) type = DataType.BOOL;
    else if (node.opType === "Cast") type = intAttribute(node, "to", DataType.FLOAT);
    else if (node.opType === "Constant") {
      const v = node.attributes.value;
      if (v?.type === "tensor") type = v.value.dataType;
      else if (node.attributes.value_int || node.attributes.value_ints) type = DataType.INT64;
      else type = DataType.FLOAT;
    } else if (node.opType === "ConstantOfShape") {
      const v = node.attributes.value;
      type = v?.type === "tensor" ? v.value.dataType : DataType.FLOAT;
    } else if (node.opType === "Where") type = types.get(node.inputs[1]) ?? DataType.FLOAT;
    else type = types.get(node.inputs[0]) ?? DataType.FLOAT;
    node.outputs.forEach((o, k) => {
      if (!o) return;
      types.set(o, node.opType === "MaxPool" && k === 1 ? DataType.INT64 : type);
    });
  }
  return types;
}
