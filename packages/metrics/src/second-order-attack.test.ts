import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { KRYLOV_MIN_DIMENSION, symmetricEigen, truncateByEnergy } from "@smoothhess/linalg";
import { factoredHessian } from "@smoothhess/stein";
import { ATTACK_ENERGY_THRESHOLDS, firstOrderAttack, hessianEigen, secondOrderAttack, secondOrderAttacks } from "./index.js";
import { dotProduct, euclidean, quadraticModel, randomSymmetric, randomVector } from "./test-support.js";

/** A random problem: symmetric H (possibly indefinite), gradient, radius. */
const problem = fc
  .record({
    d: fc.integer({ min: 1, max: 7 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    hScale: fc.double({ min: 0.01, max: 20, noNaN: true }),
    gScale: fc.double({ min: 1e-3, max: 5, noNaN: true }),
    radius: fc.double({ min: 1e-3, max: 10, noNaN: true }),
  })
  .map(({ d, seed, hScale, gScale, radius }) => ({
    d,
    h: randomSymmetric(d, seed, hScale),
    g: randomVector(d, seed + 1, gScale),
    x0: randomVector(d, seed + 2),
    radius,
  }));

/**
 * Brute force over the closed ball in d = 2 or 3: the model on a polar/spherical grid, then a pattern search from
 * the best grid point in (ρ, angles), shrinking the pattern until it is below 1e-12.
 */
function bruteForce(g: Float64Array, h: Float64Array, r: number): { value: number; step: Float64Array } {
  const d = g.length;
  const s = new Float64Array(d);
  const setStep = (p: readonly number[]): void => {
    const rho = Math.min(Math.max(p[0], 0), r);
    if (d === 2) {
      s[0] = rho * Math.cos(p[1]);
      s[1] = rho * Math.sin(p[1]);
    } else {
      s[0] = rho * Math.sin(p[1]) * Math.cos(p[2]);
      s[1] = rho * Math.sin(p[1]) * Math.sin(p[2]);
      s[2] = rho * Math.cos(p[1]);
    }
  };
  const valueAt = (p: readonly number[]): number => {
    setStep(p);
    let v = 0;
    for (let i = 0; i < d; i++) {
      let hs = 0;
      for (let j = 0; j < d; j++) hs += h[i * d + j] * s[j];
      v += s[i] * (g[i] + 0.5 * hs);
    }
    return v;
  };
  let best = d === 2 ? [0, 0] : [0, 0, 0];
  let bestValue = 0;
  const visit = (p: number[]) => {
    const v = valueAt(p);
    if (v < bestValue) {
      bestValue = v;
      best = p;
    }
  };
  const radii = d === 2 ? 200 : 50, polar = 60, azimuth = d === 2 ? 2000 : 120;
  for (let i = 0; i <= radii; i++) {
    const rho = (r * i) / radii;
    if (d === 2) for (let a = 0; a < azimuth; a++) visit([rho, (2 * Math.PI * a) / azimuth]);
    else for (let a = 0; a <= polar; a++) for (let b = 0; b < azimuth; b++) visit([rho, (Math.PI * a) / polar, (2 * Math.PI * b) / azimuth]);
  }
  let steps = [r / radii, ...Array(d - 1).fill(0.1)];
  while (Math.max(...steps) > 1e-12) {
    let improved = false;
    for (let k = 0; k < d; k++) {
      for (const sign of [-1, 1]) {
        const p = best.slice();
        p[k] += sign * steps[k];
        p[0] = Math.min(Math.max(p[0], 0), r);
        const v = valueAt(p);
        if (v < bestValue) {
          bestValue = v;
          best = p;
          improved = true;
        }
      }
    }
    if (!improved) steps = steps.map((x) => x / 2);
  }
  setStep(best);
  return { value: bestValue, step: Float64Array.from(s) };
}

describe("secondOrderAttack: the exact trust-region step (paper Eq. 12 / 64)", () => {
  it("never leaves the ball (exact and reduced) and never does worse on the Taylor model than the first-order step (property)", () => {
    fc.assert(
      fc.property(problem, ({ d, h, g, x0, radius }) => {
        const second = secondOrderAttack({ x0, gradient: g, hessian: h, radius });
        const first = firstOrderAttack({ x0, gradient: g, radius });
        expect(euclidean(second.step)).toBeLessThanOrEqual(radius);
        const q2 = quadraticModel(g, h, second.step);
        const q1 = quadraticModel(g, h, first.step);
        const scale = euclidean(g) * radius + Math.max(...h.map(Math.abs)) * radius * radius * d;
        expect(q2).toBeLessThanOrEqual(q1 + 1e-12 * scale);
        expect(q2).toBeLessThanOrEqual(1e-12 * scale); // never worse than δ = 0
        expect(second.taylorChange).toBeCloseTo(q2, 10);
        for (let j = 0; j < d; j++) expect(second.point[j]).toBe(x0[j] + second.step[j]);
        for (const energy of [0.5, 0.8, 0.98]) {
          expect(euclidean(secondOrderAttack({ x0, gradient: g, hessian: h, radius, energy }).step)).toBeLessThanOrEqual(radius);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it.each([2, 3])("d = %i: equals a brute-force optimum over the ball (grid + pattern search)", (d) => {
    const regimes = { interior: 0, definiteBoundary: 0, indefinite: 0 };
    for (let seed = 0; seed < 12; seed++) {
      // seeds 0, 4, 8: positive definite with a small gradient (interior Newton step); 1, 5, 9: positive definite,
      // large gradient (boundary); the rest indefinite
      const m = randomSymmetric(d, 500 + seed, 1 + (seed % 4));
      const definite = seed % 4 < 2;
      const h = definite ? Float64Array.from(m, (_, k) => dotProduct(m.subarray(Math.floor(k / d) * d, Math.floor(k / d) * d + d), m.subarray((k % d) * d, (k % d) * d + d)) + (k % (d + 1) === 0 ? 0.5 : 0)) : m;
      const g = randomVector(d, 600 + seed, seed % 4 === 0 ? 0.05 : 1);
      const radius = [0.3, 1, 2.5][seed % 3];
      const attack = secondOrderAttack({ x0: new Float64Array(d), gradient: g, hessian: h, radius });
      if (!attack.onBoundary) regimes.interior++;
      else if (definite) regimes.definiteBoundary++;
      else regimes.indefinite++;
      const brute = bruteForce(g, h, radius);
      const q = quadraticModel(g, h, attack.step);
      expect(q).toBeLessThanOrEqual(brute.value + 1e-12); // nothing feasible is better
      expect(Math.abs(q - brute.value)).toBeLessThan(1e-9 * (1 + Math.abs(brute.value)));
      expect(euclidean(attack.step.map((v, j) => v - brute.step[j]))).toBeLessThan(1e-4 * radius);
    }
    // every regime was exercised
    expect(Math.min(regimes.interior, regimes.definiteBoundary, regimes.indefinite)).toBeGreaterThan(0);
  });

  it("handles the hard case (g ⟂ the lowest eigenvector): reaches the sphere along it", () => {
    const h = Float64Array.of(-2, 0, 0, 0, 1, 0, 0, 0, 3);
    const g = Float64Array.of(0, 1, 1);
    const attack = secondOrderAttack({ x0: new Float64Array(3), gradient: g, hessian: h, radius: 2 });
    expect(attack.hardCase).toBe(true);
    expect(euclidean(attack.step)).toBeCloseTo(2, 12);
    // (H + 2I)δ = −g on the last two coordinates, the rest along e₁
    expect(attack.step[1]).toBeCloseTo(-1 / 3, 12);
    expect(attack.step[2]).toBeCloseTo(-1 / 5, 12);
    const brute = bruteForce(g, h, 2);
    expect(quadraticModel(g, h, attack.step)).toBeCloseTo(brute.value, 9);
  });

  it("gives the same step from a dense Hessian, its FactoredHessian and precomputed eigenpairs", () => {
    const d = 9, m = 3;
    const factored = factoredHessian(randomVector(m * d, 1), randomVector(m * d, 2), m, d, 0.7);
    const dense = factored.toDense();
    const g = randomVector(d, 3), x0 = randomVector(d, 4);
    const a = secondOrderAttack({ x0, gradient: g, hessian: dense, radius: 0.8 });
    const b = secondOrderAttack({ x0, gradient: g, hessian: factored, radius: 0.8 });
    const c = secondOrderAttack({ x0, gradient: g, eigen: hessianEigen(dense, d), radius: 0.8 });
    expect(hessianEigen(factored, d).k).toBe(2 * m); // the factors carry rank ≤ 2m: never d×d
    for (let j = 0; j < d; j++) {
      expect(b.step[j]).toBeCloseTo(a.step[j], 10);
      expect(c.step[j]).toBe(a.step[j]);
    }
  });

  it("asks an operator with eigen() (the surrogates' low-rank W M Wᵀ) for its pairs", () => {
    const d = 8, r = 3;
    const w = randomVector(d * r, 11);
    const middle = randomSymmetric(r, 12); // indefinite, like the SoftMax-probability Hessian's middle factor
    const dense = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) dense[i * d + j] += w[i * r + a] * middle[a * r + b] * w[j * r + b];
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) dense[i * d + j] = dense[j * d + i];
    const full = symmetricEigen(dense, d);
    let eigenCalls = 0;
    const lowRank = {
      d,
      matVec: (v: Float64Array) => Float64Array.from({ length: d }, (_, i) => dotProduct(dense.subarray(i * d, (i + 1) * d), v)),
      eigen: () => {
        eigenCalls++;
        return { d, k: r, values: full.values.slice(0, r), vectors: full.vectors.slice(0, r * d) };
      },
    };
    const g = randomVector(d, 13), x0 = new Float64Array(d);
    for (const method of ["exact", "reduced"] as const) {
      const viaOperator = secondOrderAttack({ x0, gradient: g, hessian: lowRank, radius: 0.7, method, ...(method === "reduced" ? { energy: 1 } : {}) });
      const viaDense = secondOrderAttack({ x0, gradient: g, hessian: dense, radius: 0.7, method: "exact" });
      if (method === "exact") for (let j = 0; j < d; j++) expect(viaOperator.step[j]).toBeCloseTo(viaDense.step[j], 10);
      expect(viaOperator.rank).toBe(r);
    }
    expect(eigenCalls).toBe(2);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: { ...lowRank, eigen: () => ({ d: 3, k: 1, values: new Float64Array(1), vectors: new Float64Array(3) }) }, radius: 1 })).toThrowError(DimensionMismatchError);
  });
});

describe("secondOrderAttack: the paper's reduced variant (App. D.1, Eq. 66–71)", () => {
  it("equals the exact attack when T = 1 and H is non-singular (property)", () => {
    fc.assert(
      fc.property(problem, ({ h, g, x0, radius }) => {
        const exact = secondOrderAttack({ x0, gradient: g, hessian: h, radius });
        const reduced = secondOrderAttack({ x0, gradient: g, hessian: h, radius, method: "reduced", energy: 1 });
        expect(reduced.rank).toBe(g.length);
        for (let j = 0; j < g.length; j++) expect(Math.abs(reduced.step[j] - exact.step[j])).toBeLessThanOrEqual(1e-10 * radius);
      }),
      { numRuns: 200, seed: 23 },
    );
  });

  it("with T < 1 keeps k(T) eigenpairs (Eq. 71), stays in their span and in the ball", () => {
    const d = 12;
    const h = randomSymmetric(d, 31);
    const g = randomVector(d, 32);
    const eigen = symmetricEigen(h, d);
    for (const T of [0.3, 0.8, 0.98]) {
      const attack = secondOrderAttack({ x0: new Float64Array(d), gradient: g, eigen, radius: 1.5, energy: T });
      expect(attack.method).toBe("reduced");
      expect(attack.rank).toBe(truncateByEnergy(eigen.values, T));
      expect(attack.rank).toBeLessThan(d);
      expect(euclidean(attack.step)).toBeLessThanOrEqual(1.5);
      for (let j = attack.rank; j < d; j++) {
        expect(Math.abs(dotProduct(attack.step, eigen.vectors.subarray(j * d, (j + 1) * d)))).toBeLessThan(1e-12);
      }
      // it solves the reduced problem, so it is no better than the exact attack on the full model
      const exact = secondOrderAttack({ x0: new Float64Array(d), gradient: g, eigen, radius: 1.5 });
      expect(exact.taylorChange).toBeLessThanOrEqual(attack.taylorChange + 1e-12);
    }
    expect(ATTACK_ENERGY_THRESHOLDS).toEqual({ mnist: 0.98, fmnist: 0.98, cifar10: 0.8 });
  });
});

describe("secondOrderAttacks: several radii on a dense Hessian (Krylov for exact, k(T) pairs for reduced)", () => {
  const radii = [0.25, 0.5, 0.75, 1.25, 1.75];
  const d = Math.max(KRYLOV_MIN_DIMENSION, 160);
  const distance = (a: ArrayLike<number>, b: ArrayLike<number>): number => euclidean(Float64Array.from(a, (v, i) => v - b[i]));

  it("the exact attack from the dense H (one Krylov subspace) equals the one from all eigenpairs: objective to 1e-8, steps to 1e-6", () => {
    for (const seed of [1, 2]) {
      const h = randomSymmetric(d, seed, 1);
      const g = randomVector(d, seed + 1, 0.05);
      const x0 = randomVector(d, seed + 2);
      const eigen = symmetricEigen(h, d);
      const fromDense = secondOrderAttacks({ x0, gradient: g, hessian: h, radii });
      const fromEigen = secondOrderAttacks({ x0, gradient: g, eigen, radii });
      radii.forEach((radius, i) => {
        const single = secondOrderAttack({ x0, gradient: g, eigen, radius });
        expect(Array.from(fromEigen[i].point)).toEqual(Array.from(single.point));
        const a = fromDense[i];
        const b = fromEigen[i];
        expect(Math.abs(a.taylorChange - b.taylorChange)).toBeLessThanOrEqual(1e-8 * Math.abs(b.taylorChange));
        expect(distance(a.step, b.step)).toBeLessThanOrEqual(1e-6 * radius);
        expect(a.rank).toBe(d);
        expect(a.hardCase).toBe(b.hardCase);
        expect(Math.abs(a.multiplier - b.multiplier)).toBeLessThanOrEqual(1e-8 * (1 + b.multiplier));
      });
    }
  });

  it("the reduced attack from the dense H (only the k(T) pairs) equals the one from all eigenpairs: rank and step", () => {
    const h = randomSymmetric(d, 5, 1);
    const g = randomVector(d, 6, 0.05);
    const x0 = randomVector(d, 7);
    const eigen = symmetricEigen(h, d);
    for (const energy of [0.3, 0.98]) {
      const fromDense = secondOrderAttacks({ x0, gradient: g, hessian: h, radii, method: "reduced", energy });
      const fromEigen = secondOrderAttacks({ x0, gradient: g, eigen, radii, method: "reduced", energy });
      radii.forEach((_, i) => {
        expect(fromDense[i].rank).toBe(truncateByEnergy(eigen.values, energy));
        expect(fromDense[i].rank).toBe(fromEigen[i].rank);
        expect(distance(fromDense[i].step, fromEigen[i].step)).toBeLessThanOrEqual(1e-9);
      });
    }
  });

  it("rejects an empty or malformed list of radii, naming it", () => {
    const h = randomSymmetric(3, 1, 1);
    const base = { x0: randomVector(3, 2), gradient: randomVector(3, 3) };
    expect(() => secondOrderAttacks({ ...base, hessian: h, radii: [] })).toThrow(/spec.radii/);
    expect(() => secondOrderAttacks({ ...base, hessian: h, radii: 0.5 as never })).toThrow(InvalidArgumentError);
    expect(() => secondOrderAttacks({ ...base, hessian: h, radii: [0.5, -1] })).toThrow(/radius/);
  });
});

describe("secondOrderAttack: clipping and errors", () => {
  it("clips into the data range when asked, staying in the ball", () => {
    const d = 6;
    const x0 = Float64Array.of(0, 1, 0.5, 0.02, 0.98, 0.3);
    const h = randomSymmetric(d, 41);
    const g = randomVector(d, 42);
    const free = secondOrderAttack({ x0, gradient: g, hessian: h, radius: 0.5 });
    expect(free.point.some((v) => v < 0 || v > 1)).toBe(true); // the test exercises clipping
    const clipped = secondOrderAttack({ x0, gradient: g, hessian: h, radius: 0.5, clip: { min: 0, max: 1 } });
    for (let j = 0; j < d; j++) {
      expect(clipped.point[j]).toBeGreaterThanOrEqual(0);
      expect(clipped.point[j]).toBeLessThanOrEqual(1);
      expect(clipped.step[j]).toBeCloseTo(clipped.point[j] - x0[j], 15);
    }
    expect(euclidean(clipped.step)).toBeLessThanOrEqual(0.5);
  });

  it("rejects bad input with typed errors naming the argument", () => {
    const h = randomSymmetric(3, 1), g = randomVector(3, 2), x0 = randomVector(3, 3);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 0 })).toThrowError("spec.radius: expected a finite number > 0, received 0");
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: -0.1 })).toThrowError(InvalidArgumentError);
    for (const energy of [0, -0.5, 1.01, Number.NaN]) {
      expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 1, energy })).toThrowError(/spec\.energy: expected a finite number in \(0, 1\]/);
    }
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 1, method: "exact", energy: 0.9 })).toThrowError(/spec\.energy/);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 1, method: "sdp" as never })).toThrowError(/spec\.method/);
    expect(() => secondOrderAttack({ x0: x0.subarray(1), gradient: g, hessian: h, radius: 1 })).toThrowError(DimensionMismatchError);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h.subarray(1), radius: 1 })).toThrowError(DimensionMismatchError);
    expect(() => secondOrderAttack({ x0, gradient: g, radius: 1 })).toThrowError(/spec\.hessian: expected exactly one of/);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, eigen: hessianEigen(h, 3), radius: 1 })).toThrowError(/spec\.eigen: expected exactly one of/);
    expect(() => secondOrderAttack({ x0, gradient: g, eigen: hessianEigen(randomSymmetric(4, 1), 4), radius: 1 })).toThrowError(DimensionMismatchError);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: { matVec: (v: Float64Array) => v }, radius: 1 })).toThrowError(/hessian: expected a dense matrix, a FactoredHessian or an operator with eigen\(\)/);
    expect(() => secondOrderAttack({ x0, gradient: g, hessian: h, radius: 1, clip: { min: 1, max: 0 } })).toThrowError(/spec\.clip/);
    expect(() => secondOrderAttack({ x0: [2, 0, 0], gradient: g, hessian: h, radius: 1, clip: { min: 0, max: 1 } })).toThrowError("spec.x0: expected every feature inside spec.clip = [0, 1], received x0[0] = 2");
  });
});
