import { describe, it } from "vitest";
import type { IrNode, IrTensor } from "../ir/graph.js";
import { attr, expectGradientsMatchDifferences, floatTensor, graphBytes, node, pseudoRandom } from "../test-support.js";

type Precision = "float32" | "float64";

/** One operator (or a tiny pattern) to differentiate: `x` → … → `y`. */
interface OpCase {
  name: string;
  inputShape: number[];
  nodes: IrNode[];
  /** Initializers as (values, dims). */
  constants?: Record<string, [number[], number[]]>;
  /** Shift of the random inputs (e.g. positive for Log/Sqrt). */
  offset?: number;
  opset?: number;
  /** ONNX Runtime has no float64 kernel: check in float32 with a larger step. */
  float32Only?: boolean;
}

const W = (rows: number, cols: number, seed = 3): [number[], number[]] => [pseudoRandom(rows * cols, seed), [rows, cols]];
const V = (length: number, seed = 5): [number[], number[]] => [pseudoRandom(length, seed), [length]];
const T = (dims: number[], seed = 9): [number[], number[]] => [pseudoRandom(dims.reduce((a, b) => a * b, 1), seed), dims];
const unary = (op: string, attributes = {}, offset = 0, float32Only = false): OpCase => ({
  name: op,
  inputShape: [5],
  nodes: [node(op, ["x"], ["y"], attributes)],
  offset,
  float32Only,
});

const cases: OpCase[] = [
  { name: "Gemm (transB, bias)", inputShape: [4], nodes: [node("Gemm", ["x", "W", "b"], ["y"], { transB: attr.int(1), alpha: attr.float(0.7), beta: attr.float(1.3) })], constants: { W: W(3, 4), b: V(3) } },
  { name: "Gemm (no transposes)", inputShape: [4], nodes: [node("Gemm", ["x", "W", "b"], ["y"])], constants: { W: W(4, 3), b: [[0.5], [1]] } },
  {
    name: "Gemm (x as B, transB; x as B with transA)",
    inputShape: [4],
    nodes: [
      node("Gemm", ["A", "x"], ["t"], { transB: attr.int(1) }),
      node("Gemm", ["At", "x"], ["u"], { transA: attr.int(1), transB: attr.int(1) }),
      node("Add", ["t", "u"], ["s"]),
      node("Transpose", ["s"], ["y"], { perm: attr.ints([1, 0]) }),
    ],
    constants: { A: W(3, 4), At: W(4, 3, 11) },
  },
  { name: "MatMul (2-D)", inputShape: [4], nodes: [node("MatMul", ["x", "W"], ["y"])], constants: { W: W(4, 3) } },
  { name: "MatMul (batched 3-D × 2-D)", inputShape: [2, 4], nodes: [node("MatMul", ["x", "W"], ["y"])], constants: { W: W(4, 3) } },
  { name: "MatMul (constant × x, 1-D weights)", inputShape: [3, 4], nodes: [node("MatMul", ["A", "x"], ["t"]), node("MatMul", ["t", "v"], ["y"])], constants: { A: W(2, 3), v: V(4) } },
  { name: "Add (broadcast bias, x + x)", inputShape: [2, 3], nodes: [node("Add", ["x", "b"], ["t"]), node("Add", ["t", "x"], ["y"])], constants: { b: V(3) } },
  { name: "Sub", inputShape: [3], nodes: [node("Sub", ["b", "x"], ["t"]), node("Sub", ["t", "x"], ["y"])], constants: { b: V(3) } },
  { name: "Mul (x·x, x·c)", inputShape: [3], nodes: [node("Mul", ["x", "x"], ["t"]), node("Mul", ["t", "c"], ["y"])], constants: { c: V(3) } },
  { name: "Div (x/c, c/x)", inputShape: [3], nodes: [node("Div", ["x", "c"], ["t"]), node("Div", ["c", "x"], ["u"]), node("Add", ["t", "u"], ["y"])], constants: { c: V(3) }, offset: 2 },
  unary("Neg"),
  unary("Relu"),
  unary("LeakyRelu", { alpha: attr.float(0.2) }),
  unary("Sigmoid"),
  unary("Tanh"),
  unary("Softplus", {}, 0, true),
  unary("Elu", { alpha: attr.float(0.8) }, 0, true),
  { ...unary("Gelu"), opset: 20, float32Only: true },
  {
    name: "GELU as PyTorch exports it (Div, Erf, Add, Mul)",
    inputShape: [5],
    nodes: [node("Div", ["x", "r2"], ["u"]), node("Erf", ["u"], ["e"]), node("Add", ["e", "one"], ["p"]), node("Mul", ["x", "p"], ["q"]), node("Mul", ["q", "half"], ["y"])],
    constants: { r2: [[Math.SQRT2], []], one: [[1], []], half: [[0.5], []] },
    float32Only: true,
  },
  unary("Exp"),
  { name: "Clip (ReLU6 bounds, and min only)", inputShape: [6], nodes: [node("Clip", ["x", "lo", "hi"], ["t"]), node("Clip", ["t", "lo2"], ["y"])], constants: { lo: [[-0.5], []], hi: [[0.8], []], lo2: [[0.1], []] } },
  { name: "Pow (constant exponents 2 and 1.5)", inputShape: [4], nodes: [node("Pow", ["x", "two"], ["t"]), node("Pow", ["t", "p"], ["y"])], constants: { two: [[2], []], p: [[1.5], []] }, offset: 2 },
  { name: "Reciprocal", inputShape: [4], nodes: [node("Reciprocal", ["x"], ["y"])], offset: 2 },
  unary("Log", {}, 2),
  unary("Sqrt", {}, 2),
  { float32Only: true,
    name: "Conv 2-D (stride 2, pads, bias)",
    inputShape: [2, 5, 5],
    nodes: [node("Conv", ["x", "K", "kb"], ["y"], { strides: attr.ints([2, 2]), pads: attr.ints([1, 0, 1, 1]), kernel_shape: attr.ints([3, 3]) })],
    constants: { K: T([3, 2, 3, 3]), kb: V(3) },
  },
  { float32Only: true,
    name: "Conv 2-D (groups 2, dilations 2)",
    inputShape: [4, 6, 6],
    nodes: [node("Conv", ["x", "K"], ["y"], { group: attr.int(2), dilations: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) })],
    constants: { K: T([4, 2, 2, 2]) },
  },
  { float32Only: true,
    name: "Conv 2-D (auto_pad SAME_UPPER, stride 2)",
    inputShape: [1, 6, 5],
    nodes: [node("Conv", ["x", "K"], ["y"], { auto_pad: attr.string("SAME_UPPER"), strides: attr.ints([2, 2]) })],
    constants: { K: T([2, 1, 3, 3]) },
  },
  { float32Only: true,
    name: "Conv 1-D (stride 2, pads, dilations, groups)",
    inputShape: [2, 9],
    nodes: [node("Conv", ["x", "K", "kb"], ["y"], { strides: attr.ints([2]), pads: attr.ints([2, 1]), dilations: attr.ints([2]), group: attr.int(2) })],
    constants: { K: T([4, 1, 3]), kb: V(4) },
  },
  {
    name: "BatchNormalization (inference)",
    inputShape: [3, 2, 2],
    nodes: [node("BatchNormalization", ["x", "s", "bb", "m", "v"], ["y"], { epsilon: attr.float(1e-3) })],
    constants: { s: V(3, 1), bb: V(3, 2), m: V(3, 3), v: [[0.5, 1.5, 2], [3]] },
  },
  {
    name: "MaxPool 2-D (overlapping 3×3 windows, stride 2, pads)",
    inputShape: [2, 5, 5],
    nodes: [node("MaxPool", ["x"], ["y"], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) })],
  },
  { name: "MaxPool 1-D", inputShape: [2, 8], nodes: [node("MaxPool", ["x"], ["y"], { kernel_shape: attr.ints([2]), strides: attr.ints([2]) })] },
  { float32Only: true,
    name: "AveragePool 2-D (pads, count_include_pad = 0)",
    inputShape: [2, 5, 5],
    nodes: [node("AveragePool", ["x"], ["y"], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) })],
  },
  { float32Only: true,
    name: "AveragePool 2-D (count_include_pad = 1)",
    inputShape: [2, 4, 4],
    nodes: [node("AveragePool", ["x"], ["y"], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([1, 1]), pads: attr.ints([1, 1, 0, 0]), count_include_pad: attr.int(1) })],
  },
  { float32Only: true, name: "AveragePool 1-D", inputShape: [2, 7], nodes: [node("AveragePool", ["x"], ["y"], { kernel_shape: attr.ints([3]), strides: attr.ints([2]) })] },
  { float32Only: true, name: "GlobalAveragePool", inputShape: [3, 3, 4], nodes: [node("GlobalAveragePool", ["x"], ["y"])] },
  { name: "ReduceMean (axes 2, keepdims 0)", inputShape: [3, 4], nodes: [node("ReduceMean", ["x"], ["y"], { axes: attr.ints([2]), keepdims: attr.int(0) })] },
  { name: "ReduceMean (opset 18: axes as an input)", inputShape: [3, 4], nodes: [node("ReduceMean", ["x", "ax"], ["y"], { keepdims: attr.int(1) })], constants: { ax: [[2], [1]] }, opset: 18 },
  { name: "ReduceSum (axes input)", inputShape: [3, 4], nodes: [node("ReduceSum", ["x", "ax"], ["y"])], constants: { ax: [[1], [1]] } },
  {
    name: "Pad (constant, as PyTorch pads a MaxPool) and Slice",
    inputShape: [2, 3, 4],
    nodes: [
      node("Pad", ["x", "pads", "fill"], ["p"]),
      node("MaxPool", ["p"], ["m"], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([1, 1]) }),
      node("Slice", ["m", "starts", "ends", "axes"], ["y"]),
    ],
    constants: { pads: [[0, 0, 1, 0, 0, 0, 0, 2], [8]], fill: [[-4], []], starts: [[1, -3], [2]], ends: [[3, 100], [2]], axes: [[2, 3], [2]] },
  },
  { name: "Flatten", inputShape: [2, 3], nodes: [node("Flatten", ["x"], ["y"], { axis: attr.int(1) })] },
  { name: "Reshape", inputShape: [2, 3], nodes: [node("Reshape", ["x", "s"], ["y"])], constants: { s: [[0, 3, 2], [3]] } },
  { name: "Transpose", inputShape: [2, 3], nodes: [node("Transpose", ["x"], ["y"], { perm: attr.ints([0, 2, 1]) })] },
  { name: "Squeeze / Unsqueeze", inputShape: [1, 3], nodes: [node("Squeeze", ["x", "a1"], ["t"]), node("Unsqueeze", ["t", "a2"], ["y"])], constants: { a1: [[1], [1]], a2: [[2], [1]] } },
  { name: "Concat", inputShape: [3], nodes: [node("Relu", ["x"], ["r"]), node("Concat", ["x", "r", "x"], ["y"], { axis: attr.int(1) })] },
  { name: "Identity, Dropout (inference)", inputShape: [3], nodes: [node("Identity", ["x"], ["t"]), node("Dropout", ["t"], ["y"])] },
  {
    name: "Constant",
    inputShape: [3],
    nodes: [node("Constant", [], ["c"], { value: attr.tensor(floatTensor([1, 2, 3], [3], "float32")) }), node("Mul", ["x", "c"], ["y"])],
  },
  {
    name: "Shape → Gather → Unsqueeze → Concat → Reshape (PyTorch's flatten)",
    inputShape: [2, 3],
    nodes: [
      node("Shape", ["x"], ["s"]),
      node("Gather", ["s", "zero"], ["n"], { axis: attr.int(0) }),
      node("Unsqueeze", ["n", "axis0"], ["n1"]),
      node("Concat", ["n1", "minus1"], ["shape"], { axis: attr.int(0) }),
      node("Reshape", ["x", "shape"], ["y"]),
    ],
  },
  { name: "Softmax", inputShape: [4], nodes: [node("Softmax", ["x"], ["y"], { axis: attr.int(-1) })] },
  { name: "LogSoftmax", inputShape: [4], nodes: [node("LogSoftmax", ["x"], ["y"], { axis: attr.int(1) })] },
];

function build(c: OpCase, precision: Precision): Uint8Array {
  const initializers: Record<string, IrTensor> = {};
  for (const [name, [values, dims]] of Object.entries(c.constants ?? {})) initializers[name] = floatTensor(values, dims, precision);
  // int64 constants of the shape patterns
  const ints = (values: number[], dims: number[]): IrTensor => ({ dataType: 7, dims, data: BigInt64Array.from(values.map(BigInt)) });
  if (c.name.startsWith("Shape")) Object.assign(initializers, { zero: ints([0], []), axis0: ints([0], [1]), minus1: ints([-1], [1]) });
  for (const key of ["s", "a1", "a2", "ax", "pads", "starts", "ends", "axes"]) if (c.constants?.[key] && !c.name.startsWith("BatchNormalization")) initializers[key] = ints(c.constants[key][0], c.constants[key][1]);
  let nodes = c.nodes;
  if (precision === "float64") {
    nodes = nodes.map((n) => n.opType === "Constant" && n.attributes.value?.type === "tensor"
      ? { ...n, attributes: { value: attr.tensor(floatTensor(Array.from(n.attributes.value.value.data as Float32Array), n.attributes.value.value.dims, "float64")) } }
      : n);
  }
  return graphBytes({ nodes, inputShape: c.inputShape, initializers, precision, opset: c.opset });
}

describe("each operator's gradient equals central differences of its forward pass", () => {
  it.each(cases)("$name", async (c) => {
    const size = c.inputShape.reduce((a, b) => a * b, 1);
    const n = 2;
    const points = pseudoRandom(n * size, 17).map((v) => 1.5 * v + (c.offset ?? 0));
    if (c.float32Only) {
      // float32: step 1e-2 on smooth functions (truncation ~h², rounding ~1e-7/h)
      await expectGradientsMatchDifferences(build(c, "float32"), points, n, { h: 1e-2, tolerance: 2e-3 });
    } else {
      await expectGradientsMatchDifferences(build(c, "float64"), points, n, { h: 1e-6, tolerance: 1e-7 });
    }
  });
});
