import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { symmetricEigen } from "@smoothhess/linalg";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lowRankHessian } from "./low-rank-hessian.js";
import { normalVector, relativeError } from "./test-support.js";

function symmetricMiddle(seed: number, r: number): Float64Array {
  const a = normalVector(seed, r * r);
  const m = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) m[i * r + j] = (a[i * r + j] + a[j * r + i]) / 2;
  return m;
}

/** W M Wᵀ by three explicit loops. */
function denseReference(w: Float64Array, m: Float64Array, d: number, r: number): Float64Array {
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) s += w[i * r + a] * m[a * r + b] * w[j * r + b];
    h[i * d + j] = s;
  }
  return h;
}

describe("lowRankHessian", () => {
  it("matVec, quadraticForm and toDense agree with W M Wᵀ", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer(), (d, r, seed) => {
        const w = normalVector(seed, d * r);
        const m = symmetricMiddle(seed + 1, r);
        const h = lowRankHessian(w, m, d, r);
        const dense = denseReference(w, m, d, r);
        expect(relativeError(h.toDense(), dense)).toBeLessThan(1e-13);
        const v = normalVector(seed + 2, d);
        const hv = h.matVec(v);
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += dense[i * d + j] * v[j];
          expect(hv[i]).toBeCloseTo(s, 10);
        }
        let q = 0;
        for (let i = 0; i < d; i++) q += v[i] * hv[i];
        expect(h.quadraticForm(v)).toBeCloseTo(q, 10);
      }),
      { numRuns: 80 },
    );
  });

  it("eigen() through the r×r factor equals the dense eigendecomposition, indefinite middles included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 14 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (d, r, seed) => {
        const w = normalVector(seed, d * r);
        const m = symmetricMiddle(seed + 7, r);
        const h = lowRankHessian(w, m, d, r);
        const dense = h.toDense();
        const want = symmetricEigen(dense, d, { order: "magnitude" });
        const got = h.eigen();
        const k = Math.min(d, r);
        expect(got.k).toBe(k);
        const scale = Math.abs(want.values[0]) || 1;
        for (let j = 0; j < k; j++) {
          expect(Math.abs(got.values[j] - want.values[j])).toBeLessThan(1e-10 * scale);
          // each returned vector is a unit eigenvector: ‖Hq − λq‖ small
          const q = got.vectors.subarray(j * d, (j + 1) * d);
          const hq = h.matVec(q);
          let res = 0;
          let norm = 0;
          for (let i = 0; i < d; i++) {
            res = Math.max(res, Math.abs(hq[i] - got.values[j] * q[i]));
            norm += q[i] * q[i];
          }
          expect(res).toBeLessThan(1e-9 * scale);
          expect(norm).toBeCloseTo(1, 10);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("handles the singular middle diag(p) − ppᵀ, whose Cholesky factor does not exist", () => {
    const p = [0.7, 0.2, 0.1];
    const m = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m[i * 3 + j] = (i === j ? p[i] : 0) - p[i] * p[j];
    const w = normalVector(3, 20 * 3);
    const h = lowRankHessian(w, m, 20, 3);
    const e = h.eigen({ k: 4, order: "descending" });
    expect(e.values[0]).toBeGreaterThan(0);
    expect(e.values[1]).toBeGreaterThan(0);
    // rank 2 (the middle has the null vector 1): the third and fourth are zero to rounding
    expect(Math.abs(e.values[2])).toBeLessThan(1e-12 * e.values[0]);
    expect(Math.abs(e.values[3])).toBeLessThan(1e-12 * e.values[0]);
  });

  it("rejects factors that do not fit, non-finite entries and asymmetric middles", () => {
    const w = new Float64Array(6);
    expect(() => lowRankHessian(w, new Float64Array(4), 3, 2)).not.toThrow();
    expect(() => lowRankHessian(w, new Float64Array(4), 4, 2)).toThrowError(DimensionMismatchError);
    expect(() => lowRankHessian(w, new Float64Array(4), 4, 2)).toThrowError(/^w: expected length 8/);
    expect(() => lowRankHessian(w, new Float64Array(3), 3, 2)).toThrowError(/^middle: expected length 4/);
    expect(() => lowRankHessian(w, Float64Array.from([1, 2, 3, 4]), 3, 2)).toThrowError(/^middle: expected a symmetric matrix, received entries \(0,1\) and \(1,0\) differ/);
    expect(() => lowRankHessian(Float64Array.from([1, 2, 3, 4, 5, Number.POSITIVE_INFINITY]), new Float64Array(4), 3, 2)).toThrowError(/^w: expected a finite number at every index/);
    expect(() => lowRankHessian([1, 2] as never, new Float64Array(1), 2, 1)).toThrowError(InvalidArgumentError);
    expect(() => lowRankHessian(w, new Float64Array(4), 3, 2).matVec([1, 2])).toThrowError(/^v: expected length 3/);
    expect(() => lowRankHessian(w, new Float64Array(4), 3, 2).eigen({ k: 4 })).toThrowError(/^options\.k/);
  });
});
