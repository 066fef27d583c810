import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headDerivatives } from "./output-head.js";
import { centralDifferenceGradient, centralDifferenceHessian, relativeError } from "./test-support.js";

const logitsArb = fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 2, maxLength: 7 });

describe("head derivatives", () => {
  for (const kind of ["logit", "softmax", "crossEntropy"] as const) {
    it(`${kind}: seed and curvature equal finite differences of the value`, () => {
      fc.assert(
        fc.property(logitsArb, fc.nat(), (logits, pick) => {
          const unit = pick % logits.length;
          const head = headDerivatives(kind, unit, logits);
          const value = (o: Float64Array) => headDerivatives(kind, unit, o).value;
          const seed = (o: Float64Array) => headDerivatives(kind, unit, o).seed;
          expect(relativeError(head.seed, centralDifferenceGradient(value, logits, 1e-6))).toBeLessThan(1e-7);
          const fd = centralDifferenceHessian(seed, logits, 1e-6);
          const c = logits.length;
          if (kind === "logit") {
            expect(head.curvature).toBeNull();
          } else {
            const curvature = head.curvature as Float64Array;
            let scale = 0;
            for (const v of fd) scale = Math.max(scale, Math.abs(v));
            for (let i = 0; i < c * c; i++) expect(Math.abs(curvature[i] - fd[i])).toBeLessThan(1e-7 * Math.max(scale, 1e-3));
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it("cross-entropy is stable for large logits and its curvature rows sum to zero", () => {
    const head = headDerivatives("crossEntropy", 0, [1000, 0, -1000]);
    expect(head.value).toBe(0);
    expect(Number.isFinite(headDerivatives("crossEntropy", 2, [1000, 0, -1000]).value)).toBe(true);
    expect(headDerivatives("crossEntropy", 2, [1000, 0, -1000]).value).toBeCloseTo(2000, 9);
    const h = headDerivatives("crossEntropy", 1, [0.3, -1.2, 2, 0.1]).curvature as Float64Array;
    for (let i = 0; i < 4; i++) expect(Math.abs(h[i * 4] + h[i * 4 + 1] + h[i * 4 + 2] + h[i * 4 + 3])).toBeLessThan(1e-16);
  });
});
