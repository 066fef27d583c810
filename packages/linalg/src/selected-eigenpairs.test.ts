import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { EigenOrder } from "./eigenpairs.js";
import { selectedEigenpairs } from "./symmetric-eigen.js";
import { tridiagonalQL } from "./tridiagonal-ql.js";
import { fromEigen, maxAbs, normals, orthonormalityError, randomOrthogonal, residualError } from "./test-support.js";

describe("selectedEigenpairs (the k ≪ d path of symmetricEigen: inverse iteration on the tridiagonal)", () => {
  it("succeeds without falling back on clusters of equal eigenvalues and large null spaces (property)", () => {
    fc.assert(
      fc.property(
        fc.record({ d: fc.integer({ min: 8, max: 70 }), seed: fc.nat(), kind: fc.constantFrom("low-rank", "repeated", "random") }),
        fc.constantFrom<EigenOrder[]>("magnitude", "descending", "ascending"),
        fc.nat(),
        ({ d, seed, kind }, order, pick) => {
          const z = normals(d, seed + 1);
          const values = z.map((v, i) => (kind === "low-rank" ? (i < 3 ? v : 0) : kind === "repeated" ? [2, -1, 0.5][i % 3] : v));
          const exact = Float64Array.from(values);
          const a = fromEigen(values, randomOrthogonal(d, seed), d);
          const k = 1 + (pick % d);
          const result = selectedEigenpairs(Float64Array.from(a), d, order, k);
          expect(result).not.toBeNull();
          const eigen = { d, k, values: result!.values, vectors: result!.vectors };
          const scale = maxAbs(a) || 1;
          expect(residualError(eigen, a)).toBeLessThanOrEqual(1e-10 * scale);
          expect(orthonormalityError(eigen)).toBeLessThanOrEqual(1e-10);
          // the right eigenvalues: the first k of the exact spectrum in that order
          const sorted = Array.from(exact).sort(order === "ascending" ? (x, y) => x - y : order === "descending" ? (x, y) => y - x : (x, y) => Math.abs(y) - Math.abs(x) || y - x);
          for (let j = 0; j < k; j++) expect(Math.abs(eigen.values[j] - sorted[j])).toBeLessThanOrEqual(1e-12 * d * scale + 1e-14);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("tridiagonalQL without vectors matches the closed form of the 1-D Laplacian", () => {
    const n = 50;
    const values = new Float64Array(n).fill(2);
    tridiagonalQL(values, new Float64Array(n).fill(-1), n);
    for (let j = 0; j < n; j++) expect(values[j]).toBeCloseTo(2 - 2 * Math.cos(((j + 1) * Math.PI) / (n + 1)), 13);
  });
});
