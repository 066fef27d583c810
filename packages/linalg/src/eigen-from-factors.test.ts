import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { addTransposedProduct, eigenFromFactors, spectrumEnergy, symmetricEigen, symmetrizeInPlace, truncateByEnergy } from "./index.js";
import { maxAbs, norm, normals, orthonormalityError, reconstructionError, residualError } from "./test-support.js";

/** H = scale·sym(AᵀB), formed densely (the reference). */
function dense(a: Float64Array, b: Float64Array, m: number, d: number, scale: number): Float64Array {
  const h = new Float64Array(d * d);
  addTransposedProduct(h, a, b, m, d, d, scale);
  return symmetrizeInPlace(h, d);
}

/** Factor pairs: independent, identical (b === a), antithetic (rank-deficient), with zero rows, tall and wide. */
const factors = fc
  .record({
    m: fc.integer({ min: 1, max: 9 }),
    d: fc.integer({ min: 1, max: 24 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kind: fc.constantFrom("independent", "same", "antithetic", "zero-rows", "float32"),
    exponent: fc.constantFrom(0, 0, -60, 60),
  })
  .map(({ m, d, seed, kind, exponent }) => {
    const a = normals(m * d, seed).map((v) => v * 10 ** exponent);
    let b: Float64Array = normals(m * d, seed + 1);
    if (kind === "same") b = a;
    if (kind === "antithetic") {
      // rows come in ± pairs in A, and B's rows repeat: [Aᵀ Bᵀ] is rank-deficient
      for (let i = 1; i < m; i += 2) for (let t = 0; t < d; t++) a[i * d + t] = -a[(i - 1) * d + t];
      for (let i = 1; i < m; i += 2) for (let t = 0; t < d; t++) b[i * d + t] = b[(i - 1) * d + t];
    }
    if (kind === "zero-rows") for (let t = 0; t < d; t++) a[t] = 0;
    if (kind === "float32") b = Float64Array.from(new Float32Array(b));
    return { m, d, a, b, kind, scale: 1 / m };
  });

describe("eigenFromFactors", () => {
  it("agrees with the dense decomposition of scale·sym(AᵀB): values, residuals, orthonormality (property)", () => {
    fc.assert(
      fc.property(factors, ({ m, d, a, b, scale }) => {
        const h = dense(a, b, m, d, scale);
        const reference = symmetricEigen(h, d);
        const ours = eigenFromFactors(a, b, m, d, { k: d });
        // rounding of either method is relative to scale·‖A‖‖B‖ (forming AᵀB already costs that much), which can
        // exceed ‖H‖ when the products cancel (antithetic rows give H = 0 exactly)
        const size = Math.max(maxAbs(h) * d, scale * norm(a) * norm(b)) || Number.MIN_VALUE;
        // the same spectrum, in the same (magnitude) order
        for (let j = 0; j < d; j++) expect(Math.abs(ours.values[j] - reference.values[j])).toBeLessThanOrEqual(1e-10 * size);
        expect(residualError(ours, h)).toBeLessThanOrEqual(1e-10 * size);
        expect(reconstructionError(ours, h)).toBeLessThanOrEqual(1e-10 * size);
        expect(orthonormalityError(ours)).toBeLessThanOrEqual(1e-10);
      }),
      { numRuns: 150 },
    );
  });

  it("returns min(d, 2m) pairs by default (min(d, m) when b === a) and honours k and order", () => {
    const m = 3;
    const d = 20;
    const a = normals(m * d, 1);
    const b = normals(m * d, 2);
    expect(eigenFromFactors(a, b, m, d).k).toBe(6);
    expect(eigenFromFactors(a, a, m, d).k).toBe(3);
    const h = dense(a, b, m, d, 0.5);
    for (const order of ["magnitude", "descending", "ascending"] as const) {
      const ours = eigenFromFactors(a, b, m, d, { k: 8, order, scale: 0.5 });
      const reference = symmetricEigen(h, d, { order, k: 8 });
      expect(ours.k).toBe(8);
      for (let j = 0; j < 8; j++) expect(ours.values[j]).toBeCloseTo(reference.values[j], 12);
      expect(residualError(ours, h)).toBeLessThan(1e-12);
    }
    // a A = B product is positive semidefinite: the zeros of the complement come last in descending order
    const gram = eigenFromFactors(a, a, m, d, { k: d, order: "descending" });
    for (let j = 0; j < m; j++) expect(gram.values[j]).toBeGreaterThan(0);
    for (let j = m; j < d; j++) expect(gram.values[j]).toBe(0);
    expect(orthonormalityError(gram)).toBeLessThan(1e-13);
  });

  it("energy T: the k(T) leading pairs of the full result (Eq. 71 on the whole spectrum), with its Σ|λ|", () => {
    for (const [m, d, seed, same] of [[6, 40, 1, false], [9, 12, 2, false], [5, 30, 3, true], [4, 3, 4, false]] as const) {
      const a = normals(m * d, seed);
      // a decaying spectrum: B's rows are shrinking multiples of A's plus noise
      const b = same ? a : Float64Array.from(a, (v, i) => v * 0.6 ** Math.floor(i / d) + 0.05 * normals(1, seed * 1000 + i)[0]);
      const full = eigenFromFactors(a, b, m, d);
      expect(full.k).toBe(Math.min(d, same ? m : 2 * m));
      expect(full.totalMagnitude).toBe(spectrumEnergy(full).held); // a complete result carries its own Σ|λ|
      expect(spectrumEnergy(full).complete).toBe(true);
      for (const energy of [0.3, 0.8, 0.98, 1]) {
        const part = eigenFromFactors(a, b, m, d, { energy });
        const k = truncateByEnergy(full.values, energy);
        expect(part.k, `m=${m} d=${d} T=${energy}`).toBe(k);
        expect(part.vectors.length).toBe(k * d);
        expect(Array.from(part.values)).toEqual(Array.from(full.values.subarray(0, k)));
        for (let i = 0; i < k * d; i++) expect(Math.abs(part.vectors[i] - full.vectors[i])).toBeLessThanOrEqual(1e-14);
        expect(part.totalMagnitude).toBe(full.totalMagnitude);
        const { held, total, complete } = spectrumEnergy(part);
        expect(held).toBeGreaterThanOrEqual(energy * total);
        expect(complete).toBe(k === full.k || held === total);
      }
    }
  });

  it("an explicit k below min(d, 2m) leaves totalMagnitude out; k ≥ min(d, 2m) carries it", () => {
    const a = normals(60, 5), b = normals(60, 6); // m = 3, d = 20
    expect(eigenFromFactors(a, b, 3, 20, { k: 4 }).totalMagnitude).toBeUndefined();
    const all = eigenFromFactors(a, b, 3, 20, { k: 6 });
    expect(all.totalMagnitude).toBe(all.values.reduce((s, v) => s + Math.abs(v), 0));
    expect(eigenFromFactors(a, b, 3, 20, { k: 20 }).totalMagnitude).toBe(all.totalMagnitude);
  });

  it("allocates nothing of size d² (d = 400, m = 10)", () => {
    const m = 10;
    const d = 400;
    const a = normals(m * d, 3);
    const b = normals(m * d, 4);
    let largest = 0;
    const Original = globalThis.Float64Array;
    globalThis.Float64Array = new Proxy(Original, {
      construct(target, args, newTarget) {
        const n = typeof args[0] === "number" ? args[0] : ((args[0] as ArrayLike<number>)?.length ?? 0);
        largest = Math.max(largest, n);
        return Reflect.construct(target, args, newTarget === globalThis.Float64Array ? target : newTarget);
      },
    });
    try {
      eigenFromFactors(a, b, m, d);
    } finally {
      globalThis.Float64Array = Original;
    }
    expect(largest).toBeGreaterThanOrEqual(2 * m * d); // the working copy was seen: the spy works
    expect(largest).toBeLessThan(d * d / 4);
  });

  it("handles zero factors (H = 0) and a zero scale", () => {
    const zero = eigenFromFactors(new Float64Array(6), normals(6, 1), 2, 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(orthonormalityError(zero)).toBeLessThan(1e-15);
    const scaled = eigenFromFactors(normals(6, 2), normals(6, 3), 2, 3, { scale: 0 });
    expect(Array.from(scaled.values).every((v) => v === 0)).toBe(true);
  });

  it("rejects bad factors and options with typed errors", () => {
    const a = normals(6, 1);
    expect(() => eigenFromFactors(a, a, 2, 4)).toThrowError("a: expected length 8, received length 6");
    expect(() => eigenFromFactors(a, normals(5, 2), 2, 3)).toThrow(DimensionMismatchError);
    expect(() => eigenFromFactors(a, Float64Array.from([1, 2, 3, 4, 5, Number.NaN]), 2, 3)).toThrowError(/b: expected a finite number at every index, received NaN at index 5/);
    expect(() => eigenFromFactors(a, a, 0, 6)).toThrowError(/m: expected an integer ≥ 1, received 0/);
    expect(() => eigenFromFactors(a, a, 2, 3, { k: 4 })).toThrowError(/options.k: expected an integer in \[0, 3\], received 4/);
    expect(() => eigenFromFactors(a, a, 2, 3, { scale: Number.POSITIVE_INFINITY })).toThrow(InvalidArgumentError);
    expect(() => eigenFromFactors(a, a, 2, 3, { order: "up" as never })).toThrowError(/options.order/);
    expect(() => eigenFromFactors(a, a, 2, 3, { energy: 0 })).toThrowError("options.energy: expected a finite number in (0, 1], received 0");
    expect(() => eigenFromFactors(a, a, 2, 3, { energy: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => eigenFromFactors(a, a, 2, 3, { energy: 0.9, k: 2 })).toThrowError(/options.energy: expected no energy threshold together with options.k/);
    expect(() => eigenFromFactors(a, a, 2, 3, { energy: 0.9, order: "ascending" })).toThrowError(/options.order: expected "magnitude" with options.energy/);
  });
});

afterEach(() => {
  expect(globalThis.Float64Array.name).toBe("Float64Array");
});
