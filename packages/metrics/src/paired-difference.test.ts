import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DimensionMismatchError } from "@smoothhess/errors";
import { pairedDifference } from "./paired-difference.js";

describe("pairedDifference", () => {
  it("is the mean of a − b with the standard error sd/√n of the differences (closed form)", () => {
    // differences 1, 3, 5: mean 3, sd 2, standard error 2/√3
    const { mean, standardError } = pairedDifference([2, 5, 9], [1, 2, 4]);
    expect(mean).toBe(3);
    expect(standardError).toBeCloseTo(2 / Math.sqrt(3), 14);
    expect(pairedDifference([1], [0]).standardError).toBeNaN();
  });

  it("does not see a shift common to both (the pairing removes it) and changes sign when a and b swap", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 2, maxLength: 30 }), fc.double({ min: -100, max: 100, noNaN: true }), (pairs, shift) => {
        const a = pairs.map(([x]) => x), b = pairs.map(([, y]) => y);
        const plain = pairedDifference(a, b);
        const shifted = pairedDifference(a.map((x, i) => x + shift * i), b.map((y, i) => y + shift * i));
        expect(shifted.mean).toBeCloseTo(plain.mean, 8);
        expect(shifted.standardError).toBeCloseTo(plain.standardError, 8);
        const swapped = pairedDifference(b, a);
        expect(swapped.mean).toBeCloseTo(-plain.mean, 12);
        expect(swapped.standardError).toBeCloseTo(plain.standardError, 12);
      }),
    );
  });

  it("refuses arrays of different lengths or no pairs, naming b", () => {
    expect(() => pairedDifference([1, 2], [1])).toThrow(DimensionMismatchError);
    expect(() => pairedDifference([], [])).toThrow(/b/);
  });
});
