import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadOnnxModel, runForward } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import type { OnnxTarget } from "./target.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

// fixtures/make-pytorch-cnn.py: a seeded CNN exported by torch.onnx.export (PyTorch 1.13, opset 17) with
// PyTorch's outputs and input gradients.
const reference = JSON.parse(readFileSync(fixture("pytorch-cnn.reference.json"), "utf8")) as Record<string, number[]> & { inputShape: number[] };

describe("a CNN as PyTorch exports it (Conv/BatchNorm/MaxPool/grouped dilated Conv/GELU as Erf/residual/ELU/GlobalAveragePool/concat/flatten/Dropout/Tanh/Softplus)", () => {
  it("loads, reproduces PyTorch's logits and the input gradients of a logit, a SoftMax probability and a cross-entropy", async () => {
    const model = await loadOnnxModel(fixture("pytorch-cnn.onnx"));
    expect(model.inputShape).toEqual([-1, 2, 8, 8]);
    const n = reference.inputShape[0];
    const outputs = await runForward(model, reference.inputs, n);
    for (let i = 0; i < outputs.length; i++) expect(outputs[i]).toBeCloseTo(reference.outputs[i], 5);
    const targets: [string, OnnxTarget][] = [
      ["logit2", { output: 2 }],
      ["softmax1", { softmax: 1 }],
      ["crossEntropy3", { crossEntropy: 3 }],
    ];
    for (const [name, target] of targets) {
      const oracle = await onnxOracle(model, { target, threads: 1 });
      const { gradients } = await oracle.evaluate(Float32Array.from(reference.inputs), n);
      await oracle.dispose();
      let diff = 0, scale = 0;
      for (let i = 0; i < gradients.length; i++) {
        diff = Math.max(diff, Math.abs(gradients[i] - reference[name][i]));
        scale = Math.max(scale, Math.abs(reference[name][i]));
      }
      expect(scale).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-4 * scale);
    }
  });
});
