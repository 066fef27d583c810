import { describe, expect, it } from "vitest";
import { AbortedError, DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { NotPositiveDefiniteError } from "@smoothhess/linalg";
import { OracleOutputError, covariance, quadraticOracle, type GradientOracle } from "@smoothhess/oracle";
import { smoothGrad, smoothHess, smoothHessFactored } from "./index.js";
import { covariances, exact, float32Oracle, meanSquaredZ, shallowOracle, x0 } from "./test-fixtures.js";

describe("smoothHess against the closed-form smoothed one-hidden-layer ReLU network", () => {
  it.each(covariances)("%s Σ: every Hessian and gradient entry within 5 standard errors, errors calibrated", async (_, sigma) => {
    const truth = exact(sigma);
    const result = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 100_000, seed: 1, entrywiseError: true });
    const se = result.standardError;
    for (let k = 0; k < 16; k++) expect(Math.abs(result.hessian[k] - truth.hessian[k])).toBeLessThan(5 * se.hessian![k]);
    for (let i = 0; i < 4; i++) expect(Math.abs(result.gradient[i] - truth.gradient[i])).toBeLessThan(5 * se.gradient[i]);
    expect(Math.abs(result.smoothedValue - truth.value)).toBeLessThan(5 * se.smoothedValue);
    // The standard errors are neither inflated nor deflated: mean squared z-score near 1 (χ²-like spread).
    expect(meanSquaredZ(result.hessian, truth.hessian, se.hessian!)).toBeGreaterThan(0.2);
    expect(meanSquaredZ(result.hessian, truth.hessian, se.hessian!)).toBeLessThan(3);
    const frobenius = Math.hypot(...result.hessian.map((h, k) => h - truth.hessian[k]));
    expect(frobenius / se.hessianFrobenius).toBeGreaterThan(0.25);
    expect(frobenius / se.hessianFrobenius).toBeLessThan(2.5);
    // The estimate is symmetric and the error shrinks with the sample size.
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) expect(result.hessian[r * 4 + c]).toBe(result.hessian[c * 4 + r]);
    const small = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, seed: 1 });
    expect(small.standardError.hessianFrobenius).toBeGreaterThan(5 * se.hessianFrobenius);
  });

  it.each(covariances)("%s Σ with ziggurat normals: other numbers, the same truth within 5 standard errors", async (_, sigma) => {
    const truth = exact(sigma);
    const options = { covariance: sigma, samples: 100_000, seed: 1, entrywiseError: true } as const;
    const result = await smoothHess(shallowOracle, x0, { ...options, normals: "ziggurat" });
    const se = result.standardError;
    for (let k = 0; k < 16; k++) expect(Math.abs(result.hessian[k] - truth.hessian[k])).toBeLessThan(5 * se.hessian![k]);
    for (let i = 0; i < 4; i++) expect(Math.abs(result.gradient[i] - truth.gradient[i])).toBeLessThan(5 * se.gradient[i]);
    expect(meanSquaredZ(result.hessian, truth.hessian, se.hessian!)).toBeGreaterThan(0.2);
    expect(meanSquaredZ(result.hessian, truth.hessian, se.hessian!)).toBeLessThan(3);
    const boxMuller = await smoothHess(shallowOracle, x0, options);
    expect(Array.from(result.hessian)).not.toEqual(Array.from(boxMuller.hessian));
    const explicit = await smoothHess(shallowOracle, x0, { ...options, normals: "box-muller" });
    expect(Array.from(explicit.hessian)).toEqual(Array.from(boxMuller.hessian));
  });

  it("recovers the exact Hessian of a quadratic", async () => {
    const a = [2, 0.5, -1, 0.5, 1, 0.3, -1, 0.3, -2];
    const oracle = quadraticOracle(3, { hessian: a, gradient: [1, -2, 0.5], constant: 3 });
    const result = await smoothHess(oracle, [0.2, 0.1, -0.4], { covariance: { sigma: 0.5 }, samples: 200_000, entrywiseError: true });
    for (let k = 0; k < 9; k++) {
      expect(Math.abs(result.hessian[k] - a[k])).toBeLessThan(5 * result.standardError.hessian![k]);
      expect(result.standardError.hessian![k]).toBeLessThan(0.02);
    }
  });
});

describe("variance reduction is unbiased", () => {
  const sigma = covariances[0][1];
  const truth = exact(sigma);
  const modes = [
    ["plain", { antithetic: false, controlVariate: false }],
    ["control variate", { antithetic: false, controlVariate: true }],
    ["antithetic", { antithetic: true, controlVariate: false }],
    ["antithetic + control variate", { antithetic: true, controlVariate: true }],
  ] as const;
  it.each(modes)("%s: the mean of 400 independent small estimates matches the truth within 5 SE", async (_, mode) => {
    const runs = 400;
    const sum = new Float64Array(16), sumSq = new Float64Array(16);
    for (let seed = 0; seed < runs; seed++) {
      const { hessian } = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 200, seed, ...mode });
      for (let k = 0; k < 16; k++) {
        sum[k] += hessian[k];
        sumSq[k] += hessian[k] ** 2;
      }
    }
    for (let k = 0; k < 16; k++) {
      const mean = sum[k] / runs;
      const se = Math.sqrt((sumSq[k] / runs - mean * mean) / (runs - 1));
      expect(Math.abs(mean - truth.hessian[k])).toBeLessThan(5 * se);
    }
  });

  it("the control variate cancels exactly under antithetic pairs and costs one extra call", async () => {
    const a = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 2_000, seed: 3 });
    const b = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 2_000, seed: 3, controlVariate: true });
    for (let k = 0; k < 16; k++) expect(b.hessian[k]).toBeCloseTo(a.hessian[k], 12);
    expect(b.oracleCalls).toBe(a.oracleCalls + 1);
  });
});

describe("smoothHess mechanics", () => {
  const sigma = { sigma: 0.3 };

  it("same seed, same numbers; another seed, other numbers; batch size does not matter", async () => {
    const a = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, seed: 5 });
    const b = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, seed: 5 });
    const c = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, seed: 6 });
    const d = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, seed: 5, batchSize: 14 });
    expect(Array.from(b.hessian)).toEqual(Array.from(a.hessian));
    expect(Array.from(c.hessian)).not.toEqual(Array.from(a.hessian));
    for (let k = 0; k < 16; k++) expect(d.hessian[k]).toBeCloseTo(a.hessian[k], 13);
    expect(Array.from(d.gradient).map((v) => v.toFixed(12))).toEqual(Array.from(a.gradient).map((v) => v.toFixed(12)));
  });

  it("float32 gradients lose no precision over 10⁵ samples (float64 accumulation)", async () => {
    const options = { covariance: sigma, samples: 100_000, seed: 2 };
    const f64 = await smoothHess(shallowOracle, x0, options);
    const f32 = await smoothHess(float32Oracle(shallowOracle), x0, options);
    const scale = Math.max(...f64.hessian.map(Math.abs));
    for (let k = 0; k < 16; k++) expect(Math.abs(f32.hessian[k] - f64.hessian[k])).toBeLessThan(1e-6 * scale);
    for (let i = 0; i < 4; i++) expect(Math.abs(f32.gradient[i] - f64.gradient[i])).toBeLessThan(1e-6 * Math.abs(f64.gradient[i]) + 1e-9);
  });

  it("returns SmoothGrad from the same pass, identical to smoothGrad", async () => {
    const h = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 3_000, seed: 9 });
    const g = await smoothGrad(shallowOracle, x0, { covariance: sigma, samples: 3_000, seed: 9 });
    expect(Array.from(g.gradient)).toEqual(Array.from(h.gradient));
    expect(g.smoothedValue).toBe(h.smoothedValue);
    expect(h.samples).toBe(3_000);
    expect(h.oracleCalls).toBe(3_000);
  });

  it("the factored form is the same matrix, without d×d", async () => {
    const dense = await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 600, seed: 4 });
    const factored = await smoothHessFactored(shallowOracle, x0, { covariance: sigma, samples: 600, seed: 4 });
    expect(factored.hessian.rank).toBe(300);
    const h = factored.hessian.toDense();
    for (let k = 0; k < 16; k++) expect(h[k]).toBeCloseTo(dense.hessian[k], 12);
    const v = [0.3, -1, 2, 0.5];
    const hv = factored.hessian.matVec(v);
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let c = 0; c < 4; c++) s += dense.hessian[r * 4 + c] * v[c];
      expect(hv[r]).toBeCloseTo(s, 12);
    }
    let vhv = 0;
    for (let r = 0; r < 4; r++) vhv += v[r] * hv[r];
    expect(factored.hessian.quadraticForm(v)).toBeCloseTo(vhv, 12);
    expect(Array.from(factored.gradient)).toEqual(Array.from(dense.gradient));
  });

  it("refuses a dense result above the size limit and points to the factored form", async () => {
    await expect(smoothHess(shallowOracle, x0, { covariance: sigma, denseLimit: 3 })).rejects.toThrowError(/smoothHessFactored/);
  });

  it("reports progress after each batch and stops when aborted", async () => {
    const seen: number[] = [];
    await smoothHess(shallowOracle, x0, { covariance: sigma, samples: 1_000, batchSize: 300, onProgress: (p) => seen.push(p.completed) });
    expect(seen).toEqual([300, 600, 900, 1000]);
    const controller = new AbortController();
    const error = await smoothHess(shallowOracle, x0, {
      covariance: sigma,
      samples: 1_000,
      batchSize: 300,
      signal: controller.signal,
      onProgress: () => controller.abort("enough"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).completed).toBe(300);
  });
});

describe("smoothHess input errors", () => {
  const options = { covariance: { sigma: 0.1 } };
  it.each([
    ["x0 of the wrong length", () => smoothHess(shallowOracle, [1, 2, 3], options), DimensionMismatchError, /x0: expected length 4/],
    ["non-finite x0", () => smoothHess(shallowOracle, [1, Number.NaN, 3, 4], options), InvalidArgumentError, /x0: expected a finite number at every index, received NaN at index 1/],
    ["n < 1", () => smoothHess(shallowOracle, x0, { ...options, samples: 0 }), InvalidArgumentError, /options.samples: expected an integer ≥ 2/],
    ["odd n with antithetic pairs", () => smoothHess(shallowOracle, x0, { ...options, samples: 101 }), InvalidArgumentError, /even number/],
    ["missing covariance", () => smoothHess(shallowOracle, x0, {} as never), InvalidArgumentError, /options.covariance: expected a covariance/],
    ["non-SPD Σ", () => smoothHess(shallowOracle, x0, { covariance: { matrix: new Float64Array(16) } }), NotPositiveDefiniteError, /options.covariance.matrix/],
    ["a covariance of another dimension", () => smoothHess(shallowOracle, x0, { covariance: covariance({ sigma: 1 }, 3) }), DimensionMismatchError, /dimension 4/],
    ["not an oracle", () => smoothHess({} as GradientOracle, x0, options), InvalidArgumentError, /oracle: expected an oracle/],
    ["a bad batch size", () => smoothHess(shallowOracle, x0, { ...options, batchSize: 1 }), InvalidArgumentError, /options.batchSize/],
    ["an unknown normal-draw method", () => smoothHess(shallowOracle, x0, { ...options, normals: "polar" as never }), InvalidArgumentError, /options.normals: expected "box-muller" or "ziggurat"/],
  ])("%s", async (_, run, type, message) => {
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });

  it("an oracle that returns NaN is named by batch", async () => {
    const broken: GradientOracle = {
      dim: 4,
      evaluate: (points, n) => {
        const out = shallowOracle.evaluate(points, n);
        out.gradients[4 * (n - 1) + 2] = Number.NaN;
        return out;
      },
    };
    await expect(smoothHess(broken, x0, options)).rejects.toThrow(OracleOutputError);
    await expect(smoothHess(broken, x0, options)).rejects.toThrowError(/oracle batch 0: gradient of point 1023 is NaN at coordinate 2/);
  });
});

describe("pluggable outer-product kernel", () => {
  it("routes every d×d accumulation through the given kernel and gives the same matrix", async () => {
    let calls = 0;
    const counting = {
      name: "counting",
      addTransposedProduct: async (out: Float64Array, a: Float64Array, b: Float64Array, m: number, p: number, q: number) => {
        calls++;
        const { float64Kernel } = await import("./index.js");
        float64Kernel.addTransposedProduct(out, a, b, m, p, q);
      },
    };
    const options = { covariance: { sigma: 0.3 }, samples: 2_100, batchSize: 250, entrywiseError: true };
    const plain = await smoothHess(shallowOracle, x0, options);
    const routed = await smoothHess(shallowOracle, x0, { ...options, kernel: counting });
    // 1,050 antithetic pairs make 3 accumulation blocks (512 + 512 + 26 pairs) whatever the batch size,
    // each accumulated 3 times (sum, squares, cross).
    expect(calls).toBe(3 * 3);
    expect(Array.from(routed.hessian)).toEqual(Array.from(plain.hessian));
    expect(Array.from(routed.standardError.hessian!)).toEqual(Array.from(plain.standardError.hessian!));
  });
});
