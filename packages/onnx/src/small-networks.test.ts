import { describe, it } from "vitest";
import type { IrNode, IrTensor } from "./ir/graph.js";
import { attr, expectGradientsMatchDifferences, floatTensor, graphBytes, node, pseudoRandom } from "./test-support.js";

const ints = (values: number[], dims = [values.length]): IrTensor => ({ dataType: 7, dims, data: BigInt64Array.from(values.map(BigInt)) });
const t = (dims: number[], seed: number, scale = 0.5, precision: "float32" | "float64" = "float32") =>
  floatTensor(pseudoRandom(dims.reduce((a, b) => a * b, 1), seed).map((v) => scale * v), dims, precision);

describe("operators inside small networks: gradients equal central differences", () => {
  it("a 2-D CNN as PyTorch exports it (Conv, BatchNorm, Relu, MaxPool, grouped Conv, Elu, AveragePool, flatten by Shape/Gather, Gemm, Tanh, Softmax)", async () => {
    const nodes: IrNode[] = [
      node("Conv", ["x", "K1", "b1"], ["c1"], { pads: attr.ints([1, 1, 1, 1]), kernel_shape: attr.ints([3, 3]) }),
      node("BatchNormalization", ["c1", "s", "bb", "m", "v"], ["n1"]),
      node("Relu", ["n1"], ["r1"]),
      node("MaxPool", ["r1"], ["p1"], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }),
      node("Conv", ["p1", "K2"], ["c2"], { group: attr.int(2), pads: attr.ints([1, 1, 1, 1]) }),
      node("Elu", ["c2"], ["e2"]),
      node("AveragePool", ["e2"], ["p2"], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }),
      node("Shape", ["p2"], ["shape"]),
      node("Gather", ["shape", "zero"], ["batch"], { axis: attr.int(0) }),
      node("Unsqueeze", ["batch", "axis0"], ["batch1"]),
      node("Concat", ["batch1", "minus1"], ["flatShape"], { axis: attr.int(0) }),
      node("Reshape", ["p2", "flatShape"], ["flat"]),
      node("Gemm", ["flat", "W1", "c"], ["h"], { transB: attr.int(1) }),
      node("Tanh", ["h"], ["a"]),
      node("Gemm", ["a", "W2", "c2b"], ["logits"], { transB: attr.int(1) }),
      node("Softmax", ["logits"], ["y"], { axis: attr.int(1) }),
    ];
    const initializers = {
      K1: t([4, 1, 3, 3], 1), b1: t([4], 2), s: t([4], 3), bb: t([4], 4), m: t([4], 5),
      v: floatTensor([0.5, 1, 1.5, 2], [4], "float32"),
      K2: t([4, 2, 3, 3], 6), W1: t([6, 16], 7), c: t([6], 8), W2: t([3, 6], 9), c2b: t([3], 10),
      zero: ints([0], []), axis0: ints([0]), minus1: ints([-1]),
    };
    const bytes = graphBytes({ nodes, inputShape: [1, 8, 8], initializers });
    await expectGradientsMatchDifferences(bytes, pseudoRandom(2 * 64, 31), 2, { h: 1e-3, tolerance: 3e-3 });
  });

  it("a 1-D CNN (Conv1d with stride and dilation, Sigmoid, MaxPool, GlobalAveragePool, Squeeze, MatMul, Add, GELU by Erf, LogSoftmax)", async () => {
    const nodes: IrNode[] = [
      node("Conv", ["x", "K"], ["c"], { strides: attr.ints([2]), dilations: attr.ints([2]), pads: attr.ints([2, 2]) }),
      node("Sigmoid", ["c"], ["s"]),
      node("MaxPool", ["s"], ["p"], { kernel_shape: attr.ints([2]), strides: attr.ints([1]) }),
      node("GlobalAveragePool", ["p"], ["g"]),
      node("Squeeze", ["g", "axes"], ["q"]),
      node("MatMul", ["q", "W"], ["mm"]),
      node("Add", ["mm", "b"], ["z"]),
      node("Div", ["z", "r2"], ["u"]),
      node("Erf", ["u"], ["e"]),
      node("Add", ["e", "one"], ["pe"]),
      node("Mul", ["z", "pe"], ["gz"]),
      node("Mul", ["gz", "half"], ["gelu"]),
      node("LogSoftmax", ["gelu"], ["y"], { axis: attr.int(-1) }),
    ];
    const initializers = {
      K: t([5, 2, 3], 11, 1), W: t([5, 4], 12, 1), b: t([4], 13),
      r2: floatTensor([Math.SQRT2], [], "float32"), one: floatTensor([1], [], "float32"), half: floatTensor([0.5], [], "float32"),
      axes: ints([2]),
    };
    const bytes = graphBytes({ nodes, inputShape: [2, 12], initializers });
    await expectGradientsMatchDifferences(bytes, pseudoRandom(2 * 24, 32), 2, { h: 1e-2, tolerance: 3e-3 });
  });

  it("a float64 MLP with mixed activations (Sigmoid, Tanh, LeakyRelu, Relu), MatMul and Gemm, Sub/Mul/Div/Neg, Transpose, Concat and ReduceMean", async () => {
    const p = "float64" as const;
    const nodes: IrNode[] = [
      node("MatMul", ["x", "A"], ["h1"]),
      node("Sigmoid", ["h1"], ["a1"]),
      node("Gemm", ["a1", "B", "bb"], ["h2"], { transB: attr.int(1) }),
      node("Tanh", ["h2"], ["a2"]),
      node("LeakyRelu", ["h2"], ["l2"], { alpha: attr.float(0.1) }),
      node("Concat", ["a2", "l2"], ["cat"], { axis: attr.int(1) }),
      node("Mul", ["cat", "cat"], ["sq"]),
      node("Sub", ["sq", "cat"], ["d"]),
      node("Div", ["d", "k"], ["dk"]),
      node("Neg", ["dk"], ["nd"]),
      node("Relu", ["nd"], ["r"]),
      node("Unsqueeze", ["r", "one"], ["r3"]),
      node("Transpose", ["r3"], ["rt"], { perm: attr.ints([0, 2, 1]) }),
      node("ReduceMean", ["rt"], ["y"], { axes: attr.ints([2]), keepdims: attr.int(0) }),
    ];
    const initializers = { A: t([5, 6], 21, 1, p), B: t([4, 6], 22, 1, p), bb: t([4], 23, 1, p), k: t([8], 24, 1, p), one: ints([1]) };
    const bytes = graphBytes({ nodes, inputShape: [5], initializers, precision: p });
    await expectGradientsMatchDifferences(bytes, pseudoRandom(3 * 5, 33), 3, { h: 1e-6, tolerance: 1e-7 });
  });
});
