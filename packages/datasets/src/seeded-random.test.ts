import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom, seededPermutation } from "./seeded-random.js";

describe("seededPermutation", () => {
  it("is a permutation, the same for the same seed and different for another", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
        const p = seededPermutation(n, seed);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(seededPermutation(n, seed)).toEqual(p);
      }),
      { numRuns: 50 },
    );
    expect(seededPermutation(100, 1)).not.toEqual(seededPermutation(100, 2));
  });

  it("is uniform: each of the 6 permutations of 3 items appears 1/6 of the time", () => {
    const counts = new Map<string, number>();
    const runs = 6000;
    for (let seed = 0; seed < runs; seed++) {
      const key = Array.from(seededPermutation(3, seed)).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // each count ~ Binomial(6000, 1/6): mean 1000, sd ≈ 28.9; 5 sd bounds
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(5 * 28.9);
  });

  it("rejects bad arguments", () => {
    expect(() => seededPermutation(-1, 0)).toThrowError("n: expected an integer ≥ 0, received -1");
    expect(() => seededPermutation(3, 2 ** 32)).toThrowError("seed: expected an integer in [0, 4294967295], received 4294967296");
    expect(() => seededPermutation(3, 0.5)).toThrowError("seed: expected an integer in [0, 4294967295]");
  });
});

describe("SeededRandom", () => {
  it("draws uniforms in [0, 1) and standard normals with the right moments", () => {
    const random = new SeededRandom(7);
    const m = 200_000;
    let su = 0, su2 = 0, sz = 0, sz2 = 0, sz4 = 0, outside = 0;
    for (let i = 0; i < m; i++) {
      const u = random.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      su += u;
      su2 += u * u;
      const z = random.normal();
      sz += z;
      sz2 += z * z;
      sz4 += z ** 4;
    }
    // standard errors: mean(u) 0.29/√m, mean(z) 1/√m, mean(z²) √2/√m, mean(z⁴) √96/√m; 5 SE bounds
    expect(outside).toBe(0);
    const se = 1 / Math.sqrt(m);
    expect(Math.abs(su / m - 0.5)).toBeLessThan(5 * 0.29 * se);
    expect(Math.abs(su2 / m - 1 / 3)).toBeLessThan(5 * 0.3 * se);
    expect(Math.abs(sz / m)).toBeLessThan(5 * se);
    expect(Math.abs(sz2 / m - 1)).toBeLessThan(5 * Math.SQRT2 * se);
    expect(Math.abs(sz4 / m - 3)).toBeLessThan(5 * Math.sqrt(96) * se);
  });

  it("repeats itself for the same seed", () => {
    const a = new SeededRandom(123), b = new SeededRandom(123);
    for (let i = 0; i < 100; i++) expect(a.normal()).toBe(b.normal());
  });
});
