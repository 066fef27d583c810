import { describe, expect, it } from "vitest";
import {
  nestedInteractions,
  nestedInteractionsHessian,
  nestedInteractionsRegion,
  nestedInteractionsSmoothedHessianAtOrigin,
  nestedInteractionsTarget,
} from "./nested-interactions.js";
import { steinHessianAtOrigin } from "./stein-monte-carlo.test-helper.js";

const coordinate = (k: number) => (2 * (2 * k - 500)) / 500;

/** Region from integer arithmetic: x = 0.004·u with u = 2k − 500, so ‖x‖ < 0.6 ⇔ u² + v² < 150². */
function expectedRegion(i: number, j: number): 0 | 1 | 2 {
  const u = 2 * i - 500, v = 2 * j - 500;
  const r2 = u * u + v * v;
  if (r2 < 150 * 150) return 0;
  if (r2 < 300 * 300) return 1;
  return 2;
}

describe("nestedInteractions", () => {
  const ds = nestedInteractions();

  it("labels every point of the paper's grid exactly, regions decided by exact integer distances", () => {
    expect(ds.n).toBe(251_001);
    expect(ds.shape).toEqual([2]);
    let mismatches = 0;
    const regionCounts = [0, 0, 0];
    for (let i = 0; i < 501; i++) {
      for (let j = 0; j < 501; j++) {
        const x1 = coordinate(i), x2 = coordinate(j);
        const region = expectedRegion(i, j);
        regionCounts[region]++;
        const y = region === 0 ? 0.5 * x1 * x1 + x1 * x2 : region === 1 ? x1 * x2 : -5 * x1 * x2;
        if (ds.y[i * 501 + j] !== Math.fround(y) || nestedInteractionsRegion(x1, x2) !== region) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    // the disc of radius 0.6 holds ≈ π·75² grid points
    expect(Math.abs(regionCounts[0] - Math.PI * 75 * 75)).toBeLessThan(2 * Math.PI * 75);
  });

  it("puts points on a circle outside it (the paper's balls are open)", () => {
    expect(nestedInteractionsRegion(0.6, 0)).toBe(1);
    expect(nestedInteractionsRegion(coordinate(250 + 45), coordinate(250 + 60))).toBe(1); // (0.36, 0.48)
    expect(nestedInteractionsRegion(0.5999, 0)).toBe(0);
    expect(nestedInteractionsRegion(0, -1.2)).toBe(2);
    expect(nestedInteractionsRegion(0.72, 0.96)).toBe(2);
    expect(nestedInteractionsTarget(0.3, 0.2)).toBeCloseTo(0.5 * 0.09 + 0.06, 15);
    expect(nestedInteractionsTarget(0.6, 0.5)).toBeCloseTo(0.3, 15);
    expect(nestedInteractionsTarget(1.5, 1)).toBeCloseTo(-7.5, 15);
  });

  it("has the Hessian of each region's polynomial", () => {
    expect(Array.from(nestedInteractionsHessian(0.1, 0.1))).toEqual([1, 1, 1, 0]);
    expect(Array.from(nestedInteractionsHessian(0.8, 0))).toEqual([0, 1, 1, 0]);
    expect(Array.from(nestedInteractionsHessian(-2, 2))).toEqual([0, -5, -5, 0]);
  });

  it("has a smoothed Hessian at the origin that matches Monte-Carlo (10⁶ samples per σ², 5 SE)", () => {
    [1e-3, 0.03, 0.1, 0.3, 1, 3].forEach((variance, k) => {
      const exact = nestedInteractionsSmoothedHessianAtOrigin(variance);
      const { mean, se } = steinHessianAtOrigin(nestedInteractionsTarget, variance, 1_000_000, 100 + k);
      for (let e = 0; e < 4; e++) expect(Math.abs(mean[e] - exact[e])).toBeLessThan(5 * se[e] + 1e-12);
    });
  });

  it("goes from the inner disc's Hessian for small σ to the outside's for large σ", () => {
    const small = nestedInteractionsSmoothedHessianAtOrigin(1e-4);
    [1, 1, 1, 0].forEach((want, k) => expect(Math.abs(small[k] - want)).toBeLessThan(1e-12));
    const large = nestedInteractionsSmoothedHessianAtOrigin(1e5);
    [0, -5, -5, 0].forEach((want, k) => expect(Math.abs(large[k] - want)).toBeLessThan(1e-4));
    expect(() => nestedInteractionsSmoothedHessianAtOrigin(0)).toThrowError("variance: expected a finite number > 0, received 0");
  });
});
