import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { headDerivatives } from "./output-head.js";
import { centralDifferenceGradient, centralDifferenceHessian } from "./test-support.js";

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
          // Central differences with h = 1e-6 carry an absolute round-off error of order eps·|f|/h ≈ 1e-10, which
          // dominates a relative check when the seed itself is tiny (cross-entropy at a confident logit vector,
          // e.g. [6, 0, 0]); so the error is measured against max(‖seed‖∞, 0.1).
          const fdSeed = centralDifferenceGradient(value, logits, 1e-6);
          let seedScale = 0.1, seedError = 0;
          for (let i = 0; i < logits.length; i++) {
            seedScale = Math.max(seedScale, Math.abs(head.seed[i]));
            seedError = Math.max(seedError, Math.abs(head.seed[i] - fdSeed[i]));
          }
          expect(seedError).toBeLessThan(1e-7 * seedScale);
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
