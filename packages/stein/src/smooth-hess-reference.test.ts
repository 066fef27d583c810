import { describe, expect, it } from "vitest";
import { addTransposedProduct, symmetrizeInPlace } from "@smoothhess/linalg";
import { covariance, networkOracle, randomDenseNetwork, type SyncGradientOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "./index.js";
import { float32Oracle } from "./test-fixtures.js";

/**
 * SmoothHess as plain, unfused code (no pipelining, no shared passes), in the same floating-point operations and
 * order as the estimator: its perturbations, per-unit terms, blocks of 512 antithetic pairs (1,024 samples)
 * summed by linalg's `out += AᵀB`, shifted moments and the Frobenius sum. `smoothHess` must match it to the bit, so
 * any speed-up that changed the random stream or the arithmetic fails here.
 */
function referenceSmoothHess(oracle: SyncGradientOracle, x0: Float64Array, sigma: number, samples: number, seed: number, antithetic: boolean, controlVariate: boolean) {
  const d = x0.length, ppu = antithetic ? 2 : 1, units = samples / ppu, blockUnits = 1024 / ppu;
  const c = controlVariate ? Float64Array.from(oracle.evaluate(x0, 1).gradients) : undefined;
  const cov = covariance({ sigma }, d);
  const rng = gaussianSampler(seed);
  const sum = new Float64Array(d * d);
  const shift = new Float64Array(d), gSum = new Float64Array(d), gSquares = new Float64Array(d);
  let vShift = 0, vSum = 0, vSquares = 0, count = 0, frobenius = 0;
  const z = new Float64Array(d), delta = new Float64Array(d), white = new Float64Array(d);
  for (let start = 0; start < units; start += blockUnits) {
    const m = Math.min(blockUnits, units - start);
    const whites = new Float64Array(m * d), diffs = new Float64Array(m * d), averages = new Float64Array(m * d), values = new Float64Array(m);
    for (let u = 0; u < m; u++) {
      rng.fillNormal(z);
      cov.perturbation(z, delta, white);
      whites.set(white, u * d);
      const points = new Float64Array(ppu * d);
      for (let i = 0; i < d; i++) {
        points[i] = x0[i] + delta[i];
        if (antithetic) points[d + i] = x0[i] - delta[i];
      }
      const { values: f, gradients: g } = oracle.evaluate(points, ppu);
      for (let i = 0; i < d; i++) {
        if (antithetic) {
          diffs[u * d + i] = c ? 0.5 * (g[i] - c[i] - (g[d + i] - c[i])) : 0.5 * (g[i] - g[d + i]);
          averages[u * d + i] = 0.5 * (g[i] + g[d + i]);
        } else {
          diffs[u * d + i] = c ? g[i] - c[i] : g[i];
          averages[u * d + i] = g[i];
        }
      }
      values[u] = antithetic ? 0.5 * (f[0] + f[1]) : f[0];
    }
    addTransposedProduct(sum, whites, diffs, m, d, d);
    for (let u = 0; u < m; u++) {
      if (count === 0 && u === 0) {
        shift.set(averages.subarray(0, d));
        vShift = values[0];
      }
      for (let i = 0; i < d; i++) {
        const x = averages[u * d + i] - shift[i];
        gSum[i] += x;
        gSquares[i] += x * x;
      }
    }
    for (let u = 0; u < m; u++) {
      const x = values[u] - vShift;
      vSum += x;
      vSquares += x * x;
    }
    count += m;
    let blockFrobenius = 0;
    for (let u = 0; u < m; u++) {
      let ww = 0, gg = 0, wg = 0;
      for (let i = u * d; i < u * d + d; i++) {
        ww += whites[i] * whites[i];
        gg += diffs[i] * diffs[i];
        wg += whites[i] * diffs[i];
      }
      blockFrobenius += 0.5 * (ww * gg + wg * wg);
    }
    frobenius += blockFrobenius;
  }
  for (let k = 0; k < d * d; k++) sum[k] /= units;
  const hessian = symmetrizeInPlace(sum, d);
  let norm = 0;
  for (let k = 0; k < d * d; k++) norm += hessian[k] * hessian[k];
  const gradient = shift.map((s, i) => s + gSum[i] / count);
  const gradientSE = gSum.map((s, i) => Math.sqrt(Math.max((gSquares[i] - (s * s) / count) / (count - 1), 0) / count));
  return {
    hessian,
    gradient,
    smoothedValue: vShift + vSum / count,
    valueSE: Math.sqrt(Math.max((vSquares - (vSum * vSum) / count) / (count - 1), 0) / count),
    gradientSE,
    hessianFrobenius: Math.sqrt(Math.max(frobenius - units * norm, 0) / (units - 1) / units),
  };
}

describe("smoothHess equals the plain reference computation to the bit", () => {
  const network = randomDenseNetwork([9, 14, 6, 1], { seed: 8, biasScale: 0.3 });
  const x0 = Float64Array.from({ length: 9 }, (_, i) => Math.sin(2 * i + 1));
  it.each([
    ["antithetic, float64 gradients", true, false, networkOracle(network)],
    ["antithetic, float32 gradients", true, false, float32Oracle(networkOracle(network)) as SyncGradientOracle],
    ["antithetic, control variate", true, true, networkOracle(network)],
    ["single samples, float64 gradients", false, false, networkOracle(network)],
    ["single samples, control variate", false, true, float32Oracle(networkOracle(network)) as SyncGradientOracle],
  ])("%s", async (_, antithetic, controlVariate, oracle) => {
    const samples = 3_000, seed = 12, sigma = 0.25;
    const expected = referenceSmoothHess(oracle, x0, sigma, samples, seed, antithetic, controlVariate);
    for (const batchSize of [100, 1024]) {
      const result = await smoothHess(oracle, x0, { covariance: { sigma }, samples, seed, antithetic, controlVariate, batchSize });
      expect(Array.from(result.hessian)).toEqual(Array.from(expected.hessian));
      expect(Array.from(result.gradient)).toEqual(Array.from(expected.gradient));
      expect(result.smoothedValue).toBe(expected.smoothedValue);
      expect(result.standardError.smoothedValue).toBe(expected.valueSE);
      expect(Array.from(result.standardError.gradient)).toEqual(Array.from(expected.gradientSE));
      expect(result.standardError.hessianFrobenius).toBe(expected.hessianFrobenius);
    }
  });
});
