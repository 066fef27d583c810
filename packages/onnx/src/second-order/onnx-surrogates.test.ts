import { DisposedError } from "@smoothhess/errors";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { referenceSurrogates, type SecondOrderModel as ReferenceSecondOrder, type SurrogateTarget } from "@smoothhess/surrogates";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOnnxModel } from "../onnx-model.js";
import { liveSessionCount } from "../runtime.js";
import { denseNetworkGraph, pseudoRandom } from "../test-support.js";
import { onnxSurrogates, type OnnxSecondOrderModel, type OnnxSurrogateNetwork } from "./onnx-surrogates.js";

const net = randomDenseNetwork([5, 12, 9, 4], { seed: 4 });
const reference = referenceSurrogates(net);
const d = 5;
const x0 = pseudoRandom(d, 41).map((v) => 0.8 * v);
const activations = [
  { name: "softplus", beta: 3 },
  { name: "swish", beta: 2 },
  { name: "gelu" },
] as const;
const targets: SurrogateTarget[] = [{ output: 1 }, { softmax: 2 }, { crossEntropy: 0 }, { layer: 2, unit: 4 }];

function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let diff = 0, norm = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    norm = Math.max(norm, Math.abs(want[i]));
  }
  return diff / Math.max(norm, 1e-300);
}

let network: OnnxSurrogateNetwork;
let network64: OnnxSurrogateNetwork;
beforeAll(async () => {
  network = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net, "float32")), { threads: 1 });
  network64 = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net, "float64")), { threads: 1 });
});
afterAll(async () => {
  await network.dispose();
  await network64.dispose();
  expect(liveSessionCount()).toBe(0);
});

const pairs = (): [string, () => OnnxSecondOrderModel, () => OnnxSecondOrderModel, () => ReferenceSecondOrder][] => [
  ...activations.map((a): [string, () => OnnxSecondOrderModel, () => OnnxSecondOrderModel, () => ReferenceSecondOrder] => [
    "beta" in a ? `${a.name}(β=${a.beta})` : a.name,
    () => network.surrogate(a),
    () => (a.name === "gelu" ? network.surrogate(a) : network64.surrogate(a)), // no float64 Erf in ONNX Runtime
    () => reference.surrogate(a),
  ]),
  ["relu (original)", () => network.original, () => network64.original, () => reference.original],
];

describe("surrogate Hessians equal the float64 referenceSurrogates", () => {
  it.each(pairs())("%s: every target, float64 graph to 1e-9, float32 graph to 1e-3", async (_, make32, make64, makeReference) => {
    for (const target of targets) {
      const want = makeReference().hessians(Float64Array.from(x0), 1, target) as Awaited<ReturnType<ReferenceSecondOrder["hessians"]>>;
      const got64 = await make64().hessians(Float64Array.from(x0), 1, target);
      const got32 = await make32().hessians(Float64Array.from(x0), 1, target);
      const tolerance64 = make64().activation.name === "gelu" ? 1e-3 : 1e-9;
      expect(relativeError(got64.hessians, want.hessians)).toBeLessThanOrEqual(tolerance64);
      expect(relativeError(got64.gradients, want.gradients)).toBeLessThanOrEqual(tolerance64);
      expect(Math.abs(got64.values[0] - want.values[0])).toBeLessThanOrEqual(tolerance64 * Math.max(1, Math.abs(want.values[0])));
      expect(relativeError(got32.hessians, want.hessians)).toBeLessThanOrEqual(1e-3);
      expect(relativeError(got32.gradients, want.gradients)).toBeLessThanOrEqual(1e-4);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(got32.hessians[i * d + j]).toBe(got32.hessians[j * d + i]);
    }
  });

  it("the structured Hessian and d Hessian-vector products agree (and both run on this MLP)", async () => {
    const structured = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net, "float64")), { threads: 1, hessianMethod: "structured" });
    const products = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net, "float64")), { threads: 1, hessianMethod: "hvp" });
    try {
      for (const a of [{ name: "softplus", beta: 4 }, { name: "swish", beta: 3 }] as const) {
        for (const target of targets) {
          const h1 = await structured.surrogate(a).hessians(Float64Array.from(x0), 1, target);
          const h2 = await products.surrogate(a).hessians(Float64Array.from(x0), 1, target);
          expect(relativeError(h1.hessians, h2.hessians)).toBeLessThanOrEqual(1e-10);
        }
      }
    } finally {
      await structured.dispose();
      await products.dispose();
    }
  });

  it("a graph outside the structured class (Softmax inside) falls back to Hessian-vector products", async () => {
    const { decodeModel, encodeModel } = await import("../ir/proto-codec.js");
    const graph = decodeModel(denseNetworkGraph(net, "float64"), "test");
    const withSoftmax = encodeModel({
      ...graph,
      nodes: [...graph.nodes.map((n) => (n.outputs[0] === "y" ? { ...n, outputs: ["logits"] } : n)), { name: "softmax", opType: "Softmax", domain: "", inputs: ["logits"], outputs: ["y"], attributes: {} }],
    });
    const model = await loadOnnxModel(withSoftmax);
    const strict = await onnxSurrogates(model, { threads: 1, hessianMethod: "structured" });
    const auto = await onnxSurrogates(model, { threads: 1 });
    try {
      await expect(strict.surrogate({ name: "softplus", beta: 2 }).hessians(Float64Array.from(x0), 1, { output: 2 })).rejects.toThrow(/structured/);
      // output 2 of the softmax graph is the reference's { softmax: 2 }
      const got = await auto.surrogate({ name: "softplus", beta: 2 }).hessians(Float64Array.from(x0), 1, { output: 2 });
      const want = reference.surrogate({ name: "softplus", beta: 2 }).hessians(Float64Array.from(x0), 1, { softmax: 2 });
      expect(relativeError(got.hessians, want.hessians)).toBeLessThanOrEqual(1e-9);
    } finally {
      await strict.dispose();
      await auto.dispose();
    }
  });

  it("Hessian-vector products equal the reference's, many directions per run", async () => {
    const k = 7;
    const directions = pseudoRandom(k * d, 43);
    for (const [, make32, make64, makeReference] of pairs()) {
      for (const target of targets) {
        const want = makeReference().hessianVectorProducts(x0, directions, k, target) as Awaited<ReturnType<ReferenceSecondOrder["hessianVectorProducts"]>>;
        const got64 = await make64().hessianVectorProducts(x0, directions, k, target);
        const got32 = await make32().hessianVectorProducts(x0, directions, k, target);
        expect(got64.products).toHaveLength(k * d);
        expect(relativeError(got64.products, want.products)).toBeLessThanOrEqual(make64().activation.name === "gelu" ? 1e-3 : 1e-9);
        expect(relativeError(got32.products, want.products)).toBeLessThanOrEqual(1e-3);
        expect(relativeError(got32.gradient, want.gradient)).toBeLessThanOrEqual(1e-4);
        expect(got32.value).toBeCloseTo(want.value, 4);
      }
    }
  });

  it("HVPs equal central differences of the exact gradients (float64 graph)", async () => {
    const model = network64.surrogate({ name: "softplus", beta: 5 });
    const v = pseudoRandom(d, 47);
    const h = 1e-5;
    for (const target of targets) {
      const { products } = await model.hessianVectorProducts(x0, v, 1, target);
      const oracle = model.oracle(target);
      const points = new Float64Array(2 * d);
      for (let j = 0; j < d; j++) {
        points[j] = x0[j] + h * v[j];
        points[d + j] = x0[j] - h * v[j];
      }
      const { gradients } = await oracle.evaluate(points, 2);
      await oracle.dispose?.();
      const fd = Array.from({ length: d }, (_, j) => (gradients[j] - gradients[d + j]) / (2 * h));
      expect(relativeError(products, fd)).toBeLessThanOrEqual(1e-6);
    }
  });

  it("logit Jacobians and surrogate oracles equal the reference's", async () => {
    for (const [, make32, , makeReference] of pairs()) {
      const want = makeReference().logitJacobian(x0) as Awaited<ReturnType<ReferenceSecondOrder["logitJacobian"]>>;
      const got = await make32().logitJacobian(x0);
      expect(relativeError(got.jacobian, want.jacobian)).toBeLessThanOrEqual(1e-5);
      expect(relativeError(got.logits, want.logits)).toBeLessThanOrEqual(1e-5);
      for (const target of targets) {
        const points = Float64Array.from(pseudoRandom(3 * d, 49));
        const w = await makeReference().oracle(target).evaluate(points, 3);
        const oracle = make32().oracle(target);
        const g = await oracle.evaluate(Float32Array.from(points), 3);
        await oracle.dispose?.();
        expect(relativeError(g.gradients, w.gradients)).toBeLessThanOrEqual(1e-4);
      }
    }
  });

  it("typed errors: activation, β, target, directions", async () => {
    expect(() => network.surrogate({ name: "relu" } as never)).toThrow(/activation\.name/);
    expect(() => network.surrogate({ name: "softplus", beta: 0 })).toThrow(/activation\.beta/);
    expect(() => network64.surrogate({ name: "gelu" })).toThrow(/float64 Erf/);
    await expect(network.original.hessians(Float64Array.from(x0), 1, { output: 4 })).rejects.toThrow(/target\.output/);
    await expect(network.original.hessians(Float64Array.from(x0), 1, { layer: 3, unit: 0 })).rejects.toThrow(/target\.layer/);
    await expect(network.original.hessianVectorProducts(x0, [1, 2, 3], 1, { output: 0 })).rejects.toThrow(/directions/);
    await expect(network.original.hessians(new Float64Array(4), 1, { output: 0 })).rejects.toThrow(/points/);
  });

  it("a network used after dispose() throws DisposedError and holds no session", async () => {
    const short = await onnxSurrogates(await loadOnnxModel(denseNetworkGraph(net, "float32")), { threads: 1 });
    const before = liveSessionCount();
    await short.surrogate({ name: "softplus", beta: 5 }).hessians(Float64Array.from(x0), 1, { output: 0 });
    await short.dispose();
    expect(liveSessionCount()).toBe(before);
    expect(() => short.surrogate({ name: "softplus", beta: 5 })).toThrow(DisposedError);
    expect(() => short.surrogate({ name: "softplus", beta: 5 })).toThrow(/^this ONNX surrogate network was used after dispose\(\); create a new one with onnxSurrogates\(\)$/);
  });
});
