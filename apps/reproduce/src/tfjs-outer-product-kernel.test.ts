import { beforeAll, describe, expect, it } from "vitest";
import { float64Kernel, smoothHess } from "@smoothhess/stein";
import { gaussianSampler, networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { useBackend } from "@smoothhess/tfjs";
import { tfjsOuterProductKernel } from "./tfjs-outer-product-kernel.js";

beforeAll(async () => {
  await useBackend("wasm");
});

function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let err = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

describe("tfjsOuterProductKernel", () => {
  it("adds AᵀB to the float64 accumulator like the float64 kernel, to float32 accuracy", () => {
    const rng = gaussianSampler(7);
    const m = 300, p = 41, q = 37;
    const a = new Float64Array(m * p), b = new Float64Array(m * q);
    rng.fillNormal(a);
    rng.fillNormal(b);
    for (let i = 0; i < a.length; i++) a[i] *= 100; // the scale of Σ⁻¹δ at small σ
    const start = new Float64Array(p * q).map((_, i) => i * 1e-3);
    const expected = Float64Array.from(start), actual = Float64Array.from(start);
    float64Kernel.addTransposedProduct(expected, a, b, m, p, q);
    tfjsOuterProductKernel.addTransposedProduct(actual, a, b, m, p, q);
    const error = maxRelativeDifference(actual, expected);
    expect(error).toBeLessThan(1e-5);
    expect(error).toBeGreaterThan(0); // it really ran in float32 (a float64 path would match exactly)
  });

  it("gives smoothHess the same estimate as the default kernel on a ReLU network", async () => {
    const net = randomDenseNetwork([12, 16, 16, 1], { seed: 3 });
    const oracle = networkOracle(net, { output: 0 });
    const x0 = new Float64Array(12).map((_, i) => Math.sin(i));
    const options = { covariance: { sigma: 0.3 }, samples: 4000, seed: 11 };
    const reference = await smoothHess(oracle, x0, options);
    const fast = await smoothHess(oracle, x0, { ...options, kernel: tfjsOuterProductKernel });
    expect(maxRelativeDifference(fast.hessian, reference.hessian)).toBeLessThan(1e-5);
    expect(Array.from(fast.gradient)).toEqual(Array.from(reference.gradient));
  });
});
