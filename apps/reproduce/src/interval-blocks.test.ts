import { describe, expect, it } from "vitest";
import { gaussianSampler } from "@smoothhess/random";
import { batchMeans, intervalBlockSums, intervalSums } from "./interval-blocks.js";

describe("intervalSums / intervalBlockSums", () => {
  it("sum groups of consecutive entries", () => {
    expect([...intervalSums([1, 2, 3, 4, 5, 6], 2)]).toEqual([3, 7, 11]);
    // H = [[1,2,3,4],[5,6,7,8],[9,10,11,12],[13,14,15,16]] in 2×2 blocks
    const h = Float64Array.from({ length: 16 }, (_, i) => i + 1);
    expect([...intervalBlockSums(h, 4, 2)]).toEqual([1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16]);
    expect(() => intervalSums([1, 2, 3], 2)).toThrow(/does not divide/);
  });

  it("block sums are the quadratic form of the interval indicators, u_Iᵀ H u_J (50 random sizes, fixed seed)", () => {
    const sizes = gaussianSampler(99);
    for (let run = 0; run < 50; run++) {
      const m = 1 + Math.floor(4 * sizes.uniform()), size = 1 + Math.floor(5 * sizes.uniform());
      const d = m * size;
      const h = gaussianSampler(run).fillNormal(new Float64Array(d * d));
      const blocks = intervalBlockSums(h, d, size);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          const u = (k: number, i: number) => (i >= k * size && i < (k + 1) * size ? 1 : 0);
          let q = 0;
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q += u(a, i) * h[i * d + j] * u(b, j);
          expect(blocks[a * m + b]).toBeCloseTo(q, 10);
        }
      }
    }
  });
});

describe("batchMeans", () => {
  it("gives the mean and sd/√B", () => {
    const { mean, standardError } = batchMeans([[1, 10], [3, 10], [5, 10]]);
    expect([...mean]).toEqual([3, 10]);
    expect(standardError[0]).toBeCloseTo(2 / Math.sqrt(3), 14); // sd of 1, 3, 5 is 2
    expect(standardError[1]).toBe(0);
  });

  it("its standard error matches the spread of the mean over many repetitions (Monte-Carlo, 4000 repetitions)", () => {
    const rng = gaussianSampler(11);
    const reps = 4000, b = 8;
    let meanSe2 = 0, spread = 0;
    for (let r = 0; r < reps; r++) {
      const batches = Array.from({ length: b }, () => [2 + 3 * rng.normal()]);
      const { mean, standardError } = batchMeans(batches);
      meanSe2 += standardError[0] ** 2 / reps;
      spread += (mean[0] - 2) ** 2 / reps;
    }
    // true variance of the mean: 9/8 = 1.125; both estimates within 6 % (their relative SD is ~2–3 % here)
    expect(spread).toBeCloseTo(1.125, 0);
    expect(Math.abs(spread / 1.125 - 1)).toBeLessThan(0.06);
    expect(Math.abs(meanSe2 / 1.125 - 1)).toBeLessThan(0.06);
  });

  it("refuses a single batch", () => {
    expect(() => batchMeans([[1]])).toThrow(/at least 2/);
  });
});
