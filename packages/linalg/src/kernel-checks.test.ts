import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import {
  addRowDots,
  addTransposedProduct,
  lowerMatVec,
  matVec,
  mirrorUpper,
  rowDots,
  solveLowerInPlace,
  solveLowerTransposeInPlace,
  spectrumEnergy,
  subtractRowCombinations,
  symmetricEigenvalues,
  symmetrizeInPlace,
  transpose,
} from "./index.js";

/** Short arrays used to read `undefined` and return NaN; now each call names the argument at fault. */
describe("argument checks of the exported kernels", () => {
  const identity = [1, 0, 0, 1];

  it("matVec: short matrix, short vector, short output, aliasing, bad d", () => {
    expect(() => matVec([1, 2, 3], 2, [1, 1])).toThrow(DimensionMismatchError);
    expect(() => matVec([1, 2, 3], 2, [1, 1])).toThrow(/^a:/);
    expect(() => matVec(identity, 2, [1])).toThrow(/^x:/);
    expect(() => matVec(identity, 2, [1, 1], new Float64Array(1))).toThrow(/^out:/);
    const x = Float64Array.of(1, 2);
    expect(() => matVec(identity, 2, x, x)).toThrow(InvalidArgumentError);
    expect(() => matVec(identity, 1.5, [1, 1])).toThrow(/^d:/);
    expect(Array.from(matVec(identity, 2, [3, 4]))).toEqual([3, 4]);
  });

  it("addTransposedProduct: short factors, short accumulator, bad sizes, non-finite scale", () => {
    const out = new Float64Array(4);
    expect(() => addTransposedProduct(out, [1, 2, 3], [1, 2, 3, 4], 2, 2, 2)).toThrow(/^a:/);
    expect(() => addTransposedProduct(out, [1, 2, 3, 4], [1, 2], 2, 2, 2)).toThrow(/^b:/);
    expect(() => addTransposedProduct(new Float64Array(3), [1, 2, 3, 4], [1, 2, 3, 4], 2, 2, 2)).toThrow(DimensionMismatchError);
    expect(() => addTransposedProduct(out, [1, 2, 3, 4], [1, 2, 3, 4], -1, 2, 2)).toThrow(/^m:/);
    expect(() => addTransposedProduct(out, [1, 2, 3, 4], [1, 2, 3, 4], 2, 2, 2, Number.NaN)).toThrow(/^scale:/);
    expect(() => addTransposedProduct([0, 0, 0, 0] as never, [1, 2, 3, 4], [1, 2, 3, 4], 2, 2, 2)).toThrow(/^out:/);
  });

  it("lowerMatVec, solveLowerInPlace, solveLowerTransposeInPlace: short L, short vectors", () => {
    expect(() => lowerMatVec([1, 0, 1], 2, [1, 1])).toThrow(/^lower:/);
    expect(() => lowerMatVec(identity, 2, [1])).toThrow(/^x:/);
    expect(() => lowerMatVec(identity, 2, [1, 1], new Float64Array(1))).toThrow(/^out:/);
    expect(() => solveLowerInPlace(identity, 2, new Float64Array(1))).toThrow(/^b:/);
    expect(() => solveLowerTransposeInPlace([1], 2, new Float64Array(2))).toThrow(/^lower:/);
    expect(Array.from(lowerMatVec([2, 0, 1, 3], 2, [1, 1]))).toEqual([2, 4]);
  });

  it("row kernels: blocks that do not fit, non-Float64Array buffers, negative sizes", () => {
    const x = new Float64Array(6);
    expect(() => addRowDots(new Float64Array(4), 2, x, 0, 3, 2, x, 2, 3, 2, 3)).toThrow(/^y:/);
    expect(() => addRowDots(new Float64Array(3), 2, x, 0, 3, 2, x, 0, 3, 2, 3)).toThrow(/^out:/);
    expect(() => addRowDots(new Float64Array(4), 2, [1, 2] as never, 0, 3, 2, x, 0, 3, 2, 3)).toThrow(InvalidArgumentError);
    expect(() => subtractRowCombinations(x, 0, 3, 2, x, 0, 3, 2, new Float64Array(3), 2, 3)).toThrow(/^c:/);
    expect(() => rowDots(new Float64Array(4), 2, [1, 2, 3], 2, [1, 2, 3, 4], 2, 2)).toThrow(/^x:/);
    expect(() => rowDots(new Float64Array(6), 3, [1, 2, 3, 4], 2, [1, 2, 3, 4, 5, 6], 3, 2, true)).toThrow(/^upper:/);
    expect(() => mirrorUpper(new Float64Array(3), 2)).toThrow(/^a:/);
    expect(() => transpose([1, 2, 3], 2, 2)).toThrow(/^a:/);
    expect(() => symmetrizeInPlace(new Float64Array(3), 2)).toThrow(/^a:/);
    expect(() => addRowDots(new Float64Array(4), 2, x, 0, 3, -1, x, 0, 3, 2, 3)).toThrow(/^na:/);
  });

  it("spectrumEnergy and symmetricEigenvalues: malformed arguments", () => {
    expect(() => spectrumEnergy(null as never)).toThrow(InvalidArgumentError);
    expect(() => spectrumEnergy({ values: [1, Number.NaN] })).toThrow(/eigen.values/);
    expect(() => spectrumEnergy({ values: [1], totalMagnitude: -1 })).toThrow(/eigen.totalMagnitude/);
    expect(() => symmetricEigenvalues([1, 2, 2, 1], 2, null as never)).toThrow(/options/);
  });

  it("rowDots overwrites, and its upper mode with mirrorUpper gives the Gram matrix", () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10); // 5 rows of 2
    const full = rowDots(new Float64Array(25).fill(Number.NaN), 5, x, 5, x, 5, 2);
    const half = mirrorUpper(rowDots(new Float64Array(25).fill(Number.NaN), 5, x, 5, x, 5, 2, true), 5);
    for (let a = 0; a < 5; a++) for (let i = 0; i < 5; i++) {
      const want = x[2 * a] * x[2 * i] + x[2 * a + 1] * x[2 * i + 1];
      expect(full[a * 5 + i]).toBe(want);
      expect(half[a * 5 + i]).toBe(want);
    }
    expect(Array.from(transpose([1, 2, 3, 4, 5, 6], 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
