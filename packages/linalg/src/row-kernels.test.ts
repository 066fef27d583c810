import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addRowDots, mirrorUpper, rowDots, subtractRowCombinations } from "./row-kernels.js";

/** Sizes that exercise the 4×4 tiles, every remainder, offsets, strides and chunks longer than 1024. */
const shapes = fc.record({
  na: fc.integer({ min: 0, max: 9 }),
  ni: fc.integer({ min: 0, max: 9 }),
  len: fc.constantFrom(0, 1, 3, 17, 1024, 1500),
  xOff: fc.integer({ min: 0, max: 3 }),
  yOff: fc.integer({ min: 0, max: 3 }),
  pad: fc.integer({ min: 0, max: 5 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

function filled(n: number, seed: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * 2);
}

describe("row kernels", () => {
  it("addRowDots adds every dot product between two sets of rows (property)", () => {
    fc.assert(
      fc.property(shapes, ({ na, ni, len, xOff, yOff, pad, seed }) => {
        const ldx = len + pad;
        const ldy = len + pad + 1;
        const x = filled(xOff + na * ldx, seed);
        const y = filled(yOff + ni * ldy, seed + 1);
        const ldo = ni + 2;
        const out = filled(na * ldo, seed + 2);
        const before = Float64Array.from(out);
        addRowDots(out, ldo, x, xOff, ldx, na, y, yOff, ldy, ni, len);
        let error = 0;
        for (let a = 0; a < na; a++) {
          for (let i = 0; i < ldo; i++) {
            let s = 0;
            if (i < ni) for (let t = 0; t < len; t++) s += x[xOff + a * ldx + t] * y[yOff + i * ldy + t];
            error = Math.max(error, Math.abs(out[a * ldo + i] - (before[a * ldo + i] + s)));
          }
        }
        expect(error).toBeLessThan(1e-10);
      }),
      { numRuns: 120 },
    );
  });

  it("subtractRowCombinations subtracts combinations of rows and touches nothing else (property)", () => {
    fc.assert(
      fc.property(shapes, ({ na, ni, len, xOff, yOff, pad, seed }) => {
        const ldx = len + pad;
        const ldy = len + pad + 1;
        const x = filled(xOff + na * ldx, seed);
        const y = filled(yOff + ni * ldy, seed + 1);
        const ldc = ni + 1;
        const c = filled(na * ldc, seed + 2);
        const before = Float64Array.from(y);
        subtractRowCombinations(y, yOff, ldy, ni, x, xOff, ldx, na, c, ldc, len);
        let error = 0;
        for (let p = 0; p < y.length; p++) {
          const rel = p - yOff;
          const i = Math.floor(rel / ldy);
          const t = rel - i * ldy;
          let expected = before[p];
          if (rel >= 0 && i < ni && t < len) for (let a = 0; a < na; a++) expected -= x[xOff + a * ldx + t] * c[a * ldc + i];
          error = Math.max(error, Math.abs(y[p] - expected));
        }
        expect(error).toBeLessThan(1e-10);
      }),
      { numRuns: 120 },
    );
  });
});

describe("rowDots, mirrorUpper, transpose (public, the surrogates' float64 passes use them)", () => {
  function naive(x: Float64Array, na: number, y: Float64Array, ni: number, len: number): Float64Array {
    const out = new Float64Array(na * ni);
    for (let a = 0; a < na; a++) for (let i = 0; i < ni; i++) {
      let s = 0;
      for (let t = 0; t < len; t++) s += x[a * len + t] * y[i * len + t];
      out[a * ni + i] = s;
    }
    return out;
  }

  it("overwrite the dot-product matrix for every shape, tails and rows longer than a cache chunk included; upper + mirrorUpper gives the Gram matrix (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 11 }), fc.constantFrom(0, 1, 3, 9, 2500), fc.nat(), (na, ni, len, seed) => {
        const x = Float64Array.from({ length: na * len }, (_, i) => Math.sin(seed + i));
        const y = Float64Array.from({ length: ni * len }, (_, i) => Math.cos(seed + 2 * i));
        const out = rowDots(new Float64Array(na * ni).fill(Number.NaN), ni, x, na, y, ni, len);
        const want = naive(x, na, y, ni, len);
        for (let i = 0; i < want.length; i++) expect(Math.abs(out[i] - want[i])).toBeLessThanOrEqual(1e-12 * (len + 1));
        const gram = mirrorUpper(rowDots(new Float64Array(na * na).fill(Number.NaN), na, x, na, x, na, len, true), na);
        const wantGram = naive(x, na, x, na, len);
        for (let i = 0; i < wantGram.length; i++) expect(Math.abs(gram[i] - wantGram[i])).toBeLessThanOrEqual(1e-12 * (len + 1));
      }),
      { numRuns: 80 },
    );
  });
});
