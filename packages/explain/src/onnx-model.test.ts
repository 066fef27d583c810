import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { interactions } from "./interactions.js";
import { type TorchLayer, asDenseNetwork, asFunction, asGraphModel, asLayersModel } from "./same-network.test-helper.js";

// The SmoothHess authors' MNIST MLP (784-500-300-250-250-250-10, Gemm + Relu, exported by PyTorch), shipped by
// @smoothhess/onnx as a test fixture with its licence.
const FIXTURE = fileURLToPath(new URL("../../onnx/fixtures/authors-mnist-mlp.onnx", import.meta.url));
const REFERENCE = fileURLToPath(new URL("../../onnx/fixtures/authors-mnist-mlp.reference.json", import.meta.url));
const haveFixture = existsSync(FIXTURE);

interface OnnxGraphView {
  readonly graph: {
    readonly nodes: readonly { readonly name: string; readonly opType: string; readonly inputs: readonly string[] }[];
    readonly initializers: ReadonlyMap<string, { readonly dims: readonly number[]; readonly data: ArrayLike<number> }>;
  };
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe.skipIf(!haveFixture)("the authors' MNIST model as ONNX, LayersModel, GraphModel, function and float64 network", () => {
  let layers: TorchLayer[];
  let x: Float64Array;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    // typed here, not from the package, so this file type-checks before @smoothhess/onnx has its loader
    const onnx = (await import("@smoothhess/onnx")) as unknown as { loadOnnxModel(path: string): Promise<OnnxGraphView> };
    const model = await onnx.loadOnnxModel(FIXTURE);
    // the Gemm weights ([outputs, inputs], transB = 1) in graph order
    layers = model.graph.nodes
      .filter((node) => node.opType === "Gemm")
      .map((node) => {
        const w = model.graph.initializers.get(node.inputs[1]);
        const b = model.graph.initializers.get(node.inputs[2]);
        if (!w || !b) throw new Error(`Gemm ${node.name} without constant weights`);
        const [outputs, inputs] = w.dims;
        return { weights: Float32Array.from(w.data), bias: Float32Array.from(b.data), inputs, outputs };
      });
    expect(layers.map((l) => l.outputs)).toEqual([500, 300, 250, 250, 250, 10]);
    const reference = JSON.parse(readFileSync(REFERENCE, "utf8")) as { inputs: number[] };
    x = Float64Array.from(reference.inputs.slice(0, 784));
  });

  // Few samples: the engines are compared at the same perturbations (same seed), so agreement does not need many.
  it("gives the same SmoothHess and SmoothGrad (same seed) within float32 tolerance", async () => {
    const options = { samples: 60, seed: 3 } as const;
    const expected = await interactions(asDenseNetwork(layers), x, options);
    const layersModel = asLayersModel(layers);
    const graphModel = await asGraphModel(layers);
    const fn = asFunction(layers);
    const rows: string[] = [];
    for (const [name, model, extra] of [
      ["ONNX (path)", FIXTURE, {}],
      ["ONNX (bytes)", new Uint8Array(readFileSync(FIXTURE)), { engine: "onnx" }],
      ["ONNX (module given)", FIXTURE, { onnx: await import("@smoothhess/onnx") }],
      ["LayersModel fast", layersModel, {}],
      ["LayersModel autograd", layersModel, { engine: "autograd" }],
      ["GraphModel fast", graphModel, {}],
      ["GraphModel autograd", graphModel, { engine: "autograd" }],
      ["function", fn.fn, { inputShape: [28, 28] }],
    ] as const) {
      const r = await interactions(model, x, { ...options, ...extra });
      expect(r.target).toBe(expected.target);
      expect(r.sigma).toBe(expected.sigma);
      const eh = relativeError(r.hessian, expected.hessian);
      const eg = relativeError(r.smoothGrad, expected.smoothGrad);
      rows.push(`${name} (${r.engine}): Hessian ${eh.toExponential(2)}, SmoothGrad ${eg.toExponential(2)}`);
      expect(eh, name).toBeLessThan(1e-4);
      expect(eg, name).toBeLessThan(1e-5);
    }
    console.log(`relative to float64, max |Δ| / max |entry|:\n  ${rows.join("\n  ")}`);
    fn.dispose();
    layersModel.dispose();
    graphModel.dispose();
  });
});
