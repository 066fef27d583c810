import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { ConvergenceError, type EigenOrder, eigenFromFactors, matVec, symmetricEigen, topEigen } from "./index.js";
import { fromEigen, maxAbs, normals, orthonormalityError, randomOrthogonal, residualError } from "./test-support.js";

const orders: EigenOrder[] = ["magnitude", "descending", "ascending"];

describe("topEigen", () => {
  it("agrees with the dense decomposition on random symmetric matrices, for every order (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(...orders),
        (d, kWanted, seed, order) => {
          const k = Math.min(d, kWanted);
          const g = normals(d * d, seed);
          const a = new Float64Array(d * d);
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] = g[i * d + j] + g[j * d + i];
          const top = topEigen((x) => matVec(a, d, x), d, k, { order, seed });
          const reference = symmetricEigen(a, d, { order, k });
          const size = maxAbs(a) * d;
          for (let j = 0; j < k; j++) expect(Math.abs(top.values[j] - reference.values[j])).toBeLessThanOrEqual(1e-8 * size);
          expect(residualError(top, a)).toBeLessThanOrEqual(1e-8 * size);
          expect(orthonormalityError(top)).toBeLessThanOrEqual(1e-10);
          for (let j = 0; j < k; j++) expect(top.residuals[j]).toBeLessThanOrEqual(1e-10 * size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("finds the top pairs of a d = 1500 factored operator with restarts, matching eigenFromFactors", () => {
    const m = 40;
    const d = 1500;
    const a = normals(m * d, 5);
    const b = normals(m * d, 6);
    // H x = sym(AᵀB)x / m = (Aᵀ(Bx) + Bᵀ(Ax)) / (2m), never formed
    const apply = (x: Float64Array) => {
      const ax = new Float64Array(m);
      const bx = new Float64Array(m);
      for (let i = 0; i < m; i++) for (let t = 0; t < d; t++) {
        ax[i] += a[i * d + t] * x[t];
        bx[i] += b[i * d + t] * x[t];
      }
      const out = new Float64Array(d);
      for (let i = 0; i < m; i++) for (let t = 0; t < d; t++) out[t] += (a[i * d + t] * bx[i] + b[i * d + t] * ax[i]) / (2 * m);
      return out;
    };
    const top = topEigen(apply, d, 5, { subspaceSize: 16 });
    expect(top.restarts).toBeGreaterThan(0);
    const reference = eigenFromFactors(a, b, m, d, { k: 5 });
    for (let j = 0; j < 5; j++) {
      expect(top.values[j]).toBeCloseTo(reference.values[j], 8);
      let overlap = 0;
      for (let t = 0; t < d; t++) overlap += top.vectors[j * d + t] * reference.vectors[j * d + t];
      expect(Math.abs(overlap)).toBeCloseTo(1, 8);
    }
  });

  it("is exact when the basis fills the space, and continues past invariant subspaces (Krylov breakdown)", () => {
    const d = 8;
    const q = randomOrthogonal(d, 9);
    // three distinct eigenvalues: a Krylov space from one vector has dimension 3, then breaks down
    const values = [5, 5, 5, -2, -2, 1, 1, 1];
    const a = fromEigen(values, q, d);
    const all = topEigen((x) => matVec(a, d, x), d, d, { order: "descending" });
    expect(Array.from(all.values).map((v) => Math.round(v * 1e10) / 1e10)).toEqual([5, 5, 5, 1, 1, 1, -2, -2]);
    expect(orthonormalityError(all)).toBeLessThan(1e-12);
    expect(residualError(all, a)).toBeLessThan(1e-12);
    const identity = topEigen((x) => x, 5, 2);
    for (const v of identity.values) expect(v).toBeCloseTo(1, 14);
    expect(orthonormalityError(identity)).toBeLessThan(1e-14);
  });

  it("is deterministic for a seed and accepts a start vector", () => {
    const d = 30;
    const g = normals(d * d, 1);
    const a = g.map((_, i) => g[i] + g[(i % d) * d + Math.floor(i / d)]);
    const run = (seed: number) => topEigen((x) => matVec(a, d, x), d, 3, { seed, subspaceSize: 8 });
    expect(Array.from(run(4).vectors)).toEqual(Array.from(run(4).vectors));
    const started = topEigen((x) => matVec(a, d, x), d, 3, { start: normals(d, 2) });
    for (let j = 0; j < 3; j++) expect(started.values[j]).toBeCloseTo(run(4).values[j], 9);
  });

  it("throws ConvergenceError with the partial pairs when the budget runs out", () => {
    const d = 200;
    const a = fromEigen(Array.from({ length: d }, (_, i) => 1 + i * 1e-4), randomOrthogonal(d, 3), d);
    try {
      topEigen((x) => matVec(a, d, x), d, 2, { maxMatVecs: 30, subspaceSize: 10 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
      expect((e as ConvergenceError).code).toBe("no-convergence");
      const partial = (e as ConvergenceError).partial as { values: Float64Array; matVecs: number };
      expect(partial.values.length).toBe(2);
      expect(partial.matVecs).toBeLessThanOrEqual(30);
    }
  });

  it("rejects bad arguments and misbehaving operators with typed errors", () => {
    const id = (x: Float64Array) => x;
    expect(() => topEigen(id, 3, 4)).toThrowError("k: expected an integer in [0, 3], received 4");
    expect(() => topEigen("H" as never, 3, 1)).toThrowError(/matvec: expected a function/);
    expect(() => topEigen(id, 0, 0)).toThrowError(/d: expected an integer ≥ 1/);
    expect(() => topEigen(() => [1, 2], 3, 1)).toThrow(DimensionMismatchError);
    expect(() => topEigen(() => [1, Number.NaN, 0], 3, 1)).toThrowError(/matvec: expected a function returning finite numbers, received NaN at index 1/);
    expect(() => topEigen(id, 3, 1, { tolerance: 0 })).toThrow(InvalidArgumentError);
    expect(() => topEigen(id, 3, 1, { start: [0, 0, 0] })).toThrowError(/options.start: expected a non-zero vector/);
    expect(() => topEigen(id, 10, 3, { subspaceSize: 3 })).toThrowError(/options.subspaceSize: expected an integer in \[4, 10\]/);
    expect(topEigen(id, 3, 0).k).toBe(0);
  });
});
