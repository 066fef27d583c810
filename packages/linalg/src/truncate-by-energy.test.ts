import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InvalidArgumentError } from "@smoothhess/errors";
import { truncateByEnergy } from "./index.js";

const sortedByMagnitude = fc
  .array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 })
  .map((v) => v.sort((a, b) => Math.abs(b) - Math.abs(a)));

describe("truncateByEnergy (paper Eq. 71)", () => {
  it("returns the smallest k ≥ 1 whose leading |λ| reach T of the total (property)", () => {
    fc.assert(
      fc.property(sortedByMagnitude, fc.double({ min: 1e-6, max: 1, noNaN: true }), (values, T) => {
        const k = truncateByEnergy(values, T);
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThanOrEqual(values.length);
        const prefix = (n: number) => values.slice(0, n).reduce((s, v) => s + Math.abs(v), 0);
        const total = prefix(values.length);
        expect(prefix(k)).toBeGreaterThanOrEqual(T * total);
        if (k > 1) expect(prefix(k - 1)).toBeLessThan(T * total);
      }),
      { numRuns: 300 },
    );
  });

  it("counts eigenvalue magnitudes, not signs, and stops at the last non-zero value for T = 1", () => {
    expect(truncateByEnergy([4, -3, 2, -1], 0.7)).toBe(2); // 7/10 ≥ 0.7
    expect(truncateByEnergy([4, -3, 2, -1], 0.71)).toBe(3);
    expect(truncateByEnergy([4, -3, 2, -1], 0.4)).toBe(1);
    expect(truncateByEnergy([5, -2, 0, 0], 1)).toBe(2);
    expect(truncateByEnergy([1, 1, 1, 1], 1)).toBe(4);
    expect(truncateByEnergy([0, 0, 0], 0.98)).toBe(1);
    expect(truncateByEnergy(new Float64Array(0), 0.5)).toBe(0);
  });

  it("with the spectrum's totalMagnitude, counts T of that total; equal to rounding, the values' own", () => {
    expect(truncateByEnergy([4, -3, 2, -1], 0.3)).toBe(1); // 4 ≥ 0.3·10
    expect(truncateByEnergy([4, -3, 2, -1], 0.3, 20)).toBe(2); // 7 ≥ 0.3·20 > 4
    expect(truncateByEnergy([4, -3, 2, -1], 0.5, 20)).toBe(4);
    expect(truncateByEnergy([4, -3, 2, -1], 0.7, 10 * (1 + 1e-12))).toBe(2); // rounding: the values are the spectrum
    expect(() => truncateByEnergy([4, -3, 2, -1], 0.7, 20)).toThrowError(/^T: expected at most 0\.5: the 4 pairs held carry Σ\|λ\| = 10 of the spectrum's 20/);
  });

  it("rejects unsorted values, T outside (0, 1] and non-finite values with typed errors", () => {
    expect(() => truncateByEnergy([1, -3, 2], 0.9)).toThrowError(
      "values: expected eigenvalues sorted by |λ| descending, received |values[1]| = 3 > |values[0]| = 1",
    );
    expect(() => truncateByEnergy([3, 2], 0)).toThrowError("T: expected a finite number in (0, 1], received 0");
    expect(() => truncateByEnergy([3, 2], 1.5)).toThrow(InvalidArgumentError);
    expect(() => truncateByEnergy([3, Number.NaN], 0.5)).toThrowError(/values: expected a finite number at every index/);
  });
});
