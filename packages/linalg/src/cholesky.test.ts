import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InvalidArgumentError } from "@smoothhess/errors";
import {
  NotPositiveDefiniteError,
  cholesky,
  lowerMatVec,
  matVec,
  solveLowerInPlace,
  solveLowerTransposeInPlace,
} from "./index.js";

/** A random SPD matrix B Bᵀ + d·I from entries in [-1, 1]. */
function spd(entries: number[], d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = i === j ? d : 0;
      for (let k = 0; k < d; k++) s += entries[i * d + k] * entries[j * d + k];
      a[i * d + j] = s;
    }
  }
  return a;
}

const spdCase = fc.integer({ min: 1, max: 8 }).chain((d) =>
  fc.tuple(
    fc.constant(d),
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d * d, maxLength: d * d }),
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: d, maxLength: d }),
  ),
);

describe("cholesky", () => {
  it("reconstructs A = L Lᵀ with L lower triangular (property)", () => {
    fc.assert(
      fc.property(spdCase, ([d, entries]) => {
        const a = spd(entries, d);
        const l = cholesky(a, d);
        for (let i = 0; i < d; i++) {
          for (let j = i + 1; j < d; j++) expect(l[i * d + j]).toBe(0);
          for (let j = 0; j < d; j++) {
            let s = 0;
            for (let k = 0; k < d; k++) s += l[i * d + k] * l[j * d + k];
            expect(Math.abs(s - a[i * d + j])).toBeLessThanOrEqual(1e-10 * Math.abs(a[i * d + i] + a[j * d + j]));
          }
        }
      }),
    );
  });

  it("triangular solves invert L and Lᵀ (property)", () => {
    fc.assert(
      fc.property(spdCase, ([d, entries, x]) => {
        const l = cholesky(spd(entries, d), d);
        const y = solveLowerInPlace(l, d, lowerMatVec(l, d, x));
        const lt = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lt[i * d + j] = l[j * d + i];
        const z = solveLowerTransposeInPlace(l, d, matVec(lt, d, x));
        for (let i = 0; i < d; i++) {
          expect(y[i]).toBeCloseTo(x[i], 9);
          expect(z[i]).toBeCloseTo(x[i], 9);
        }
      }),
    );
  });

  it("rejects indefinite, asymmetric and malformed matrices with typed errors", () => {
    expect(() => cholesky([1, 2, 2, 1], 2, "covariance")).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky([1, 0, 0, 0], 2)).toThrow(NotPositiveDefiniteError);
    expect(() => cholesky([1, 0.5, 0.4, 1], 2, "covariance")).toThrowError(/covariance: expected a symmetric matrix/);
    expect(() => cholesky([1, 0, 0], 2)).toThrowError(/expected a 2×2 row-major matrix/);
    expect(() => cholesky([1, 0, 0, Number.POSITIVE_INFINITY], 2)).toThrow(InvalidArgumentError);
  });
});
