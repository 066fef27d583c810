import { describe, expect, it } from "vitest";
import { gaussianSampler } from "@smoothhess/random";
import { batchMeans } from "./batch-means.js";

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
    expect(() => batchMeans([[1, 2], [1]])).toThrow(/batches/);
  });
});
