import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addTransposedProduct, symmetrizeInPlace } from "./index.js";

describe("addTransposedProduct", () => {
  it("equals the naive triple loop for every row count, including the remainder rows (property)", () => {
    const dims = fc.record({ m: fc.integer({ min: 0, max: 11 }), p: fc.integer({ min: 1, max: 6 }), q: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(
        dims.chain(({ m, p, q }) =>
          fc.tuple(
            fc.constant({ m, p, q }),
            fc.float64Array({ minLength: m * p, maxLength: m * p, min: -10, max: 10, noNaN: true }),
            fc.float64Array({ minLength: m * q, maxLength: m * q, min: -10, max: 10, noNaN: true }),
            fc.double({ min: -2, max: 2, noNaN: true }),
          ),
        ),
        ([{ m, p, q }, a, b, scale]) => {
          const start = Float64Array.from({ length: p * q }, (_, i) => i);
          const out = addTransposedProduct(Float64Array.from(start), a, b, m, p, q, scale);
          for (let r = 0; r < p; r++) {
            for (let c = 0; c < q; c++) {
              let s = 0;
              for (let i = 0; i < m; i++) s += a[i * p + r] * b[i * q + c];
              expect(out[r * q + c]).toBeCloseTo(start[r * q + c] + scale * s, 9);
            }
          }
        },
      ),
    );
  });

  it("symmetrizeInPlace averages a matrix with its transpose", () => {
    const a = Float64Array.from([1, 2, 4, 3]);
    expect(Array.from(symmetrizeInPlace(a, 2))).toEqual([1, 3, 3, 3]);
  });
});
