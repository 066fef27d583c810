import { describe, expect, it } from "vitest";
import {
  FOUR_QUADRANT_COEFFICIENTS,
  fourQuadrant,
  fourQuadrantHessian,
  fourQuadrantSmoothedHessianAtOrigin,
  fourQuadrantTarget,
} from "./four-quadrant.js";
import { steinHessianAtOrigin } from "./stein-monte-carlo.test-helper.js";

/** Grid coordinate k of the paper's grid, computed independently: 0.004·(2k − 500) as an exact rational. */
const coordinate = (k: number) => (2 * (2 * k - 500)) / 500;

/** K from the signs of the integer grid offsets, independent of the floating-point coordinates. */
function expectedK(i: number, j: number): number {
  const right = i >= 250, up = j >= 250;
  if (right && up) return 5;
  if (!right && up) return 3;
  if (!right && !up) return 12;
  return -10;
}

describe("fourQuadrant", () => {
  const ds = fourQuadrant();

  it("is the paper's 501 × 501 grid over [−2, 2]² with spacing 0.008", () => {
    expect(ds.n).toBe(501 * 501);
    expect(ds.d).toBe(2);
    expect(ds.shape).toEqual([2]);
    expect(ds.classes).toBeUndefined();
    let worst = 0;
    for (let i = 0; i < 501; i++) {
      for (let j = 0; j < 501; j++) {
        const r = i * 501 + j;
        worst = Math.max(worst, Math.abs(ds.x[2 * r] - (-2 + 0.008 * i)), Math.abs(ds.x[2 * r + 1] - (-2 + 0.008 * j)));
      }
    }
    expect(worst).toBeLessThan(2.5e-7); // float32 rounding of coordinates ≤ 2
    expect(ds.x[2 * (250 * 501 + 250)]).toBe(0);
    expect(ds.x.reduce((m, v) => Math.min(m, v), Infinity)).toBe(-2);
    expect(ds.x.reduce((m, v) => Math.max(m, v), -Infinity)).toBe(2);
  });

  it("labels every point exactly: y = fround(K·x₁x₂) with K = 5, 3, 12, −10 in quadrants 1–4", () => {
    let mismatches = 0;
    for (let i = 0; i < 501; i++) {
      for (let j = 0; j < 501; j++) {
        const expected = Math.fround(expectedK(i, j) * coordinate(i) * coordinate(j));
        if (ds.y[i * 501 + j] !== expected) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    // spot checks at (±1, ±1): rows of i, j = 375 (x = 1) and 125 (x = −1)
    expect(ds.y[375 * 501 + 375]).toBe(5);
    expect(ds.y[125 * 501 + 375]).toBe(-3);
    expect(ds.y[125 * 501 + 125]).toBe(12);
    expect(ds.y[375 * 501 + 125]).toBe(10);
    expect(FOUR_QUADRANT_COEFFICIENTS).toEqual([5, 3, 12, -10]);
  });

  it("has the Hessian [[0, K], [K, 0]] in each quadrant", () => {
    expect(Array.from(fourQuadrantHessian(0.3, 0.2))).toEqual([0, 5, 5, 0]);
    expect(Array.from(fourQuadrantHessian(-0.3, 0.2))).toEqual([0, 3, 3, 0]);
    expect(Array.from(fourQuadrantHessian(-0.3, -0.2))).toEqual([0, 12, 12, 0]);
    expect(Array.from(fourQuadrantHessian(0.3, -0.2))).toEqual([0, -10, -10, 0]);
  });

  it("has a smoothed Hessian at the origin of [[12/π, 2.5], [2.5, 12/π]] for every σ (Monte-Carlo, 2·10⁶ samples per σ², 5 SE)", () => {
    const exact = fourQuadrantSmoothedHessianAtOrigin();
    expect(exact[1]).toBe(2.5);
    expect(exact[0]).toBeCloseTo(12 / Math.PI, 14);
    for (const [variance, seed] of [[0.01, 1], [1, 2]] as const) {
      const { mean, se } = steinHessianAtOrigin(fourQuadrantTarget, variance, 2_000_000, seed);
      for (let k = 0; k < 4; k++) expect(Math.abs(mean[k] - exact[k])).toBeLessThan(5 * se[k]);
    }
  });

  it("accepts other grids and rejects spacings that do not divide the square", () => {
    const small = fourQuadrant({ extent: 1, spacing: 0.5 });
    expect(small.n).toBe(25);
    expect(Array.from(small.x.subarray(0, 10))).toEqual([-1, -1, -1, -0.5, -1, 0, -1, 0.5, -1, 1]);
    expect(() => fourQuadrant({ spacing: 0.3 })).toThrowError(
      "options.spacing: expected a spacing that divides 2·extent = 4 into a whole number of steps, received 0.3 (13.333333333333334 steps)",
    );
    expect(() => fourQuadrant({ extent: -1 })).toThrowError("options.extent: expected a finite number > 0, received -1");
  });
});
