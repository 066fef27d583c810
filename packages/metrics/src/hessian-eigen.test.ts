import { beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { type SymmetricEigen, eigenFromFactors, symmetricEigen, truncateByEnergy } from "@smoothhess/linalg";
import { type FactoredHessian, factoredHessian } from "@smoothhess/stein";
import { FACTORED_ALL_PAIRS_MAX_DIM, FACTORED_DEFAULT_ENERGY, hessianEigen, secondOrderAttack } from "./index.js";
import { randomSymmetric, randomVector } from "./test-support.js";

// Every eigenFromFactors call of this package goes through a spy that records what it returned (the basis).
vi.mock("@smoothhess/linalg", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@smoothhess/linalg")>();
  return { ...actual, eigenFromFactors: vi.fn(actual.eigenFromFactors) };
});
const spy = vi.mocked(eigenFromFactors);

/** The bases (`vectors` lengths) eigenFromFactors returned during `run`. */
function basesDuring<T>(run: () => T): { result: T; bases: number[] } {
  spy.mockClear();
  const result = run();
  return { result, bases: spy.mock.results.map((r) => (r.value as SymmetricEigen).vectors.length) };
}

/**
 * A Monte-Carlo-like factored Hessian `sym(AᵀB)/m` with a decaying spectrum: B's rows are geometrically shrinking
 * multiples of A's rows plus noise, like a SmoothHess estimate with a few dominant interaction directions.
 */
function decayingFactors(m: number, d: number, seed: number): FactoredHessian {
  const a = randomVector(m * d, seed);
  const noise = randomVector(m * d, seed + 1, 0.001);
  const b = Float64Array.from(a, (v, i) => v * 0.8 ** Math.floor(i / d) + noise[i]);
  return factoredHessian(a, b, m, d, 1 / m);
}

describe("hessianEigen of a FactoredHessian at large d (d = 20,000, m = 50): no full d×2m basis by default", () => {
  const d = 20_000, m = 50;
  let h: FactoredHessian;
  let all: SymmetricEigen;
  let byDefault: SymmetricEigen;
  let defaultBases: number[];
  // two QR decompositions of a 20,000×100 basis: about a second alone, more on a busy machine (the hook's default
  // limit is 10 s)
  beforeAll(() => {
    h = decayingFactors(m, d, 1);
    all = hessianEigen(h, d, { k: "all" });
    ({ result: byDefault, bases: defaultBases } = basesDuring(() => hessianEigen(h, d)));
  }, 120_000);

  it("returns the k(0.98) pairs of Eq. 71 and asks eigenFromFactors for no more; { k: \"all\" } gives min(d, 2m)", () => {
    expect(d).toBeGreaterThan(FACTORED_ALL_PAIRS_MAX_DIM);
    expect(all.k).toBe(2 * m);
    expect(all.vectors.length).toBe(2 * m * d);
    const k = truncateByEnergy(all.values, FACTORED_DEFAULT_ENERGY);
    expect(k).toBeLessThan(m); // the test's spectrum decays: far fewer pairs than 2m
    expect(byDefault.k).toBe(k);
    expect(byDefault.vectors.length).toBe(k * d);
    expect(defaultBases).toEqual([k * d]); // the only basis allocated on the default path
    expect(Array.from(byDefault.values)).toEqual(Array.from(all.values.subarray(0, k)));
    expect(byDefault.totalMagnitude).toBe(all.totalMagnitude);
  });

  it("the reduced attack from the default pairs equals the one from all pairs (rank, step) for T ≤ 0.98", () => {
    const g = randomVector(d, 7, 1e-3);
    const x0 = new Float64Array(d);
    for (const energy of [0.8, 0.98]) {
      for (const radius of [0.5, 5]) {
        const want = secondOrderAttack({ x0, gradient: g, eigen: all, radius, energy });
        const got = secondOrderAttack({ x0, gradient: g, eigen: byDefault, radius, energy });
        expect(got.rank).toBe(want.rank);
        let worst = 0;
        for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(got.step[i] - want.step[i]));
        expect(worst).toBeLessThanOrEqual(1e-12 * radius);
        expect(got.taylorChange).toBeCloseTo(want.taylorChange, 10);
      }
    }
  });

  it("refuses the default pairs for the exact attack and for a threshold above 0.98, naming the argument", () => {
    const g = randomVector(d, 7, 1e-3);
    const x0 = new Float64Array(d);
    expect(() => secondOrderAttack({ x0, gradient: g, eigen: byDefault, radius: 1 })).toThrowError(
      /^spec\.eigen: expected every eigenpair of H̃ for the exact attack \(hessianEigen\(hessian, d, \{ k: "all" \}\)\)/,
    );
    expect(() => secondOrderAttack({ x0, gradient: g, eigen: byDefault, radius: 1, energy: 0.99 })).toThrowError(/^spec\.energy: expected at most 0\.98/);
    expect(() => secondOrderAttack({ x0, gradient: g, eigen: byDefault, radius: 1, energy: 0.99 })).toThrow(InvalidArgumentError);
  });

  it("secondOrderAttack({ hessian }) lifts only the k(T) pairs for the reduced attack and every pair for the exact one", () => {
    const g = randomVector(d, 8, 1e-3);
    const x0 = new Float64Array(d);
    const reduced = basesDuring(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 2, energy: 0.8 }));
    const k = truncateByEnergy(all.values, 0.8);
    expect(reduced.bases).toEqual([k * d]);
    const want = secondOrderAttack({ x0, gradient: g, eigen: all, radius: 2, energy: 0.8 });
    expect(reduced.result.rank).toBe(want.rank);
    for (let i = 0; i < d; i += 97) expect(reduced.result.step[i]).toBeCloseTo(want.step[i], 13);
    expect(reduced.result.taylorChange).toBeCloseTo(want.taylorChange, 10);
    const exact = basesDuring(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 2 }));
    expect(exact.bases).toEqual([2 * m * d]);
    expect(exact.result.rank).toBe(2 * m);
  });
});

describe("hessianEigen: defaults at small d and the k / energy options", () => {
  it("keeps every pair of a FactoredHessian up to d = 4096, the k(0.98) pairs above", () => {
    const m = 2;
    for (const d of [FACTORED_ALL_PAIRS_MAX_DIM, FACTORED_ALL_PAIRS_MAX_DIM + 1]) {
      const h = decayingFactors(m, d, 3);
      const all = hessianEigen(h, d, { k: "all" });
      const eigen = hessianEigen(h, d);
      expect(eigen.k, `d = ${d}`).toBe(d <= FACTORED_ALL_PAIRS_MAX_DIM ? 2 * m : truncateByEnergy(all.values, 0.98));
    }
  });

  it("dense: all pairs by default (symmetricEigen's), the leading k, or k(T) with the spectrum's Σ|λ|", () => {
    const d = 6;
    const h = randomSymmetric(d, 4);
    const full = symmetricEigen(h, d);
    const byDefault = hessianEigen(h, d);
    expect(Array.from(byDefault.values)).toEqual(Array.from(full.values));
    expect(Array.from(byDefault.vectors)).toEqual(Array.from(full.vectors));
    expect(byDefault.totalMagnitude).toBeUndefined();
    const two = hessianEigen(h, d, { k: 2 });
    expect(two.k).toBe(2);
    expect(Array.from(two.vectors)).toEqual(Array.from(full.vectors.subarray(0, 2 * d)));
    expect(two.totalMagnitude).toBeUndefined(); // an explicit count stands for the whole matrix
    const paper = hessianEigen(h, d, { energy: 0.7 });
    expect(paper.k).toBe(truncateByEnergy(full.values, 0.7));
    expect(paper.totalMagnitude).toBe(full.values.reduce((s, v) => s + Math.abs(v), 0));
  });

  it("an operator with eigen(): its pairs, or their leading k(T)", () => {
    const d = 5;
    const full = symmetricEigen(randomSymmetric(d, 5), d);
    const op = { dim: d, matVec: (v: Float64Array) => v, eigen: () => full };
    expect(hessianEigen(op, d)).toBe(full);
    const paper = hessianEigen(op, d, { energy: 0.5 });
    expect(paper.k).toBe(truncateByEnergy(full.values, 0.5));
    expect(paper.totalMagnitude).toBeGreaterThan(0);
  });

  it("rejects bad options with typed errors naming them", () => {
    const h = randomSymmetric(3, 6);
    expect(() => hessianEigen(h, 3, { k: 4 })).toThrowError('options.k: expected "all" or an integer in [0, 3], received 4');
    expect(() => hessianEigen(h, 3, { k: "some" as never })).toThrowError(/^options\.k/);
    expect(() => hessianEigen(h, 3, { energy: 0 })).toThrowError("options.energy: expected a finite number in (0, 1], received 0");
    expect(() => hessianEigen(h, 3, { energy: 0.5, k: 2 })).toThrowError(/^options\.energy: expected no energy threshold together with options\.k/);
    expect(() => hessianEigen(h, 3, null as never)).toThrow(InvalidArgumentError);
  });
});
