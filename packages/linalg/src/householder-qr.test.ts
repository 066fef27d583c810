import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyQInPlace, householderQRInPlace } from "./householder-qr.js";
import { normals } from "./test-support.js";

/** Columns of C as rows (nc×d): random, rank-deficient (repeated and zero columns), wide (nc > d), > 1 panel. */
const matrices = fc
  .record({
    d: fc.integer({ min: 1, max: 50 }),
    nc: fc.integer({ min: 1, max: 70 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kind: fc.constantFrom("random", "repeated", "zero"),
  })
  .map(({ d, nc, seed, kind }) => {
    const c = normals(nc * d, seed);
    if (kind === "repeated") for (let j = 1; j < nc; j += 3) c.copyWithin(j * d, (j - 1) * d, j * d);
    if (kind === "zero") c.fill(0, 0, Math.min(nc, 3) * d);
    return { d, nc, c };
  });

describe("householderQRInPlace / applyQInPlace", () => {
  it("gives Q orthonormal and Q [R; 0] = C, rank-deficient and wide input included (property)", () => {
    fc.assert(
      fc.property(matrices, ({ d, nc, c }) => {
        const qr = householderQRInPlace(Float64Array.from(c), nc, d);
        // Q = Q·I: apply to the d unit vectors
        const q = new Float64Array(d * d);
        for (let i = 0; i < d; i++) q[i * d + i] = 1;
        applyQInPlace(qr, q, d); // row i = Q eᵢ = column i of Q
        let scale = 0;
        for (const v of c) scale = Math.max(scale, Math.abs(v));
        let orthogonality = 0;
        for (let i = 0; i < d; i++) {
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let t = 0; t < d; t++) s += q[i * d + t] * q[j * d + t];
            orthogonality = Math.max(orthogonality, Math.abs(s - (i === j ? 1 : 0)));
          }
        }
        expect(orthogonality).toBeLessThan(1e-13 * d);
        // column j of C = Σ_{i ≤ min(j, r-1)} R[i][j] · (column i of Q)
        let residual = 0;
        for (let j = 0; j < nc; j++) {
          for (let t = 0; t < d; t++) {
            let s = 0;
            for (let i = 0; i <= Math.min(j, qr.r - 1); i++) s += qr.x[j * d + i] * q[i * d + t];
            residual = Math.max(residual, Math.abs(s - c[j * d + t]));
          }
        }
        expect(residual).toBeLessThanOrEqual(1e-12 * (scale || 1) * d);
      }),
      { numRuns: 80 },
    );
  });
});
