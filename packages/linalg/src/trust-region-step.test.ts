import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import {
  type EigenOrder,
  type SymmetricEigen,
  type TrustRegionStep,
  checkEigen,
  eigenFromFactors,
  reducedTrustRegionStep,
  symmetricEigen,
  trustRegionStep,
  truncateByEnergy,
} from "./index.js";
import { fromEigen, maxAbs, norm, normals, randomOrthogonal } from "./test-support.js";

const TOL = 1e-10;

/** (H + λI)δ + g, H dense. */
function kktResidual(h: ArrayLike<number>, g: ArrayLike<number>, s: TrustRegionStep): Float64Array {
  const d = g.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let v = g[i] + s.multiplier * s.step[i];
    for (let j = 0; j < d; j++) v += h[i * d + j] * s.step[j];
    out[i] = v;
  }
  return out;
}

function objectiveOf(h: ArrayLike<number>, g: ArrayLike<number>, x: ArrayLike<number>): number {
  const d = g.length;
  let o = 0;
  for (let i = 0; i < d; i++) {
    let hx = 0;
    for (let j = 0; j < d; j++) hx += h[i * d + j] * x[j];
    o += g[i] * x[i] + 0.5 * x[i] * hx;
  }
  return o;
}

/**
 * The Moré–Sorensen optimality conditions, which characterise the global minimiser:
 * (H + λI)δ = −g, H + λI ⪰ 0, λ ≥ 0, ‖δ‖ ≤ r, λ(‖δ‖ − r) = 0; plus the reported objective and flags.
 */
function expectKkt(h: ArrayLike<number>, g: ArrayLike<number>, radius: number, s: TrustRegionStep, tol = TOL): void {
  const d = g.length;
  const hNorm = maxAbs(h) * d || 1;
  const gNorm = norm(g);
  const stepNorm = norm(s.step);
  const scale = hNorm * stepNorm + s.multiplier * stepNorm + gNorm || 1;
  expect(norm(kktResidual(h, g, s))).toBeLessThanOrEqual(tol * scale);
  expect(s.multiplier).toBeGreaterThanOrEqual(0);
  const lowest = symmetricEigen(h, d, { order: "ascending", k: 1 }).values[0];
  expect(lowest + s.multiplier).toBeGreaterThanOrEqual(-tol * hNorm);
  expect(stepNorm).toBeLessThanOrEqual(radius * (1 + tol));
  if (s.onBoundary) expect(Math.abs(stepNorm - radius)).toBeLessThanOrEqual(tol * radius);
  // complementarity: a positive multiplier forces the boundary
  if (s.multiplier > tol * (hNorm + gNorm / radius)) expect(Math.abs(stepNorm - radius)).toBeLessThanOrEqual(tol * radius);
  const objective = objectiveOf(h, g, s.step);
  expect(Math.abs(s.objective - objective)).toBeLessThanOrEqual(tol * (gNorm * radius + hNorm * radius * radius) + 1e-300);
  expect(s.objective).toBeLessThanOrEqual(tol * (gNorm * radius + hNorm * radius * radius));
}

/** Random trust-region problems: indefinite, definite, semidefinite and low-rank H; tiny to huge radii. */
const problem = fc
  .record({
    d: fc.integer({ min: 1, max: 10 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kind: fc.constantFrom("indefinite", "definite", "semidefinite", "low-rank"),
    radiusExponent: fc.double({ min: -3, max: 3, noNaN: true }),
    gradientScale: fc.constantFrom(1, 1e-6, 1e4),
  })
  .map(({ d, seed, kind, radiusExponent, gradientScale }) => {
    const q = randomOrthogonal(d, seed);
    const z = normals(2 * d, seed + 1);
    const values = Float64Array.from({ length: d }, (_, i) => {
      const v = z[i];
      if (kind === "definite") return Math.abs(v) + 0.1;
      if (kind === "semidefinite") return i % 2 === 0 ? 0 : Math.abs(v);
      if (kind === "low-rank") return i < d / 3 ? v : 0;
      return v;
    });
    const g = Float64Array.from({ length: d }, (_, i) => z[d + i] * gradientScale);
    return { d, h: fromEigen(values, q, d), g, radius: 10 ** radiusExponent, kind };
  });

describe("trustRegionStep", () => {
  it("satisfies the global optimality (KKT) conditions on random problems (property)", () => {
    fc.assert(
      fc.property(problem, ({ h, g, radius }) => {
        expectKkt(h, g, radius, trustRegionStep({ gradient: g, hessian: h, radius }));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same answer from the dense Hessian and from its eigenpairs, in any order (property)", () => {
    fc.assert(
      fc.property(problem, fc.constantFrom<EigenOrder[]>("magnitude", "ascending", "descending"), ({ d, h, g, radius }, order) => {
        const dense = trustRegionStep({ gradient: g, hessian: h, radius });
        const viaEigen = trustRegionStep({ gradient: g, eigen: symmetricEigen(h, d, { order }), radius });
        const scale = norm(g) * radius + maxAbs(h) * d * radius * radius;
        expect(Math.abs(dense.objective - viaEigen.objective)).toBeLessThanOrEqual(1e-10 * scale);
        expectKkt(h, g, radius, viaEigen);
      }),
      { numRuns: 100 },
    );
  });

  it("matches a brute-force search over the ball in 2 and 3 dimensions (property)", () => {
    fc.assert(
      fc.property(
        problem.filter(({ d }) => d === 2 || d === 3),
        ({ d, h, g, radius }) => {
          const ours = trustRegionStep({ gradient: g, hessian: h, radius });
          const brute = bruteForce(h, g, radius, d);
          const scale = norm(g) * radius + maxAbs(h) * d * radius * radius;
          // ours is the global minimum: never worse than any point the search found (to rounding), and the search,
          // which converges slowly in flat valleys, ends close to it
          expect(ours.objective).toBeLessThanOrEqual(brute + 1e-12 * scale);
          expect(brute - ours.objective).toBeLessThanOrEqual(1e-6 * scale);
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);

  it("solves exactly constructed hard cases: g ⟂ the lowest eigenspace (multiplicity 1 and 2)", () => {
    for (const multiplicity of [1, 2]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const d = 6;
        const q = randomOrthogonal(d, seed);
        const values = [-2, -2, 0.5, 1, 3, 4].map((v, i) => (i < multiplicity ? v : i === 1 ? -1 : v));
        const coordinates = [0, 0, 0.3, -0.2, 0.5, 0.1].map((c, i) => (i < multiplicity ? 0 : i === 1 ? 0.25 : c));
        const h = fromEigen(values, q, d);
        const g = new Float64Array(d);
        for (let j = 0; j < d; j++) for (let t = 0; t < d; t++) g[t] += coordinates[j] * q[j * d + t];
        // ‖(H + 2I)⁺g‖ < r: the hard case
        const radius = 1;
        for (const input of [{ hessian: h }, { eigen: symmetricEigen(h, d) }]) {
          const s = trustRegionStep({ gradient: g, radius, ...input });
          expect(s.hardCase).toBe(true);
          expect(s.onBoundary).toBe(true);
          expect(s.multiplier).toBeCloseTo(2, 10);
          expectKkt(h, g, radius, s);
          // the step leaves p = −(H + 2I)⁺g along the lowest eigenspace only
          let along = 0;
          for (let j = 0; j < multiplicity; j++) {
            let c = 0;
            for (let t = 0; t < d; t++) c += q[j * d + t] * s.step[t];
            along += c * c;
          }
          let p2 = 0;
          for (let j = multiplicity; j < d; j++) p2 += (coordinates[j] / (values[j] + 2)) ** 2;
          expect(along).toBeCloseTo(radius * radius - p2, 10);
        }
        // with a radius below ‖p‖ it is an ordinary boundary solution
        const small = trustRegionStep({ gradient: g, hessian: h, radius: 0.01 });
        expect(small.hardCase).toBe(false);
        expect(small.multiplier).toBeGreaterThan(2);
        expectKkt(h, g, 0.01, small);
      }
    }
  });

  it("solves an exact hard case on a diagonal Hessian, and the near-hard case next to it", () => {
    const h = [-1, 0, 0, 0, 2, 0, 0, 0, 3];
    const exact = trustRegionStep({ gradient: [0, 1, 1], hessian: h, radius: 2 });
    expect(exact.hardCase).toBe(true);
    expect(exact.multiplier).toBe(1);
    // p = (0, -1/3, -1/4), then the e₁ component reaches the sphere
    expect(exact.step[1]).toBeCloseTo(-1 / 3, 15);
    expect(exact.step[2]).toBeCloseTo(-1 / 4, 15);
    expect(exact.step[0]).toBeCloseTo(Math.sqrt(4 - 1 / 9 - 1 / 16), 14);
    expectKkt(h, [0, 1, 1], 2, exact);
    // γ₁ = 1e-9: not the hard case, the multiplier sits 1e-9/τ above −λ₁ and KKT still holds tightly
    for (const eps of [1e-9, 1e-6, 1e-3]) {
      const near = trustRegionStep({ gradient: [eps, 1, 1], hessian: h, radius: 2 });
      expect(near.hardCase).toBe(false);
      expect(near.multiplier).toBeGreaterThan(1);
      expect(Math.abs(near.step[0])).toBeCloseTo(exact.step[0], 3);
      expectKkt(h, [eps, 1, 1], 2, near, 1e-12);
    }
  });

  it("handles a zero gradient: 0 for H ⪰ 0, a lowest eigenvector scaled to the radius for indefinite H", () => {
    const definite = trustRegionStep({ gradient: [0, 0], hessian: [2, 0, 0, 1], radius: 1 });
    expect(Array.from(definite.step)).toEqual([0, 0]);
    expect(definite.multiplier).toBe(0);
    expect(definite.onBoundary).toBe(false);
    const indefinite = trustRegionStep({ gradient: [0, 0], hessian: [2, 1, 1, -3], radius: 0.5 });
    expect(indefinite.hardCase).toBe(true);
    expect(norm(indefinite.step)).toBeCloseTo(0.5, 14);
    expectKkt([2, 1, 1, -3], [0, 0], 0.5, indefinite);
    const lowest = symmetricEigen([2, 1, 1, -3], 2, { order: "ascending" });
    expect(indefinite.multiplier).toBeCloseTo(-lowest.values[0], 14);
    expect(indefinite.objective).toBeCloseTo(0.5 * lowest.values[0] * 0.25, 14);
  });

  it("handles a zero Hessian (dense, or no eigenpairs at all): the steepest-descent step to the boundary", () => {
    const g = [3, -4];
    for (const input of [{ hessian: [0, 0, 0, 0] }, { eigen: { d: 2, k: 0, values: new Float64Array(0), vectors: new Float64Array(0) } }]) {
      const s = trustRegionStep({ gradient: g, radius: 2, ...input });
      expect(s.step[0]).toBeCloseTo(-1.2, 15);
      expect(s.step[1]).toBeCloseTo(1.6, 15);
      expect(s.multiplier).toBeCloseTo(2.5, 15);
      expect(s.objective).toBeCloseTo(-10, 14);
      expect(s.onBoundary).toBe(true);
    }
    const both = trustRegionStep({ gradient: [0, 0], hessian: [0, 0, 0, 0], radius: 1 });
    expect(Array.from(both.step)).toEqual([0, 0]);
    expect(both.objective).toBe(0);
  });

  it("returns the Newton step inside the ball for H ≻ 0 and the minimum-norm minimiser for singular H ⪰ 0", () => {
    const newton = trustRegionStep({ gradient: [1, 1], hessian: [2, 0, 0, 4], radius: 10 });
    expect(Array.from(newton.step)).toEqual([-0.5, -0.25]);
    expect(newton.onBoundary).toBe(false);
    expect(newton.multiplier).toBe(0);
    expect(newton.objective).toBeCloseTo(-0.375, 15);
    const singular = trustRegionStep({ gradient: [0, 1], hessian: [0, 0, 0, 2], radius: 3 });
    expect(singular.step[0]).toBe(0);
    expect(singular.step[1]).toBeCloseTo(-0.5, 15);
    expect(singular.onBoundary).toBe(false);
  });

  it("keeps the gradient outside the span of k < d eigenpairs (H zero there): Eq. 67 solved exactly", () => {
    fc.assert(
      fc.property(problem, fc.nat(), ({ d, h, g, radius }, pick) => {
        const full = symmetricEigen(h, d);
        const k = pick % (d + 1);
        const partial: SymmetricEigen = { d, k, values: full.values.slice(0, k), vectors: full.vectors.slice(0, k * d) };
        const lowRank = fromEigen(partial.values, partial.vectors, d);
        expectKkt(lowRank, g, radius, trustRegionStep({ gradient: g, eigen: partial, radius }));
      }),
      { numRuns: 100 },
    );
  });

  it("rejects bad problems with typed errors naming the argument", () => {
    const h = [1, 0, 0, 1];
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: h, radius: 0 })).toThrowError("radius: expected a finite number > 0, received 0");
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: h, radius: -1 })).toThrow(InvalidArgumentError);
    expect(() => trustRegionStep({ gradient: [1, Number.NaN], hessian: h, radius: 1 })).toThrowError(/gradient: expected a finite number at every index/);
    expect(() => trustRegionStep({ gradient: [], hessian: [], radius: 1 })).toThrowError(/gradient: expected a non-empty array/);
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: [1, 0, 0], radius: 1 })).toThrow(DimensionMismatchError);
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: [1, 2, 0, 1], radius: 1 })).toThrowError(/hessian: expected a symmetric matrix/);
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: [1, 0, 0, Number.POSITIVE_INFINITY], radius: 1 })).toThrowError(/hessian: expected a finite number/);
    expect(() => trustRegionStep({ gradient: [1, 1], radius: 1 })).toThrowError(/hessian: expected exactly one of `hessian`.*received neither/);
    const eigen = symmetricEigen(h, 2);
    expect(() => trustRegionStep({ gradient: [1, 1], hessian: h, eigen, radius: 1 })).toThrowError(/received both/);
    expect(() => trustRegionStep({ gradient: [1, 1, 1], eigen, radius: 1 })).toThrowError(/eigen.d: expected 3/);
    expect(() => trustRegionStep({ gradient: [1, 1], eigen: { ...eigen, k: 3 }, radius: 1 })).toThrowError(/eigen.k: expected an integer in \[0, 2\], received 3/);
    expect(() => trustRegionStep({ gradient: [1, 1], eigen: { ...eigen, vectors: new Float64Array(3) }, radius: 1 })).toThrow(DimensionMismatchError);
  });
});

describe("reducedTrustRegionStep (paper Eq. 66–71)", () => {
  it("keeps truncateByEnergy's k pairs, steps inside their span and solves the k-dimensional problem exactly (property)", () => {
    fc.assert(
      fc.property(problem, fc.double({ min: 0.05, max: 1, noNaN: true }), ({ d, h, g, radius }, energy) => {
        const eigen = symmetricEigen(h, d);
        const reduced = reducedTrustRegionStep({ gradient: g, eigen, radius, energy });
        const k = truncateByEnergy(eigen.values, energy);
        expect(reduced.rank).toBe(k);
        // the reduced model Q̃Λ̃Q̃ᵀ with the gradient projected on the span of Q̃ (Eq. 68) is solved exactly
        const q = eigen.vectors.subarray(0, k * d);
        const projected = new Float64Array(d);
        for (let j = 0; j < k; j++) {
          let c = 0;
          for (let t = 0; t < d; t++) c += q[j * d + t] * g[t];
          for (let t = 0; t < d; t++) projected[t] += c * q[j * d + t];
        }
        const model = fromEigen(eigen.values.subarray(0, k), q, d);
        // in the span: the component of the step orthogonal to Q̃ is zero
        const inSpan = new Float64Array(d);
        for (let j = 0; j < k; j++) {
          let c = 0;
          for (let t = 0; t < d; t++) c += q[j * d + t] * reduced.step[t];
          for (let t = 0; t < d; t++) inSpan[t] += c * q[j * d + t];
        }
        for (let t = 0; t < d; t++) expect(Math.abs(inSpan[t] - reduced.step[t])).toBeLessThanOrEqual(1e-12 * radius);
        // KKT of Eq. 68 inside the span (on the complement the step is fixed at 0)
        const s = { ...reduced, step: reduced.step };
        const res = kktResidual(model, projected, s);
        const scale = maxAbs(model) * d * radius + reduced.multiplier * radius + norm(projected) || 1;
        expect(norm(res)).toBeLessThanOrEqual(1e-10 * scale);
        expect(reduced.multiplier + Math.min(0, ...eigen.values.subarray(0, k))).toBeGreaterThanOrEqual(-1e-10 * (maxAbs(model) + 1));
        expect(Math.abs(reduced.objective - objectiveOf(model, g, reduced.step))).toBeLessThanOrEqual(1e-10 * (norm(g) * radius + maxAbs(h) * d * radius * radius));
      }),
      { numRuns: 150 },
    );
  });

  it("equals the full solution when T = 1 keeps every non-zero pair and g lies in their span", () => {
    const d = 5;
    const q = randomOrthogonal(d, 11);
    const h = fromEigen([3, -2, 1, 0.5, -0.25], q, d);
    const g = normals(d, 12);
    const full = trustRegionStep({ gradient: g, hessian: h, radius: 0.7 });
    const reduced = reducedTrustRegionStep({ gradient: g, hessian: h, radius: 0.7, energy: 1 });
    expect(reduced.rank).toBe(5);
    for (let i = 0; i < d; i++) expect(reduced.step[i]).toBeCloseTo(full.step[i], 12);
  });

  it("measures T against eigen.totalMagnitude: the k(T₀) pairs of eigenFromFactors({ energy: T₀ }) give the full decomposition's rank and step for every T ≤ T₀", () => {
    const m = 8, d = 50;
    const a = normals(m * d, 21);
    const b = Float64Array.from(a, (v, i) => v * 0.7 ** Math.floor(i / d) + 0.1 * normals(1, 5000 + i)[0]);
    const full = eigenFromFactors(a, b, m, d);
    const part = eigenFromFactors(a, b, m, d, { energy: 0.9 });
    expect(part.k).toBeLessThan(full.k);
    const g = normals(d, 22);
    for (const energy of [0.2, 0.5, 0.8, 0.9]) {
      for (const radius of [0.05, 1, 30]) {
        const want = reducedTrustRegionStep({ gradient: g, eigen: full, radius, energy });
        const got = reducedTrustRegionStep({ gradient: g, eigen: part, radius, energy });
        expect(got.rank).toBe(want.rank);
        for (let i = 0; i < d; i++) expect(Math.abs(got.step[i] - want.step[i])).toBeLessThanOrEqual(1e-12 * radius);
      }
    }
    // without the total, the same pairs would count as the whole spectrum and keep fewer of them
    const { totalMagnitude: _, ...bare } = part;
    expect(reducedTrustRegionStep({ gradient: g, eigen: bare, radius: 1, energy: 0.8 }).rank).toBeLessThan(
      reducedTrustRegionStep({ gradient: g, eigen: part, radius: 1, energy: 0.8 }).rank,
    );
    // a threshold the pairs cannot reach
    expect(() => reducedTrustRegionStep({ gradient: g, eigen: part, radius: 1, energy: 0.99 })).toThrowError(/^energy: expected at most 0\.9\d*: the \d+ pairs held carry/);
    expect(() => reducedTrustRegionStep({ gradient: g, eigen: part, radius: 1, energy: 0.99 })).toThrow(InvalidArgumentError);
  });

  it("checkEigen rejects a totalMagnitude that is not a finite number ≥ 0", () => {
    const eigen = symmetricEigen([2, 0, 0, 1], 2);
    expect(checkEigen("eigen", { ...eigen, totalMagnitude: 3 })).toBeTruthy();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, "3"]) {
      expect(() => checkEigen("eigen", { ...eigen, totalMagnitude: bad })).toThrowError(/^eigen\.totalMagnitude: expected a finite number ≥ 0/);
    }
  });

  it("rejects eigenpairs not sorted by magnitude and an energy outside (0, 1]", () => {
    const eigen = symmetricEigen([1, 0, 0, -3], 2, { order: "descending" });
    expect(() => reducedTrustRegionStep({ gradient: [1, 1], eigen, radius: 1, energy: 0.9 })).toThrowError(
      /eigen.values: expected eigenvalues sorted by \|λ\| descending/,
    );
    expect(() => reducedTrustRegionStep({ gradient: [1, 1], hessian: [1, 0, 0, 1], radius: 1, energy: 0 })).toThrowError(
      "energy: expected a finite number in (0, 1], received 0",
    );
  });
});

/**
 * Global minimum over the ball by search, without any theory of the problem: a polar (2-D) or spherical (3-D)
 * grid over the ball, then two shrinking pattern searches from the best grid points — one in Cartesian
 * coordinates projected on the ball (finds interior minima), one in the angles on the sphere (finds boundary
 * minima). The better of all is returned.
 */
function bruteForce(h: ArrayLike<number>, g: ArrayLike<number>, radius: number, d: number): number {
  const point = (rho: number, a: number[]): number[] =>
    d === 2
      ? [rho * Math.cos(a[0]), rho * Math.sin(a[0])]
      : [rho * Math.sin(a[0]) * Math.cos(a[1]), rho * Math.sin(a[0]) * Math.sin(a[1]), rho * Math.cos(a[0])];
  const f = (x: number[]) => objectiveOf(h, g, x);
  const grid: { rho: number; a: number[] }[] = [];
  const radial = 16;
  for (let i = 0; i <= radial; i++) {
    const rho = (radius * i) / radial;
    if (d === 2) for (let a = 0; a < 360; a++) grid.push({ rho, a: [(a * Math.PI) / 180] });
    else for (let a = 0; a <= 45; a++) for (let b = 0; b < 90; b++) grid.push({ rho, a: [(a * Math.PI) / 45, (b * 2 * Math.PI) / 90] });
  }
  const values = grid.map((p) => f(point(p.rho, p.a)));
  const bestOf = (keep: (i: number) => boolean, n: number) => {
    const chosen: number[] = [];
    for (let i = 0; i < grid.length; i++) {
      if (!keep(i)) continue;
      chosen.push(i);
      chosen.sort((x, y) => values[x] - values[y]);
      if (chosen.length > n) chosen.pop();
    }
    return chosen.map((i) => grid[i]);
  };
  const patternSearch = (start: number[], value: (u: number[]) => number, step: number, stop: number): number => {
    let u = start;
    let v = value(u);
    for (let moves = 0; moves < 4000 && step > stop; moves++) {
      let improved = false;
      for (let i = 0; i < u.length; i++) {
        for (const sign of [1, -1]) {
          const w = u.slice();
          w[i] += sign * step;
          const candidate = value(w);
          if (candidate < v) {
            u = w;
            v = candidate;
            improved = true;
          }
        }
      }
      if (!improved) step /= 2;
    }
    return v;
  };
  const inBall = (x: number[]) => {
    const n = norm(x);
    return f(n > radius ? x.map((c) => (c * radius) / n) : x);
  };
  let best = Infinity;
  for (const start of bestOf(() => true, 3)) {
    best = Math.min(best, patternSearch(point(start.rho, start.a), inBall, radius / 16, radius * 1e-14));
  }
  for (const start of bestOf((i) => grid[i].rho === radius, 3)) {
    best = Math.min(best, patternSearch(start.a, (a) => f(point(radius, a)), 0.05, 1e-14));
  }
  return best;
}
