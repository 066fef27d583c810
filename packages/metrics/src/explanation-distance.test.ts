import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { symmetricEigen } from "@smoothhess/linalg";
import { matrixExplanationDistance, topKIndices, topKIntersection, topKPairIndices, vectorExplanationDistance } from "./explanation-distance.js";
import { randomSymmetric } from "./test-support.js";

describe("vectorExplanationDistance", () => {
  it("computes L1, L2 and the top-k distance of a hand-made pair", () => {
    const r = vectorExplanationDistance([3, -1, 0.5, 0], [2.5, -1.5, 0.5, 2], { topK: 2 });
    expect(r.l1).toBeCloseTo(3, 14);
    expect(r.l2).toBeCloseTo(Math.sqrt(0.25 + 0.25 + 4), 14);
    // top-2 of a: {0, 1}; of b: {0, 3} → one shared → distance ½
    expect(r.topK).toBe(0.5);
    expect(vectorExplanationDistance([1, 2], [1, 2]).topK).toBeUndefined();
  });

  it("ranks by magnitude and breaks ties by index", () => {
    expect(Array.from(topKIndices([1, -5, 5, 0.1], 2))).toEqual([1, 2]);
    expect(topKIntersection([1, -5, 5, 0.1], [-5, 1, 5, 0.1], 2)).toBe(0.5);
  });

  it("is a metric on random vectors (L1 ≥ L2, triangle inequality)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 1, maxLength: 12 }), (rows) => {
        const a = rows.map((r) => r[0]), b = rows.map((r) => r[1]), c = rows.map((r) => r[2]);
        const ab = vectorExplanationDistance(a, b), bc = vectorExplanationDistance(b, c), ac = vectorExplanationDistance(a, c);
        expect(ab.l1 + 1e-12).toBeGreaterThanOrEqual(ab.l2);
        expect(ac.l2).toBeLessThanOrEqual(ab.l2 + bc.l2 + 1e-9);
      }),
    );
  });

  it("rejects mismatched shapes, k > d and non-finite entries with typed errors", () => {
    expect(() => vectorExplanationDistance([1, 2], [1, 2, 3])).toThrow(DimensionMismatchError);
    expect(() => vectorExplanationDistance([1, 2], [1, 2], { topK: 3 })).toThrow(/options.topK: expected an integer k in \[1, 2\]/);
    expect(() => vectorExplanationDistance([1, 2], [1, 2], { topK: 0 })).toThrow(InvalidArgumentError);
    expect(() => vectorExplanationDistance([1, NaN], [1, 2])).toThrow(/a: expected/);
    expect(() => topKIntersection([1, 2], [1, 2], 5)).toThrow(InvalidArgumentError);
  });
});

describe("matrixExplanationDistance", () => {
  it("computes Frobenius, spectral and top-k-pairs distances of a hand-made pair", () => {
    // A = [[0,1,0],[1,0,3],[0,3,0]], B = 0 → ‖A‖_F = √20, ‖A‖₂ = √10
    const a = [0, 1, 0, 1, 0, 3, 0, 3, 0];
    const b = [0, 0, 2, 0, 0, 3, 2, 3, 0];
    const r = matrixExplanationDistance(a, new Array(9).fill(0), 3);
    expect(r.frobenius).toBeCloseTo(Math.sqrt(20), 13);
    expect(r.spectral).toBeCloseTo(Math.sqrt(10), 12);
    // top pair of a: (1,2) = 3; of b: (1,2) = 3 → same; top-2: a {(1,2),(0,1)}, b {(1,2),(0,2)} → ½
    expect(matrixExplanationDistance(a, b, 3, { topK: 1 }).topKPairs).toBe(0);
    expect(matrixExplanationDistance(a, b, 3, { topK: 2 }).topKPairs).toBe(0.5);
    expect(Array.from(topKPairIndices(a, 3, 2))).toEqual([5, 1]);
  });

  it("spectral distance agrees with a dense eigensolver on both sides of the Lanczos switch", () => {
    for (const d of [7, 60]) {
      const a = randomSymmetric(d, 11 + d), b = randomSymmetric(d, 23 + d, 0.5);
      const diff = a.map((v, i) => v - b[i]);
      const eig = symmetricEigen(diff, d);
      const r = matrixExplanationDistance(a, b, d);
      expect(Math.abs(r.spectral - Math.abs(eig.values[0]))).toBeLessThan(1e-8 * Math.abs(eig.values[0]));
      expect(r.spectral).toBeLessThanOrEqual(r.frobenius + 1e-12);
    }
  });

  it("rejects wrong sizes, asymmetric matrices and k beyond the number of pairs", () => {
    expect(() => matrixExplanationDistance([1, 0, 0, 1], [1, 0, 0], 2)).toThrow(DimensionMismatchError);
    expect(() => matrixExplanationDistance([1, 2, 0, 1], [1, 0, 0, 1], 2)).toThrow(/a: expected a symmetric matrix/);
    expect(() => matrixExplanationDistance([1, 0, 0, 1], [1, 0, 0, 1], 2, { topK: 2 })).toThrow(/\[1, 1\] \(there are 1 feature pairs\)/);
  });
});
