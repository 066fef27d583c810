import { denseNetwork } from "@smoothhess/oracle";
import { referenceSurrogates } from "@smoothhess/surrogates";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { intAttribute } from "../ir/graph.js";
import { loadOnnxModel, type OnnxModel } from "../onnx-model.js";
import { onnxSurrogates } from "./onnx-surrogates.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** The float64 DenseNetwork with the weights of a Gemm(transB = 1) + Relu ONNX MLP. */
function denseNetworkOf(model: OnnxModel) {
  return denseNetwork(
    model.graph.nodes
      .filter((n) => n.opType === "Gemm")
      .map((n) => {
        expect(intAttribute(n, "transB", 0)).toBe(1);
        return { weights: model.graph.initializers.get(n.inputs[1])!.data as Float32Array, bias: model.graph.initializers.get(n.inputs[2])!.data as Float32Array };
      }),
  );
}

function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let diff = 0, norm = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    norm = Math.max(norm, Math.abs(want[i]));
  }
  return diff / norm;
}

describe("the authors' MNIST MLP (d = 784): surrogate Hessians on ONNX Runtime", () => {
  it("equal referenceSurrogates (float64) to 1e-3, structured and by Hessian-vector products", async () => {
    const model = await loadOnnxModel(fixture("authors-mnist-mlp.onnx"));
    const reference = JSON.parse(readFileSync(fixture("authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
    const x0 = Float64Array.from(reference.inputs.slice(0, 784));
    const exact = referenceSurrogates(denseNetworkOf(model)).surrogate({ name: "softplus", beta: 10 });
    const want = exact.hessians(x0, 1, { softmax: 3 });
    const structured = await onnxSurrogates(model, { threads: 1, hessianMethod: "structured" });
    const products = await onnxSurrogates(model, { threads: 1, hessianMethod: "hvp" });
    try {
      const got = await structured.surrogate({ name: "softplus", beta: 10 }).hessians(x0, 1, { softmax: 3 });
      expect(relativeError(got.hessians, want.hessians)).toBeLessThanOrEqual(1e-3);
      expect(relativeError(got.gradients, want.gradients)).toBeLessThanOrEqual(1e-4);
      const viaProducts = await products.surrogate({ name: "softplus", beta: 10 }).hessians(x0, 1, { softmax: 3 });
      expect(relativeError(viaProducts.hessians, want.hessians)).toBeLessThanOrEqual(1e-3);
      // The ReLU network's Hessian is the head term alone.
      const relu = await structured.original.hessians(x0, 1, { crossEntropy: 7 });
      const reluWant = referenceSurrogates(denseNetworkOf(model)).original.hessians(x0, 1, { crossEntropy: 7 });
      expect(relativeError(relu.hessians, reluWant.hessians)).toBeLessThanOrEqual(1e-3);
    } finally {
      await structured.dispose();
      await products.dispose();
    }
  });
});
