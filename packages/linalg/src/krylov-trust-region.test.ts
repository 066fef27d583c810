import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { kernelBackend, krylovTrustRegion, setKernelBackend, symmetricEigen, trustRegionStep } from "./index.js";
import type { TrustRegionStep } from "./trust-region-step.js";
import { fromEigen, maxAbs, norm, normals, randomOrthogonal } from "./test-support.js";

const RADII = [0.25, 0.5, 0.75, 1.25, 1.75];

/** ‖(H + λI)δ + g‖ with a plain loop. */
function kkt(h: Float64Array, g: Float64Array, s: TrustRegionStep): number {
  const d = g.length;
  let r2 = 0;
  for (let i = 0; i < d; i++) {
    let v = g[i] + s.multiplier * s.step[i];
    for (let j = 0; j < d; j++) v += h[i * d + j] * s.step[j];
    r2 += v * v;
  }
  return Math.sqrt(r2);
}

/** Global optimality: KKT residual, H + λI ⪰ 0, feasibility, complementarity; objective as the dense exact step. */
function expectOptimal(h: Float64Array, g: Float64Array, radius: number, s: TrustRegionStep, lowest: number, exact: TrustRegionStep): void {
  const d = g.length;
  const hNorm = maxAbs(h) * d;
  const stepNorm = norm(s.step);
  expect(kkt(h, g, s)).toBeLessThanOrEqual(1e-9 * (norm(g) + hNorm * stepNorm));
  expect(s.multiplier).toBeGreaterThanOrEqual(0);
  expect(lowest + s.multiplier).toBeGreaterThanOrEqual(-1e-8 * hNorm);
  expect(stepNorm).toBeLessThanOrEqual(radius * (1 + 1e-12));
  if (s.multiplier > 1e-8 * hNorm) expect(Math.abs(stepNorm - radius)).toBeLessThanOrEqual(1e-10 * radius);
  expect(Math.abs(s.objective - exact.objective)).toBeLessThanOrEqual(1e-8 * Math.abs(exact.objective));
}

type Kind = "random" | "near-hard" | "hard";

/** H = Q diag(λ) Qᵀ with λ₁ = −4 alone at the bottom; g: random, or ⟂ q₁ (hard), or 1e-7 along q₁ (near-hard). */
function problem(d: number, seed: number, kind: Kind): { h: Float64Array; g: Float64Array; q: Float64Array } {
  const q = randomOrthogonal(d, seed);
  const values = normals(d, seed + 1).map((v, i) => (i === 0 ? -4 : Math.max(-2.5, Math.min(2.5, v))));
  const h = fromEigen(values, q, d);
  const g = normals(d, seed + 2);
  if (kind !== "random") {
    let c = 0;
    for (let i = 0; i < d; i++) c += g[i] * q[i];
    for (let i = 0; i < d; i++) g[i] -= c * q[i];
    if (kind === "near-hard") for (let i = 0; i < d; i++) g[i] += 1e-7 * q[i];
    // small enough that ‖(H + 4I)⁺g‖ < r for the larger radii: the (near-)hard case
    for (let i = 0; i < d; i++) g[i] *= 0.02;
  }
  return { h, g, q };
}

const initial = kernelBackend();
afterAll(() => {
  setKernelBackend(initial);
});

describe("krylovTrustRegion", () => {
  it.each(["wasm", "js"] as const)(
    "satisfies KKT and matches the dense exact step (objective 1e-8) on random, near-hard and hard cases, one subspace for five radii (%s kernels)",
    (backend) => {
      setKernelBackend(backend);
      fc.assert(
        fc.property(fc.integer({ min: 20, max: 90 }), fc.nat(500), fc.constantFrom<Kind>("random", "near-hard", "hard"), (d, seed, kind) => {
          const { h, g } = problem(d, seed, kind);
          const eigen = symmetricEigen(h, d);
          const lowest = Math.min(...eigen.values);
          const solver = krylovTrustRegion({ gradient: g, hessian: h }, { maxDimension: Math.min(d, 60) });
          for (const radius of RADII) {
            const s = solver.solve(radius);
            expect(s.converged).toBe(true);
            const exact = trustRegionStep({ gradient: g, eigen, radius });
            expectOptimal(h, g, radius, s, lowest, exact);
            expect(s.hardCase).toBe(exact.hardCase);
          }
        }),
        { numRuns: 20 },
      );
    },
  );

  it("solves the exactly hard case at d = 400 with a subspace much smaller than d, and says it is the hard case", () => {
    setKernelBackend("wasm");
    const d = 400;
    const { h, g } = problem(d, 7, "hard");
    const eigen = symmetricEigen(h, d);
    const solver = krylovTrustRegion({ gradient: g, hessian: h });
    const exact = trustRegionStep({ gradient: g, eigen, radius: 1.75 });
    expect(exact.hardCase).toBe(true);
    const s = solver.solve(1.75);
    expect(s.converged).toBe(true);
    expect(s.hardCase).toBe(true);
    expect(s.dimension).toBeLessThan(d / 2);
    expectOptimal(h, g, 1.75, s, -4, exact);
  });

  it("takes an operator x ↦ Hx, and grows one subspace across radii (warm start: later radii reuse it)", () => {
    const d = 150;
    const { h, g } = problem(d, 3, "random");
    let products = 0;
    const matVec = (x: Float64Array) => {
      products++;
      const y = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) y[i] += h[i * d + j] * x[j];
      return y;
    };
    const solver = krylovTrustRegion({ gradient: g, matVec });
    const first = solver.solve(0.5);
    const afterFirst = products;
    const second = solver.solve(0.5);
    expect(products).toBe(afterFirst); // same radius: nothing new
    expect(second.objective).toBe(first.objective);
    const eigen = symmetricEigen(h, d);
    for (const radius of RADII) expectOptimal(h, g, radius, solver.solve(radius), Math.min(...eigen.values), trustRegionStep({ gradient: g, eigen, radius }));
    expect(products).toBe(solver.dimension);
  });

  it("handles g = 0 (a lowest eigenvector scaled to the radius) and a definite H with an interior step", () => {
    const d = 40;
    const { h } = problem(d, 4, "random");
    const zero = krylovTrustRegion({ gradient: new Float64Array(d), hessian: h }).solve(0.5);
    expect(norm(zero.step)).toBeCloseTo(0.5, 12);
    expect(zero.multiplier).toBeCloseTo(4, 8);
    const definite = new Float64Array(d * d);
    for (let i = 0; i < d; i++) definite[i * d + i] = 2 + i / d;
    const g = normals(d, 1).map((v) => 0.01 * v);
    const interior = krylovTrustRegion({ gradient: g, hessian: definite }).solve(10);
    expect(interior.onBoundary).toBe(false);
    expect(interior.multiplier).toBe(0);
    for (let i = 0; i < d; i++) expect(interior.step[i]).toBeCloseTo(-g[i] / (2 + i / d), 12);
  });

  it("trustRegionStep takes the Krylov path from KRYLOV_MIN_DIMENSION on and agrees with method \"eigen\"", () => {
    const d = 200;
    for (const kind of ["random", "hard"] as const) {
      const { h, g } = problem(d, 9, kind);
      for (const radius of [0.5, 1.75]) {
        const auto = trustRegionStep({ gradient: g, hessian: h, radius });
        const eigen = trustRegionStep({ gradient: g, hessian: h, radius, method: "eigen" });
        expect(Math.abs(auto.objective - eigen.objective)).toBeLessThanOrEqual(1e-8 * Math.abs(eigen.objective));
        expect(auto.hardCase).toBe(eigen.hardCase);
      }
    }
    expect(() => trustRegionStep({ gradient: [1], hessian: [1], radius: 1, method: "cg" as never })).toThrow(InvalidArgumentError);
  });

  it("rejects bad arguments with typed errors naming them", () => {
    const h = [2, 0, 0, 1];
    expect(() => krylovTrustRegion({ gradient: [], hessian: [] })).toThrow(/gradient/);
    expect(() => krylovTrustRegion({ gradient: [1, 0] })).toThrow(InvalidArgumentError);
    expect(() => krylovTrustRegion({ gradient: [1, 0], hessian: h, matVec: (x) => x })).toThrow(/matVec/);
    expect(() => krylovTrustRegion({ gradient: [1, 0], hessian: [1, 2, 3] })).toThrow(DimensionMismatchError);
    expect(() => krylovTrustRegion({ gradient: [1, NaN], hessian: h })).toThrow(/gradient/);
    expect(() => krylovTrustRegion({ gradient: [1, 0], hessian: h }, { tolerance: 2 })).toThrow(/options.tolerance/);
    expect(() => krylovTrustRegion({ gradient: [1, 0], hessian: h }, { maxDimension: 3 })).toThrow(/options.maxDimension/);
    expect(() => krylovTrustRegion({ gradient: [1, 0], hessian: h }).solve(0)).toThrow(/radius/);
    // the first products are taken when the solver is built
    expect(() => krylovTrustRegion({ gradient: [1, 0, 0], matVec: () => [1, 2] })).toThrow(DimensionMismatchError);
    expect(() => krylovTrustRegion({ gradient: [1, 0, 0], matVec: () => [1, NaN, 0] })).toThrow(/matVec/);
  });
});
