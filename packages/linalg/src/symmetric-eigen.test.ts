import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { type EigenOrder, symmetricEigen } from "./index.js";
import {
  fromEigen,
  maxAbs,
  randomOrthogonal,
  normals,
  orthonormalityError,
  reconstructionError,
  residualError,
  symmetricMatrix,
} from "./test-support.js";

/** Random (indefinite), low-rank (a large zero eigenspace) or with only three distinct eigenvalues. */
function testMatrix(d: number, seed: number, kind: string): Float64Array {
  if (kind === "random") {
    const g = normals(d * d, seed);
    return g.map((_, i) => g[i] + g[(i % d) * d + Math.floor(i / d)]);
  }
  const z = normals(d, seed + 1);
  const values = z.map((v, i) => (kind === "low-rank" ? (i < 4 ? v : 0) : [2, -1, 0.5][i % 3]));
  return fromEigen(values, randomOrthogonal(d, seed), d);
}

describe("symmetricEigen", () => {
  it("reconstructs A = Σ λⱼqⱼqⱼᵀ with orthonormal qⱼ to 1e-10 relative (property: indefinite, low-rank, repeated, scaled)", () => {
    fc.assert(
      fc.property(symmetricMatrix(14), ({ d, a }) => {
        const eigen = symmetricEigen(a, d);
        const scale = maxAbs(a) || 1;
        expect(eigen.k).toBe(d);
        expect(reconstructionError(eigen, a)).toBeLessThanOrEqual(1e-10 * scale);
        expect(orthonormalityError(eigen)).toBeLessThanOrEqual(1e-10);
        expect(residualError(eigen, a)).toBeLessThanOrEqual(1e-10 * scale);
      }),
      { numRuns: 150 },
    );
  });

  it("computes a few pairs (k < d/4: tridiagonal + inverse iteration) as accurately as all of them (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ d: fc.integer({ min: 32, max: 90 }), seed: fc.nat(), kind: fc.constantFrom("random", "low-rank", "repeated") }),
        fc.constantFrom<EigenOrder[]>("magnitude", "descending", "ascending"),
        fc.nat(),
        ({ d, seed, kind }, order, pick) => {
          const a = testMatrix(d, seed, kind);
          const k = 1 + (pick % Math.floor((d - 1) / 4));
          const few = symmetricEigen(a, d, { k, order });
          const all = symmetricEigen(a, d, { order });
          const scale = maxAbs(a) || 1;
          for (let j = 0; j < k; j++) expect(Math.abs(few.values[j] - all.values[j])).toBeLessThanOrEqual(1e-12 * scale * d);
          expect(residualError(few, a)).toBeLessThanOrEqual(1e-10 * scale);
          expect(orthonormalityError(few)).toBeLessThanOrEqual(1e-10);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("sorts by |λ| descending by default, by value on request, and keeps the first k", () => {
    fc.assert(
      fc.property(symmetricMatrix(10), fc.nat(), ({ d, a }, pick) => {
        const byMagnitude = symmetricEigen(a, d);
        for (let j = 1; j < d; j++) expect(Math.abs(byMagnitude.values[j])).toBeLessThanOrEqual(Math.abs(byMagnitude.values[j - 1]));
        const descending = symmetricEigen(a, d, { order: "descending" });
        const ascending = symmetricEigen(a, d, { order: "ascending" });
        for (let j = 1; j < d; j++) {
          expect(descending.values[j]).toBeLessThanOrEqual(descending.values[j - 1]);
          expect(ascending.values[j]).toBeGreaterThanOrEqual(ascending.values[j - 1]);
        }
        // same spectrum whatever the order
        const sorted = (v: Float64Array) => Array.from(v).sort((x, y) => x - y);
        expect(sorted(byMagnitude.values)).toEqual(sorted(ascending.values));
        const k = pick % (d + 1);
        const first = symmetricEigen(a, d, { k });
        expect(first.k).toBe(k);
        expect(Array.from(first.values)).toEqual(Array.from(byMagnitude.values.subarray(0, k)));
        expect(Array.from(first.vectors)).toEqual(Array.from(byMagnitude.vectors.subarray(0, k * d)));
      }),
      { numRuns: 60 },
    );
  });

  it("matches the closed form of a 2×2 matrix and fixes the eigenvector signs", () => {
    const [p, q, r] = [2, -3, 0.5];
    const eigen = symmetricEigen([p, q, q, r], 2);
    const mean = (p + r) / 2;
    const radius = Math.hypot((p - r) / 2, q);
    expect(eigen.values[0]).toBeCloseTo(mean + radius, 14); // |mean+radius| > |mean-radius| here
    expect(eigen.values[1]).toBeCloseTo(mean - radius, 14);
    // eigenvector of λ: (q, λ - p), normalised, sign: largest entry positive
    for (let j = 0; j < 2; j++) {
      const v = [q, eigen.values[j] - p];
      const n = Math.hypot(v[0], v[1]);
      const sign = Math.abs(v[0]) >= Math.abs(v[1]) ? Math.sign(v[0]) : Math.sign(v[1]);
      expect(eigen.vectors[2 * j]).toBeCloseTo((sign * v[0]) / n, 14);
      expect(eigen.vectors[2 * j + 1]).toBeCloseTo((sign * v[1]) / n, 14);
    }
  });

  it("returns the diagonal of a diagonal matrix with unit vectors, and the zero matrix exactly", () => {
    const eigen = symmetricEigen([1, 0, 0, 0, -5, 0, 0, 0, 3], 3);
    expect(Array.from(eigen.values)).toEqual([-5, 3, 1]);
    expect(Array.from(eigen.vectors)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const zero = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(orthonormalityError(zero)).toBe(0);
  });

  it("agrees with ml-matrix's EigenvalueDecomposition (an independent implementation) at d = 40", () => {
    const d = 40;
    const g = normals(d * d, 7);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = g[i * d + j] + g[j * d + i];
    const ours = symmetricEigen(a, d, { order: "ascending" });
    const rows = Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
    const theirs = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues;
    theirs.sort((x, y) => x - y);
    for (let j = 0; j < d; j++) expect(Math.abs(ours.values[j] - theirs[j])).toBeLessThan(1e-12 * maxAbs(a) * d);
  });

  it("rejects non-square, non-symmetric and non-finite input and bad options with typed errors", () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(DimensionMismatchError);
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrowError("a: expected a 2×2 row-major matrix (length 4), received length 3");
    expect(() => symmetricEigen([1, 2, 2.5, 1], 2)).toThrowError(/a: expected a symmetric matrix, received entries \[0,1\] = 2 and \[1,0\] = 2.5/);
    expect(() => symmetricEigen([1, Number.NaN, Number.NaN, 1], 2)).toThrowError(/a: expected a finite number at every index, received NaN at index 1/);
    expect(() => symmetricEigen([1, 0, 0, Number.POSITIVE_INFINITY], 2)).toThrow(InvalidArgumentError);
    expect(() => symmetricEigen([1], 0)).toThrowError(/d: expected an integer ≥ 1, received 0/);
    expect(() => symmetricEigen([1, 0, 0, 1], 2, { k: 3 })).toThrowError(/options.k: expected an integer in \[0, 2\], received 3/);
    expect(() => symmetricEigen([1, 0, 0, 1], 2, { order: "largest" as never })).toThrowError(/options.order: expected one of "magnitude"/);
  });
});
