import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { simulatedClusters } from "./simulated-clusters.js";

describe("simulatedClusters (Agarwal et al. §6.1)", () => {
  const data = simulatedClusters({ seed: 3, n: 20_000 });

  it("has fair-coin labels and N(±(1, 1), I) features", () => {
    expect(data.d).toBe(2);
    expect(data.classes).toEqual(["0", "1"]);
    let ones = 0;
    const sum = [[0, 0], [0, 0]], squares = [[0, 0], [0, 0]], cross = [0, 0], count = [0, 0];
    for (let i = 0; i < data.n; i++) {
      const c = data.y[i];
      ones += c;
      count[c]++;
      for (let j = 0; j < 2; j++) {
        sum[c][j] += data.x[2 * i + j];
        squares[c][j] += data.x[2 * i + j] ** 2;
      }
      cross[c] += data.x[2 * i] * data.x[2 * i + 1];
    }
    // Binomial(20000, ½): sd 71 → 5 sd
    expect(Math.abs(ones - 10_000)).toBeLessThan(355);
    for (const c of [0, 1]) {
      const mu = c === 0 ? -1 : 1;
      for (let j = 0; j < 2; j++) {
        const mean = sum[c][j] / count[c];
        const variance = squares[c][j] / count[c] - mean * mean;
        expect(Math.abs(mean - mu)).toBeLessThan(5 / Math.sqrt(count[c])); // sd of the mean 1/√n
        expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / count[c]));
      }
      const covariance = cross[c] / count[c] - (sum[c][0] / count[c]) * (sum[c][1] / count[c]);
      expect(Math.abs(covariance)).toBeLessThan(5 / Math.sqrt(count[c]));
    }
  });

  it("is 1,000 points by default, reproducible from its seed", () => {
    const a = simulatedClusters(), b = simulatedClusters();
    expect(a.n).toBe(1000);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(simulatedClusters({ seed: 1 }).x)).not.toEqual(Array.from(a.x));
  });

  it("the Bayes rule x₁ + x₂ > 0 errs on Φ(−√2) ≈ 7.9 % of the points", () => {
    let wrong = 0;
    for (let i = 0; i < data.n; i++) if ((data.x[2 * i] + data.x[2 * i + 1] > 0 ? 1 : 0) !== data.y[i]) wrong++;
    // sd √(0.079·0.921/20000) = 0.0019
    expect(Math.abs(wrong / data.n - 0.0786)).toBeLessThan(0.0095);
  });

  it("rejects n < 1", () => {
    expect(() => simulatedClusters({ n: 0 })).toThrow(InvalidArgumentError);
    expect(() => simulatedClusters({ seed: 1.5 })).toThrow(/options.seed/);
  });
});
