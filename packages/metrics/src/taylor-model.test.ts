import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { factoredHessian } from "@smoothhess/stein";
import { taylorModel } from "./index.js";
import { dotProduct, multiply, randomSymmetric, randomVector } from "./test-support.js";

const d = 7;
const x0 = randomVector(d, 1);
const g = randomVector(d, 2);
const h = randomSymmetric(d, 3);

/** Eq. 10 written out for one point. */
function direct(point: ArrayLike<number>, value: number, hessian?: Float64Array): number {
  const u = Float64Array.from(point, (v, j) => v - x0[j]);
  return value + dotProduct(g, u) + (hessian ? 0.5 * dotProduct(u, multiply(hessian, u)) : 0);
}

describe("taylorModel (paper Eq. 10)", () => {
  it("evaluates f(x0) + Gᵀu + ½uᵀHu for a batch (blocked dense path, n not a multiple of the block)", () => {
    const model = taylorModel({ value: 1.5, gradient: g, hessian: h, x0 });
    const n = 37;
    const points = randomVector(n * d, 4);
    const out = model.evaluate(points);
    expect(out.length).toBe(n);
    for (let p = 0; p < n; p++) {
      const want = direct(points.subarray(p * d, (p + 1) * d), 1.5, h);
      expect(Math.abs(out[p] - want)).toBeLessThan(1e-12 * (1 + Math.abs(want)));
    }
    expect(model.order).toBe(2);
    expect(model.evaluate(x0)[0]).toBe(1.5); // the anchor is f(x0) itself
  });

  it("is first order without a Hessian", () => {
    const model = taylorModel({ value: -2, gradient: g, x0 });
    const points = randomVector(5 * d, 5);
    const out = model.evaluate(points, 5);
    for (let p = 0; p < 5; p++) expect(out[p]).toBeCloseTo(direct(points.subarray(p * d, (p + 1) * d), -2), 12);
    expect(model.order).toBe(1);
  });

  it("gives the same values for a dense, a factored (FactoredHessian) and a bare matVec Hessian", () => {
    const m = 4;
    const left = randomVector(m * d, 6), right = randomVector(m * d, 7);
    const factored = factoredHessian(left, right, m, d, 0.3);
    const dense = factored.toDense();
    const bare = { matVec: (v: Float64Array) => multiply(dense, v) };
    const points = randomVector(20 * d, 8);
    const a = taylorModel({ value: 0, gradient: g, hessian: dense, x0 }).evaluate(points);
    const b = taylorModel({ value: 0, gradient: g, hessian: factored, x0 }).evaluate(points);
    const c = taylorModel({ value: 0, gradient: g, hessian: bare, x0 }).evaluate(points);
    for (let p = 0; p < 20; p++) {
      expect(Math.abs(b[p] - a[p])).toBeLessThan(1e-12 * (1 + Math.abs(a[p])));
      expect(Math.abs(c[p] - a[p])).toBeLessThan(1e-12 * (1 + Math.abs(a[p])));
    }
  });

  it("change(δ) is the predicted change Gᵀδ + ½δᵀHδ", () => {
    const model = taylorModel({ value: 3, gradient: g, hessian: h, x0 });
    const delta = randomVector(d, 9);
    const want = dotProduct(g, delta) + 0.5 * dotProduct(delta, multiply(h, delta));
    expect(model.change(delta)[0]).toBeCloseTo(want, 12);
  });

  it("rejects bad input with typed errors naming the field", () => {
    expect(() => taylorModel({ value: 0, gradient: g, x0: x0.subarray(1) })).toThrowError(DimensionMismatchError);
    expect(() => taylorModel({ value: 0, gradient: g, x0: x0.subarray(1) })).toThrowError("spec.gradient: expected length 6 (the length of x0), received length 7");
    expect(() => taylorModel({ value: Number.NaN, gradient: g, x0 })).toThrowError(/spec\.value: expected a finite number/);
    expect(() => taylorModel({ value: 0, gradient: [1, Number.POSITIVE_INFINITY], x0: [0, 0] })).toThrowError(/spec\.gradient.*at index 1/);
    expect(() => taylorModel({ value: 0, gradient: g, hessian: h.subarray(1), x0 })).toThrowError(DimensionMismatchError);
    const asymmetric = Float64Array.from(h);
    asymmetric[1] += 1;
    expect(() => taylorModel({ value: 0, gradient: g, hessian: asymmetric, x0 })).toThrowError(/spec\.hessian: expected a symmetric matrix/);
    expect(() => taylorModel({ value: 0, gradient: g, hessian: { dim: 3, matVec: (v: Float64Array) => v }, x0 })).toThrowError("spec.hessian.dim: expected 7 (the length of the gradient), received 3");
    expect(() => taylorModel({ value: 0, gradient: g, hessian: "H" as never, x0 })).toThrowError(InvalidArgumentError);
    expect(() => taylorModel({ value: 0, gradient: [], x0: [] })).toThrowError(/spec\.x0: expected a non-empty array/);
    const model = taylorModel({ value: 0, gradient: g, x0 });
    expect(() => model.evaluate(new Float64Array(d + 1))).toThrowError(/points: expected a row-major n×7 batch/);
  });
});
