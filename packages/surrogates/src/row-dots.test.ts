import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mirrorUpper, rowDots, transpose } from "./row-dots.js";
import { normalVector } from "./test-support.js";

function naiveDots(x: Float64Array, na: number, y: Float64Array, ni: number, len: number): Float64Array {
  const out = new Float64Array(na * ni);
  for (let a = 0; a < na; a++) {
    for (let i = 0; i < ni; i++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += x[a * len + t] * y[i * len + t];
      out[a * ni + i] = s;
    }
  }
  return out;
}

describe("rowDots", () => {
  it("equals the naive dot-product matrix for every shape, tails included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 9 }), fc.integer(), (na, ni, len, seed) => {
        const x = normalVector(seed, na * len);
        const y = normalVector(seed + 1, ni * len);
        const out = new Float64Array(na * ni).fill(Number.NaN); // must be overwritten
        rowDots(out, ni, x, na, y, ni, len);
        const want = naiveDots(x, na, y, ni, len);
        for (let i = 0; i < want.length; i++) expect(out[i]).toBeCloseTo(want[i], 12);
      }),
      { numRuns: 150 },
    );
  });

  it("accumulates over cache chunks when rows are longer than one chunk", () => {
    const len = 2500;
    const x = normalVector(1, 5 * len);
    const y = normalVector(2, 6 * len);
    const out = rowDots(new Float64Array(30), 6, x, 5, y, 6, len);
    const want = naiveDots(x, 5, y, 6, len);
    for (let i = 0; i < 30; i++) expect(Math.abs(out[i] - want[i])).toBeLessThan(1e-10 * len);
  });

  it("upper mode plus mirrorUpper gives the full symmetric Gram matrix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (n, len, seed) => {
        const x = normalVector(seed, n * len);
        const out = mirrorUpper(rowDots(new Float64Array(n * n).fill(Number.NaN), n, x, n, x, n, len, true), n);
        const want = naiveDots(x, n, x, n, len);
        for (let i = 0; i < n * n; i++) expect(out[i]).toBeCloseTo(want[i], 12);
      }),
      { numRuns: 100 },
    );
  });

  it("transpose swaps rows and columns", () => {
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
    expect([...transpose(a, 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
