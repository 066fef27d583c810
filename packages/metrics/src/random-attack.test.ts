import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { deriveSeed } from "@smoothhess/random";
import { randomAttack } from "./index.js";
import { euclidean } from "./test-support.js";

describe("randomAttack: the random baseline", () => {
  it("has magnitude exactly ε (to rounding), is seeded, and its direction averages to 0", () => {
    const d = 5, n = 4000;
    const x0 = new Float64Array(d).fill(0.5);
    const mean = new Float64Array(d);
    let worstGap = 0, longest = 0, pointMismatch = 0;
    for (let i = 0; i < n; i++) {
      const { step, point } = randomAttack({ x0, radius: 0.3, seed: deriveSeed(1, i) });
      worstGap = Math.max(worstGap, Math.abs(euclidean(step) - 0.3));
      longest = Math.max(longest, euclidean(step));
      for (let j = 0; j < d; j++) {
        mean[j] += step[j] / 0.3 / n;
        if (point[j] !== x0[j] + step[j]) pointMismatch++;
      }
    }
    expect(worstGap).toBeLessThan(1e-15);
    expect(longest).toBeLessThanOrEqual(0.3);
    expect(pointMismatch).toBe(0);
    // each coordinate of a uniform unit direction has variance 1/d
    for (let j = 0; j < d; j++) expect(Math.abs(mean[j])).toBeLessThan(5 * Math.sqrt(1 / d / n));
    const a = randomAttack({ x0, radius: 0.3, seed: 7 });
    expect(Array.from(randomAttack({ x0, radius: 0.3, seed: 7 }).step)).toEqual(Array.from(a.step));
    expect(Array.from(randomAttack({ x0, radius: 0.3, seed: 8 }).step)).not.toEqual(Array.from(a.step));
  });

  it("clips into the data range and rejects bad arguments", () => {
    const { point } = randomAttack({ x0: [0, 1, 0.5], radius: 2, seed: 3, clip: { min: 0, max: 1 } });
    for (const v of point) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(() => randomAttack({ x0: [0, 1], radius: 0 })).toThrowError(InvalidArgumentError);
    expect(() => randomAttack({ x0: [], radius: 1 })).toThrowError(/spec\.x0: expected a non-empty array/);
    expect(() => randomAttack({ x0: [0, 1], radius: 1, seed: 1.5 })).toThrowError(/spec\.seed/);
  });
});
