import { describe, expect, it } from "vitest";
import type { IrNode, IrTensor } from "../ir/graph.js";
import { loadOnnxModel } from "../onnx-model.js";
import { attr, floatTensor, graphBytes, node, pseudoRandom } from "../test-support.js";
import { onnxSurrogates } from "./onnx-surrogates.js";

const t = (dims: number[], seed: number, scale = 0.5): IrTensor => floatTensor(pseudoRandom(dims.reduce((a, b) => a * b, 1), seed).map((v) => scale * v), dims, "float32");

/**
 * A small ReLU CNN: Conv, BatchNorm, Relu, MaxPool (or an AveragePool of the same geometry), grouped Conv, Relu,
 * AveragePool, Flatten, Gemm.
 */
function cnn(pool: "MaxPool" | "AveragePool" = "MaxPool"): Uint8Array {
  const nodes: IrNode[] = [
    node("Conv", ["x", "K1", "b1"], ["c1"], { pads: attr.ints([1, 1, 1, 1]) }),
    node("BatchNormalization", ["c1", "s", "bb", "m", "v"], ["n1"]),
    node("Relu", ["n1"], ["r1"]),
    node(pool, ["r1"], ["p1"], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }),
    node("Conv", ["p1", "K2"], ["c2"], { group: attr.int(2), strides: attr.ints([1, 1]), pads: attr.ints([1, 1, 1, 1]) }),
    node("Relu", ["c2"], ["r2"]),
    node("AveragePool", ["r2"], ["p2"], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }),
    node("Flatten", ["p2"], ["f"], { axis: attr.int(1) }),
    node("Gemm", ["f", "W", "c"], ["y"], { transB: attr.int(1) }),
  ];
  const initializers = {
    K1: t([4, 1, 3, 3], 1, 1), b1: t([4], 2), s: t([4], 3, 1), bb: t([4], 4), m: t([4], 5),
    v: floatTensor([0.5, 1, 1.5, 2], [4], "float32"), K2: t([4, 2, 3, 3], 6, 1), W: t([3, 16], 7, 1), c: t([3], 8),
  };
  return graphBytes({ nodes, inputShape: [1, 8, 8], initializers });
}

describe("second order on a CNN (float32)", () => {
  it("the structured Hessian equals d Hessian-vector products (3 activations × 3 targets, relative 1e-4)", async () => {
    const model = await loadOnnxModel(cnn());
    const d = model.dim;
    const x0 = Float64Array.from(pseudoRandom(d, 61));
    const structured = await onnxSurrogates(model, { threads: 1, hessianMethod: "structured" });
    const products = await onnxSurrogates(model, { threads: 1, hessianMethod: "hvp" });
    try {
      for (const activation of [{ name: "softplus", beta: 2 }, { name: "swish", beta: 2 }, { name: "gelu" }] as const) {
        for (const target of [{ output: 1 }, { softmax: 0 }, { layer: 2, unit: 9 }] as const) {
          const h1 = (await structured.surrogate(activation).hessians(x0, 1, target)).hessians;
          const h2 = (await products.surrogate(activation).hessians(x0, 1, target)).hessians;
          let diff = 0, norm = 0;
          for (let i = 0; i < h1.length; i++) {
            diff = Math.max(diff, Math.abs(h1[i] - h2[i]));
            norm = Math.max(norm, Math.abs(h2[i]));
          }
          expect(norm).toBeGreaterThan(0);
          expect(diff).toBeLessThanOrEqual(1e-4 * norm);
        }
      }
    } finally {
      await structured.dispose();
      await products.dispose();
    }
  });

  it("Hessian-vector products equal central differences of the exact gradients", async () => {
    // Without MaxPool: its gradient jumps where a window's maximum changes, which central differences straddle.
    const model = await loadOnnxModel(cnn("AveragePool"));
    const d = model.dim;
    const x0 = Float64Array.from(pseudoRandom(d, 61));
    const products = await onnxSurrogates(model, { threads: 1, hessianMethod: "hvp" });
    try {
      // float32: step 1e-2 on a smooth surrogate
      const model2 = products.surrogate({ name: "softplus", beta: 2 });
      const v = pseudoRandom(d, 62);
      const { products: hv } = await model2.hessianVectorProducts(x0, v, 1, { output: 2 });
      const oracle = model2.oracle({ output: 2 });
      const h = 1e-2;
      const points = new Float32Array(2 * d);
      for (let j = 0; j < d; j++) {
        points[j] = x0[j] + h * v[j];
        points[d + j] = x0[j] - h * v[j];
      }
      const { gradients } = await oracle.evaluate(points, 2);
      await oracle.dispose?.();
      let diff = 0, norm = 0;
      for (let j = 0; j < d; j++) {
        const fd = (gradients[j] - gradients[d + j]) / (2 * h);
        diff = Math.max(diff, Math.abs(fd - hv[j]));
        norm = Math.max(norm, Math.abs(hv[j]));
      }
      expect(diff).toBeLessThanOrEqual(2e-3 * norm);
    } finally {
      await products.dispose();
    }
  });
});

describe("second order through Pad and MaxPool (float64 graph, the pattern PyTorch exports for a padded max-pool)", () => {
  it("Hessian-vector products and structured Hessians equal central differences of exact gradients", async () => {
    const f64 = (dims: number[], seed: number, scale = 0.5) => floatTensor(pseudoRandom(dims.reduce((a, b) => a * b, 1), seed).map((v) => scale * v), dims, "float64");
    const nodes: IrNode[] = [
      node("Pad", ["x", "pads", "fill"], ["padded"]),
      node("MaxPool", ["padded"], ["p"], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]) }),
      node("Flatten", ["p"], ["f"], { axis: attr.int(1) }),
      node("Gemm", ["f", "W1", "b1"], ["z"], { transB: attr.int(1) }),
      node("Relu", ["z"], ["a"]),
      node("Gemm", ["a", "W2", "b2"], ["y"], { transB: attr.int(1) }),
    ];
    const initializers = {
      W1: f64([7, 18], 71, 1), b1: f64([7], 72), W2: f64([3, 7], 73, 1), b2: f64([3], 74),
      pads: { dataType: 7, dims: [8], data: BigInt64Array.of(0n, 0n, 1n, 1n, 0n, 0n, 1n, 1n) },
      fill: floatTensor([-Infinity], [], "float64"),
    };
    const model = await loadOnnxModel(graphBytes({ nodes, inputShape: [2, 5, 5], initializers, precision: "float64" }));
    const d = model.dim;
    const x0 = Float64Array.from(pseudoRandom(d, 75));
    for (const method of ["structured", "hvp"] as const) {
      const network = await onnxSurrogates(model, { threads: 1, hessianMethod: method });
      try {
        const surrogate = network.surrogate({ name: "softplus", beta: 3 });
        const { hessians } = await surrogate.hessians(x0, 1, { crossEntropy: 1 });
        const v = pseudoRandom(d, 76);
        const { products } = await surrogate.hessianVectorProducts(x0, v, 1, { crossEntropy: 1 });
        const oracle = surrogate.oracle({ crossEntropy: 1 });
        const h = 1e-6;
        const points = new Float64Array(2 * d);
        for (let j = 0; j < d; j++) {
          points[j] = x0[j] + h * v[j];
          points[d + j] = x0[j] - h * v[j];
        }
        const { gradients } = await oracle.evaluate(points, 2);
        await oracle.dispose?.();
        let diff = 0, diffH = 0, norm = 0;
        for (let i = 0; i < d; i++) {
          const fd = (gradients[i] - gradients[d + i]) / (2 * h);
          let hv = 0;
          for (let j = 0; j < d; j++) hv += hessians[i * d + j] * v[j];
          diff = Math.max(diff, Math.abs(fd - products[i]));
          diffH = Math.max(diffH, Math.abs(fd - hv));
          norm = Math.max(norm, Math.abs(fd));
        }
        expect(norm).toBeGreaterThan(0);
        expect(diff).toBeLessThanOrEqual(1e-6 * norm);
        expect(diffH).toBeLessThanOrEqual(1e-6 * norm);
      } finally {
        await network.dispose();
      }
    }
  });
});

describe("second order through Pow, Reciprocal, Clip and Tanh (float64 graph, Hessian-vector products)", () => {
  it("equal central differences of exact gradients", async () => {
    const f64 = (dims: number[], seed: number, scale = 0.5) => floatTensor(pseudoRandom(dims.reduce((a, b) => a * b, 1), seed).map((v) => scale * v), dims, "float64");
    const nodes: IrNode[] = [
      node("Gemm", ["x", "W1", "b1"], ["z"], { transB: attr.int(1) }),
      node("Relu", ["z"], ["a"]),
      node("Pow", ["a", "two"], ["sq"]),
      node("Add", ["sq", "one"], ["s1"]),
      node("Reciprocal", ["s1"], ["r"]),
      node("Tanh", ["z"], ["t"]),
      node("Clip", ["t", "lo", "hi"], ["c"]),
      node("Add", ["r", "c"], ["h"]),
      node("Gemm", ["h", "W2", "b2"], ["y"], { transB: attr.int(1) }),
    ];
    const initializers = {
      W1: f64([6, 4], 81, 1), b1: f64([6], 82), W2: f64([3, 6], 83, 1), b2: f64([3], 84),
      two: floatTensor([2], [], "float64"), one: floatTensor([1], [], "float64"),
      lo: floatTensor([-0.6], [], "float64"), hi: floatTensor([0.7], [], "float64"),
    };
    const model = await loadOnnxModel(graphBytes({ nodes, inputShape: [4], initializers, precision: "float64" }));
    const network = await onnxSurrogates(model, { threads: 1 });
    try {
      const surrogate = network.surrogate({ name: "swish", beta: 2 });
      const x0 = pseudoRandom(4, 85);
      const v = pseudoRandom(4, 86);
      const { products } = await surrogate.hessianVectorProducts(x0, v, 1, { softmax: 1 });
      const oracle = surrogate.oracle({ softmax: 1 });
      const h = 1e-6;
      const points = Float64Array.from([...x0.map((x, j) => x + h * v[j]), ...x0.map((x, j) => x - h * v[j])]);
      const { gradients } = await oracle.evaluate(points, 2);
      await oracle.dispose?.();
      let diff = 0, norm = 0;
      for (let j = 0; j < 4; j++) {
        const fd = (gradients[j] - gradients[4 + j]) / (2 * h);
        diff = Math.max(diff, Math.abs(fd - products[j]));
        norm = Math.max(norm, Math.abs(fd));
      }
      expect(norm).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-6 * norm);
      const { hessians } = await surrogate.hessians(Float64Array.from(x0), 1, { softmax: 1 }); // falls back to HVPs
      let hv = 0;
      for (let j = 0; j < 4; j++) hv += hessians[j] * v[j];
      expect(hv).toBeCloseTo(products[0], 8);
    } finally {
      await network.dispose();
    }
  });
});
