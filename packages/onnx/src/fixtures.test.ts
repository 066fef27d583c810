import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { runForward } from "./onnx-model.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

interface Reference {
  inputs: number[];
  inputShape: number[];
  outputs: number[];
  outputShape: number[];
  inputGradientOfOutput0: number[];
}

describe.each(["mnist", "fmnist", "four-quadrant"])("the authors' %s MLP (PyTorch export)", (name) => {
  const reference = JSON.parse(readFileSync(fixture(`authors-${name}-mlp.reference.json`), "utf8")) as Reference;
  const [n, d] = reference.inputShape;

  it("loads with a dynamic batch axis and the recorded shapes", async () => {
    const model = await loadOnnxModel(fixture(`authors-${name}-mlp.onnx`));
    expect(model.inputShape).toEqual([-1, d]);
    expect(model.dim).toBe(d);
    expect(model.outputSize).toBe(reference.outputShape[1]);
    expect(model.hiddenTensors).toHaveLength(5);
  });

  it("reproduces PyTorch's outputs and the input gradient of output 0", async () => {
    const model = await loadOnnxModel(fixture(`authors-${name}-mlp.onnx`));
    const outputs = await runForward(model, reference.inputs, n);
    for (let i = 0; i < outputs.length; i++) expect(outputs[i]).toBeCloseTo(reference.outputs[i], 4);
    const oracle = await onnxOracle(model, { target: { output: 0 }, threads: 1 });
    const { values, gradients } = await oracle.evaluate(Float32Array.from(reference.inputs), n);
    await oracle.dispose();
    const c = reference.outputShape[1];
    for (let p = 0; p < n; p++) expect(values[p]).toBeCloseTo(reference.outputs[p * c], 4);
    let worst = 0, scale = 0;
    for (let i = 0; i < gradients.length; i++) {
      worst = Math.max(worst, Math.abs(gradients[i] - reference.inputGradientOfOutput0[i]));
      scale = Math.max(scale, Math.abs(reference.inputGradientOfOutput0[i]));
    }
    expect(worst).toBeLessThanOrEqual(1e-4 * scale);
  });
});
