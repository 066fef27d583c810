import { describe, expect, it } from "vitest";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { cLime, smoothGrad, smoothHess, smoothHessFactored, zerothOrderSmoothGrad, zerothOrderSmoothHess } from "./index.js";
import { ACCUMULATION_POINTS } from "./accumulation-blocks.js";
import { float32Oracle } from "./test-fixtures.js";

// d = 10 exercises the 4×4 tiles of the float64 kernel and their remainders; 5,002 samples make several
// accumulation blocks and a short last one, so every boundary case is crossed.
const network = randomDenseNetwork([10, 16, 8, 1], { seed: 4, biasScale: 0.3 });
const oracle = networkOracle(network);
const x0 = Float64Array.from({ length: 10 }, (_, i) => Math.sin(i + 1));
const batchSizes = [7, 64, 1024, 2048];
const bits = (values: ArrayLike<number>) => Array.from(values);

describe("every Stein estimator is bit-identical across batch sizes (same seed)", () => {
  it.each([
    [true, "box-muller"],
    [false, "box-muller"],
    [true, "ziggurat"],
  ] as const)("smoothHess, antithetic %s, %s normals: Hessian, SmoothGrad, value and every standard error", async (antithetic, normals) => {
    const samples = 5_002;
    expect(samples / (antithetic ? 2 : 1)).toBeGreaterThan(4 * (ACCUMULATION_POINTS / 2));
    const results = [];
    for (const batchSize of batchSizes) {
      results.push(await smoothHess(oracle, x0, { covariance: { sigma: 0.35 }, samples, seed: 9, antithetic, batchSize, entrywiseError: true, normals }));
    }
    const [first, ...rest] = results;
    for (const other of rest) {
      expect(bits(other.hessian)).toEqual(bits(first.hessian));
      expect(bits(other.gradient)).toEqual(bits(first.gradient));
      expect(other.smoothedValue).toBe(first.smoothedValue);
      expect(bits(other.standardError.hessian!)).toEqual(bits(first.standardError.hessian!));
      expect(bits(other.standardError.gradient)).toEqual(bits(first.standardError.gradient));
      expect(other.standardError.hessianFrobenius).toBe(first.standardError.hessianFrobenius);
    }
  });

  it("smoothHess with float32 gradients (a GPU-like oracle) and a control variate", async () => {
    const f32 = float32Oracle(oracle);
    const hessians = [];
    for (const batchSize of batchSizes) {
      hessians.push(bits((await smoothHess(f32, x0, { covariance: { diagonal: Array.from({ length: 10 }, (_, i) => 0.05 + 0.01 * i) }, samples: 3_000, seed: 2, batchSize, controlVariate: true, antithetic: false })).hessian));
    }
    for (const h of hessians.slice(1)) expect(h).toEqual(hessians[0]);
  });

  it("smoothGrad, smoothHessFactored, zerothOrderSmoothGrad, zerothOrderSmoothHess and cLime", async () => {
    const v = Float64Array.from({ length: 10 }, (_, i) => (i % 3) - 1);
    const outputs = [];
    for (const batchSize of batchSizes) {
      const options = { covariance: { sigma: 0.3 }, samples: 3_000, seed: 7, batchSize };
      const factored = await smoothHessFactored(oracle, x0, options);
      outputs.push({
        grad: bits((await smoothGrad(oracle, x0, options)).gradient),
        factored: [...bits(factored.hessian.matVec(v)), ...bits(factored.gradient)],
        zerothGrad: bits((await zerothOrderSmoothGrad(oracle, x0, options)).gradient),
        zerothHess: bits((await zerothOrderSmoothHess(oracle, x0, options)).hessian),
        lime: bits((await cLime(oracle, x0, options)).coefficients),
      });
    }
    for (const other of outputs.slice(1)) expect(other).toEqual(outputs[0]);
  });
});
