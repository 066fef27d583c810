import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { checkSquareMatrix, checkSymmetric, matVec } from "./index.js";

describe("matVec and the matrix checks", () => {
  it("matVec computes A x for row-major A (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((d) =>
          fc.tuple(fc.constant(d), fc.float64Array({ minLength: d * d, maxLength: d * d, min: -5, max: 5, noNaN: true }), fc.float64Array({ minLength: d, maxLength: d, min: -5, max: 5, noNaN: true })),
        ),
        ([d, a, x]) => {
          const y = matVec(a, d, x);
          for (let i = 0; i < d; i++) {
            let s = 0;
            for (let j = 0; j < d; j++) s += a[i * d + j] * x[j];
            expect(y[i]).toBeCloseTo(s, 10);
          }
        },
      ),
    );
  });

  it("checkSquareMatrix / checkSymmetric accept good input and name the argument otherwise", () => {
    expect(checkSquareMatrix("h", [1, 2, 3, 4], 2)).toEqual([1, 2, 3, 4]);
    expect(checkSymmetric("h", [1, 2, 2 + 1e-12, 4], 2)).toBeDefined();
    expect(() => checkSquareMatrix("h", [1, 2, 3], 2)).toThrow(DimensionMismatchError);
    expect(() => checkSymmetric("h", [1, 2, 3, 4], 2)).toThrowError("h: expected a symmetric matrix, received entries [0,1] = 2 and [1,0] = 3");
    expect(() => checkSymmetric("h", [1, 2, 2, Number.NaN], 2)).toThrow(InvalidArgumentError);
  });
});
