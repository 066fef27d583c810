// Helpers shared by the package's tests: small ONNX graphs built in code, and finite-difference checks.
import type { DenseNetwork } from "@smoothhess/oracle";
import { expect } from "vitest";
import { DataType, attr, type IrAttribute, type IrGraph, type IrNode, type IrTensor } from "./ir/graph.js";
import { encodeModel } from "./ir/proto-codec.js";
import { loadOnnxModel, type OnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import type { OnnxTarget } from "./target.js";
import { GraphBuilder } from "./ir/graph-builder.js";
import { reduce } from "./autodiff/rules/helpers.js";

export { attr };

/** A deterministic pseudo-random sequence in [-1, 1) (tests only). */
export function pseudoRandom(count: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** A float tensor of the given precision. */
export function floatTensor(values: readonly number[], dims: readonly number[], precision: "float32" | "float64"): IrTensor {
  const data = precision === "float64" ? Float64Array.from(values) : Float32Array.from(values);
  return { dataType: precision === "float64" ? DataType.DOUBLE : DataType.FLOAT, dims, data };
}

/** A node in a test graph. */
export function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, IrAttribute> = {}): IrNode {
  return { name: `${opType}:${outputs[0]}`, opType, domain: "", inputs, outputs, attributes };
}

/** Bytes of a one-input graph `x` (batch axis free) → `y`. */
export function graphBytes(spec: {
  nodes: IrNode[];
  inputShape: readonly number[];
  initializers?: Record<string, IrTensor>;
  precision?: "float32" | "float64";
  opset?: number;
  output?: string;
}): Uint8Array {
  const type = spec.precision === "float64" ? DataType.DOUBLE : DataType.FLOAT;
  const graph: IrGraph = {
    nodes: spec.nodes,
    inputs: [{ name: "x", dataType: type, shape: ["batch", ...spec.inputShape] }],
    outputs: [{ name: spec.output ?? "y", dataType: type }],
    initializers: new Map(Object.entries(spec.initializers ?? {})),
    opset: spec.opset ?? 17,
  };
  return encodeModel(graph);
}

/** The ONNX form of a DenseNetwork (Gemm with transB = 1, as PyTorch exports `nn.Linear`, and Relu). */
export function denseNetworkGraph(network: DenseNetwork, precision: "float32" | "float64" = "float32"): Uint8Array {
  const nodes: IrNode[] = [];
  const initializers: Record<string, IrTensor> = {};
  let current = "x";
  network.layers.forEach((layer, l) => {
    initializers[`W${l}`] = floatTensor(Array.from(layer.weights), [layer.outputs, layer.inputs], precision);
    initializers[`b${l}`] = floatTensor(Array.from(layer.bias), [layer.outputs], precision);
    const z = l === network.layers.length - 1 ? "y" : `z${l}`;
    nodes.push(node("Gemm", [current, `W${l}`, `b${l}`], [z], { transB: attr.int(1) }));
    if (z !== "y") {
      nodes.push(node("Relu", [z], [`a${l}`]));
      current = `a${l}`;
    }
  });
  return graphBytes({ nodes, inputShape: [network.inputDim], initializers, precision });
}

/** A target `Σ_j w_j y_j` over every output unit (fixed pseudo-random weights): checks the full VJP at once. */
export function weightedSumTarget(model: OnnxModel, seed = 7): OnnxTarget {
  const size = model.outputSize;
  const weights = pseudoRandom(size, seed);
  return {
    fn: (b: GraphBuilder, output: string) => {
      const flat = b.op("Reshape", [output, b.int64s([0, -1])]);
      return reduce(b, "ReduceSum", b.op("Mul", [flat, b.floats(weights, [1, size])]), [1], false);
    },
  };
}

/**
 * Check an oracle's gradients against central differences of its own values at `points` (n rows): every input
 * coordinate, one batched run. Step `h`; tolerance relative to the largest gradient entry.
 */
export async function expectGradientsMatchDifferences(
  bytes: Uint8Array,
  points: readonly number[],
  n: number,
  options: { target?: (model: OnnxModel) => OnnxTarget; h: number; tolerance: number },
): Promise<{ worst: number; scale: number }> {
  const model = await loadOnnxModel(bytes);
  const oracle = await onnxOracle(model, { target: (options.target ?? weightedSumTarget)(model), threads: 1 });
  try {
    const d = model.dim;
    const float64 = model.precision === "float64";
    const x = float64 ? Float64Array.from(points) : Float32Array.from(points);
    const { gradients } = await oracle.evaluate(x, n);
    const shifted = float64 ? new Float64Array(2 * n * d * d) : new Float32Array(2 * n * d * d);
    const steps = new Float64Array(n * d);
    for (let p = 0; p < n; p++) {
      for (let i = 0; i < d; i++) {
        const plus = (2 * (p * d + i)) * d;
        const minus = plus + d;
        for (let j = 0; j < d; j++) shifted[plus + j] = shifted[minus + j] = x[p * d + j];
        shifted[plus + i] += options.h;
        shifted[minus + i] -= options.h;
        steps[p * d + i] = shifted[plus + i] - shifted[minus + i]; // the step as represented
      }
    }
    const { values } = await oracle.evaluate(shifted, 2 * n * d);
    let worst = 0;
    let scale = 0;
    for (let k = 0; k < n * d; k++) {
      const difference = (values[2 * k] - values[2 * k + 1]) / steps[k];
      worst = Math.max(worst, Math.abs(difference - gradients[k]));
      scale = Math.max(scale, Math.abs(gradients[k]));
    }
    expect(scale).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(options.tolerance * Math.max(1, scale));
    return { worst, scale };
  } finally {
    await oracle.dispose();
  }
}
