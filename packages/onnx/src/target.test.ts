import { InvalidArgumentError } from "@smoothhess/errors";
import { denseNetwork, networkOracle, randomDenseNetwork, type DenseNetwork, type NetworkTarget } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { reduce } from "./autodiff/rules/helpers.js";
import { OnnxModelError } from "./onnx-model-error.js";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import type { OnnxTarget } from "./target.js";
import { denseNetworkGraph, pseudoRandom } from "./test-support.js";

const net = randomDenseNetwork([6, 8, 7, 4], { seed: 3 });
const points = pseudoRandom(5 * 6, 21);

async function compare(network: DenseNetwork, target: OnnxTarget, reference: NetworkTarget, precision: "float32" | "float64", tolerance: number) {
  const model = await loadOnnxModel(denseNetworkGraph(network, precision));
  const oracle = await onnxOracle(model, { target, threads: 1 });
  const x = precision === "float64" ? Float64Array.from(points) : Float32Array.from(points);
  const got = await oracle.evaluate(x, 5);
  await oracle.dispose();
  const want = networkOracle(network, reference).evaluate(Float64Array.from(x), 5);
  let scale = 0, worst = 0, valueError = 0, valueScale = 0;
  for (let i = 0; i < want.gradients.length; i++) {
    scale = Math.max(scale, Math.abs(want.gradients[i]));
    worst = Math.max(worst, Math.abs(want.gradients[i] - got.gradients[i]));
  }
  for (let p = 0; p < 5; p++) {
    valueScale = Math.max(valueScale, Math.abs(want.values[p]));
    valueError = Math.max(valueError, Math.abs(want.values[p] - got.values[p]) / Math.max(1e-30, Math.abs(want.values[p])));
  }
  expect(scale).toBeGreaterThan(0);
  expect(worst).toBeLessThanOrEqual(tolerance * scale);
  expect(valueError).toBeLessThanOrEqual(tolerance);
  return { model, got, want };
}

const targets: [string, OnnxTarget, NetworkTarget][] = [
  ["logit", { output: 2 }, { output: 2 }],
  ["SoftMax probability", { softmax: 1 }, { softmax: 1 }],
  ["cross-entropy", { crossEntropy: 3 }, { crossEntropy: 3 }],
  ["hidden pre-activation", { layer: 2, unit: 5 }, { layer: 2, unit: 5 }],
];

describe("targets equal the float64 networkOracle on the same weights", () => {
  it.each(targets)("%s (float64 graph, 1e-10; float32 graph, 1e-5)", async (_, target, reference) => {
    await compare(net, target, reference, "float64", 1e-10);
    await compare(net, target, reference, "float32", 1e-5);
  });

  it("opset 18 and later (reductions take their axes as inputs): SoftMax and cross-entropy heads", async () => {
    const { decodeModel, encodeModel } = await import("./ir/proto-codec.js");
    const graph = decodeModel(denseNetworkGraph(net, "float64"), "test");
    const model = await loadOnnxModel(encodeModel({ ...graph, opset: 18 }));
    for (const target of [{ softmax: 1 }, { crossEntropy: 2 }]) {
      const oracle = await onnxOracle(model, { target, threads: 1 });
      const got = await oracle.evaluate(Float64Array.from(points), 5);
      await oracle.dispose();
      const want = networkOracle(net, target).evaluate(Float64Array.from(points), 5);
      for (let i = 0; i < want.gradients.length; i++) expect(got.gradients[i]).toBeCloseTo(want.gradients[i], 10);
    }
  });

  it("a tensor by name reads the same unit as { layer, unit }", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(net));
    expect(model.hiddenTensors).toEqual(["z0", "z1"]);
    await compare(net, { tensor: "z1", unit: 5 }, { layer: 2, unit: 5 }, "float64", 1e-10);
  });

  it('"predicted" resolves to the class the model predicts at x0', async () => {
    const model = await loadOnnxModel(denseNetworkGraph(net));
    const x0 = points.slice(0, 6);
    const logits = net.forward(x0).at(-1)!;
    const k = logits.indexOf(Math.max(...logits));
    for (const kind of ["output", "softmax", "crossEntropy"] as const) {
      const oracle = await onnxOracle(model, { target: { [kind]: "predicted", at: x0 } as unknown as OnnxTarget, threads: 1 });
      expect(oracle.target).toMatchObject({ unit: k });
      await oracle.dispose();
    }
  });

  it("a user reduction over the output: Σ_j w_j z_j has gradient Σ_j w_j ∇z_j", async () => {
    const w = [0.5, -1, 2, 0.25];
    const fn: OnnxTarget = {
      fn: (b, output) => reduce(b, "ReduceSum", b.op("Mul", [output, b.floats(w, [1, 4])]), [1], false),
    };
    const model = await loadOnnxModel(denseNetworkGraph(net, "float64"));
    const oracle = await onnxOracle(model, { target: fn, threads: 1 });
    const got = await oracle.evaluate(Float64Array.from(points), 5);
    await oracle.dispose();
    const expected = new Float64Array(5 * 6);
    const values = new Float64Array(5);
    for (let k = 0; k < 4; k++) {
      const r = networkOracle(net, { output: k }).evaluate(Float64Array.from(points), 5);
      for (let i = 0; i < expected.length; i++) expected[i] += w[k] * r.gradients[i];
      for (let p = 0; p < 5; p++) values[p] += w[k] * r.values[p];
    }
    for (let i = 0; i < expected.length; i++) expect(got.gradients[i]).toBeCloseTo(expected[i], 10);
    for (let p = 0; p < 5; p++) expect(got.values[p]).toBeCloseTo(values[p], 10);
  });
});

describe("confident predictions keep their SoftMax and cross-entropy gradients in float32", () => {
  // The last layer scaled so that the winning margin at x0 exceeds 17: p_k rounds to 1 in float32.
  const network = denseNetwork(net.layers.map((l, i) => ({ weights: i === 2 ? Float64Array.from(l.weights, (v) => 300 * v) : l.weights, bias: l.bias })));

  it("relative 1e-3 against float64 where p_k = 1 in float32", async () => {
    const logits = network.forward(points.slice(0, 6)).at(-1)!;
    const k = logits.indexOf(Math.max(...logits));
    const margin = logits[k] - Math.max(...logits.filter((_, j) => j !== k));
    expect(margin).toBeGreaterThan(17);
    const x0 = Float64Array.from(points.slice(0, 6));
    for (const target of [{ softmax: k }, { crossEntropy: k }]) {
      const model = await loadOnnxModel(denseNetworkGraph(network, "float32"));
      const oracle = await onnxOracle(model, { target, threads: 1 });
      const got = await oracle.evaluate(Float32Array.from(x0), 1);
      await oracle.dispose();
      const want = networkOracle(network, target).evaluate(Float64Array.from(Float32Array.from(x0)), 1);
      let scale = 0, worst = 0;
      for (let i = 0; i < 6; i++) {
        scale = Math.max(scale, Math.abs(want.gradients[i]));
        worst = Math.max(worst, Math.abs(want.gradients[i] - got.gradients[i]));
      }
      expect(scale).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(1e-3 * scale);
      expect(Math.abs(got.values[0] - want.values[0])).toBeLessThanOrEqual(1e-3 * Math.abs(want.values[0]));
    }
  });
});

describe("target errors", () => {
  it("names the field that is out of range, and unknown tensors", async () => {
    const model = await loadOnnxModel(denseNetworkGraph(net));
    await expect(onnxOracle(model, { target: { output: 4 } })).rejects.toThrow(InvalidArgumentError);
    await expect(onnxOracle(model, { target: { output: 4 } })).rejects.toThrow(/options\.target\.output/);
    await expect(onnxOracle(model, { target: { softmax: -1 } })).rejects.toThrow(/options\.target\.softmax/);
    await expect(onnxOracle(model, { target: { layer: 3, unit: 0 } })).rejects.toThrow(/options\.target\.layer/);
    await expect(onnxOracle(model, { target: { layer: 1, unit: 8 } })).rejects.toThrow(/options\.target\.unit/);
    await expect(onnxOracle(model, { target: { tensor: "nope", unit: 0 } })).rejects.toThrow(OnnxModelError);
    await expect(onnxOracle(model, { target: { tensor: "nope", unit: 0 } })).rejects.toThrow(/nope/);
    await expect(onnxOracle(model, { target: { output: "predicted" } })).rejects.toThrow(/options\.target\.at/);
    await expect(onnxOracle(model, { target: { bogus: 1 } as unknown as OnnxTarget })).rejects.toThrow(/options\.target/);
  });
});
