// Explain the model exported by explain-pytorch-model.py: SmoothHess at one image, as a heatmap (README).
import { writeFile } from "node:fs/promises";
import { loadOnnxModel, onnxOracle, onnxOuterProductKernel } from "@smoothhess/onnx";
import { smoothHess } from "@smoothhess/stein";

const model = await loadOnnxModel("mnist-cnn.onnx");
console.log(model.inputShape, model.dim); // [-1, 1, 28, 28] 784

// The image to explain, row-major like the model's input (a stroke of a "7" here; use a real image).
const x0 = new Float64Array(28 * 28);
for (let c = 6; c < 22; c++) x0[6 * 28 + c] = 1;
for (let r = 7; r < 23; r++) x0[r * 28 + Math.round(21 - (r - 7) * 0.5)] = 1;

const oracle = await onnxOracle(model, { target: { output: "predicted", at: x0 } }); // logit of the predicted class
const kernel = await onnxOuterProductKernel(); // the d×d accumulation on ONNX Runtime, float64 accumulator
try {
  const { hessian, gradient } = await smoothHess(oracle, x0, { covariance: { sigma: 0.1 }, samples: 20_000, seed: 0, kernel });

  // Heatmap: how strongly each pixel interacts with all others, Σ_j |H_ij|, as a 28×28 SVG.
  const d = model.dim;
  const strength = Array.from({ length: d }, (_, i) => hessian.subarray(i * d, (i + 1) * d).reduce((s, h) => s + Math.abs(h), 0));
  const max = Math.max(...strength);
  const cells = strength.map((s, i) => {
    const shade = Math.round(255 * (1 - s / max));
    return `<rect x="${i % 28}" y="${Math.floor(i / 28)}" width="1" height="1" fill="rgb(255,${shade},${shade})"/>`;
  });
  await writeFile("smoothhess-heatmap.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 28" width="280" height="280">${cells.join("")}</svg>\n`);

  // The strongest pairwise interactions (i < j) and the SmoothGrad at the same pixels.
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) pairs.push([i, j, hessian[i * d + j]]);
  pairs.sort((a, b) => Math.abs(b[2]) - Math.abs(a[2]));
  for (const [i, j, h] of pairs.slice(0, 5)) {
    console.log(`pixels (${Math.floor(i / 28)},${i % 28}) × (${Math.floor(j / 28)},${j % 28}): H = ${h.toExponential(2)}, SmoothGrad ${gradient[i].toExponential(2)} / ${gradient[j].toExponential(2)}`);
  }
} finally {
  await oracle.dispose();
  await kernel.dispose();
}
