import { describe, expect, it } from "vitest";
import { networkOracle, randomDenseNetwork, type GradientOracle } from "@smoothhess/oracle";
import { smoothGrad, smoothHess, smoothHessFactored } from "./index.js";

const network = networkOracle(randomDenseNetwork([7, 12, 1], { seed: 6, biasScale: 0.3 }));
const x0 = Float64Array.from({ length: 7 }, (_, i) => 0.1 * i - 0.3);
const bits = (values: ArrayLike<number>) => Array.from(values);

/** A float32 model: it rounds every point to float32 itself, and records the array type it was handed. */
function float32Model(declares: boolean, seen: string[]): GradientOracle {
  return {
    dim: 7,
    ...(declares ? { pointPrecision: "float32" as const } : {}),
    evaluate(points, n) {
      seen.push(points.constructor.name);
      return network.evaluate(Float32Array.from(points), n);
    },
  };
}

describe("pointPrecision: 'float32' (SteinOracleCapabilities)", () => {
  it("hands the oracle float32 points and leaves every estimate bit-identical", async () => {
    for (const antithetic of [true, false]) {
      const options = { covariance: { diagonal: [0.1, 0.2, 0.05, 0.3, 0.1, 0.1, 0.2] }, samples: 3_000, seed: 4, batchSize: 700, antithetic, entrywiseError: true };
      const plain: string[] = [], declared: string[] = [];
      const a = await smoothHess(float32Model(false, plain), x0, options);
      const b = await smoothHess(float32Model(true, declared), x0, options);
      expect(new Set(plain)).toEqual(new Set(["Float64Array"]));
      expect(new Set(declared)).toEqual(new Set(["Float32Array"]));
      expect(bits(b.hessian)).toEqual(bits(a.hessian));
      expect(bits(b.gradient)).toEqual(bits(a.gradient));
      expect(bits(b.standardError.hessian!)).toEqual(bits(a.standardError.hessian!));
      expect(b.standardError.hessianFrobenius).toBe(a.standardError.hessianFrobenius);
      expect(bits((await smoothGrad(float32Model(true, []), x0, options)).gradient)).toEqual(bits((await smoothGrad(float32Model(false, []), x0, options)).gradient));
      const v = Float64Array.from({ length: 7 }, (_, i) => i - 3);
      const fa = await smoothHessFactored(float32Model(false, []), x0, options), fb = await smoothHessFactored(float32Model(true, []), x0, options);
      expect(bits(fb.hessian.matVec(v))).toEqual(bits(fa.hessian.matVec(v)));
    }
  });

  it("is ignored unless it is exactly 'float32'", async () => {
    const seen: string[] = [];
    const oracle: GradientOracle = { dim: 7, pointPrecision: "float64", evaluate: (points, n) => (seen.push(points.constructor.name), network.evaluate(points, n)) } as GradientOracle;
    await smoothGrad(oracle, x0, { covariance: { sigma: 0.2 }, samples: 100 });
    expect(new Set(seen)).toEqual(new Set(["Float64Array"]));
  });
});
