import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../experiment.js";
import { runConfig } from "../run-config.test-helper.js";
import type { PmseConfig } from "./config.js";
import { pmseExperiment } from "./experiment.js";
import type { PmseResults } from "./compute.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true, model: "authors" };

/** The authors' MNIST MLP (no training), 1 + 1 points, 2 radii, 256 gradient samples, 64-point balls, 3 β. */
const tiny = (engine: "onnx" | "tfjs"): PmseConfig => ({
  ...pmseExperiment.configure({ ...options, engine }),
  seed: 3,
  datasets: ["mnist"],
  radii: [0.25, 1],
  validationPoints: 1,
  testPoints: 1,
  samples: 256,
  validationBallSamples: 64,
  testBallSamples: 64,
  betas: [5, 20, 80],
});

/**
 * Float32 tolerance of a P_MSE cell (and of a validation curve's mean) between the engines, relative. Both run the
 * same float32 weights on the same points and the same Monte-Carlo draws, but ONNX Runtime and tfjs-wasm sum in
 * other orders, so f, gradients and surrogate Hessians differ by float32 rounding (~1e-6 of f). A P_MSE is a mean
 * of squared residuals; the smallest (SoftPlus H+G at ε = 0.25) are ~3e-4 of f, so a rounding δ of f moves the cell
 * by up to ~2δ/residual ≈ 1e-3 relative (measured worst: 1.2e-3 with 2 + 2 points). 5e-3 bounds that and stays far
 * below the gaps between methods (factors of 2 to 100).
 */
const RELATIVE_TOLERANCE = 5e-3;

describe("pmse on the two engines", () => {
  it("--engine onnx and --engine tfjs choose the same σ and β and give the same P_MSE cells within float32 tolerance", async () => {
    const onnx = (await runConfig(pmseExperiment, tiny("onnx"), { ...options, engine: "onnx" })) as PmseResults;
    const tfjs = (await runConfig(pmseExperiment, tiny("tfjs"), { ...options, engine: "tfjs" })) as PmseResults;
    expect(onnx.datasets).toHaveLength(1);
    expect(onnx.datasets[0].model.checkpoint?.file).toBe("authors-mnist-mlp.onnx");
    let compared = 0;
    let worst = 0;
    for (const [t, target] of onnx.datasets[0].targets.entries()) {
      const other = tfjs.datasets[0].targets[t];
      for (const [method, radii] of Object.entries(target.selection)) {
        radii.forEach((entry, e) => {
          const reference = other.selection[method as keyof typeof target.selection][e];
          expect(entry.chosen).toBe(reference.chosen);
          entry.curve.forEach((c, i) => (worst = Math.max(worst, Math.abs(c.mean - reference.curve[i].mean) / reference.curve[i].mean)));
        });
      }
      for (const [p, point] of target.points.entries()) {
        expect(point.predictedClass).toBe(other.points[p].predictedClass);
        for (const [sampling, methods] of Object.entries(point.pmse)) {
          for (const [method, cells] of Object.entries(methods)) {
            cells.forEach((cell, e) => {
              const reference = other.points[p].pmse[sampling][method as keyof typeof methods][e];
              expect(cell).toBeGreaterThan(0);
              worst = Math.max(worst, Math.abs(cell - reference) / reference);
              compared++;
            });
          }
        }
      }
    }
    expect(compared).toBe(2 * 1 * 2 * 7 * 2); // targets × points × ball laws × methods × radii
    expect(worst).toBeLessThan(RELATIVE_TOLERANCE);
  }, 180_000);
});
