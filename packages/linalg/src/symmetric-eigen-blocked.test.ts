import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { type KernelBackend, kernelBackend, setKernelBackend, symmetricEigen, symmetricEigenvalues } from "./index.js";
import { addRowDots } from "./row-kernels.js";
import type { SymmetricEigen } from "./eigenpairs.js";
import { fromEigen, maxAbs, normals, randomOrthogonal } from "./test-support.js";

/**
 * The blocked path at sizes where it is blocked: several reduction panels, divide-and-conquer merges (orders above
 * the QL leaves), block back-transformation — on both kernel backends. Errors are measured with the row kernels
 * (an independent code path), relative to the largest entry.
 */

type Kind = "random" | "clustered" | "graded" | "rank-deficient";

/** Eigenvalues of each kind: random; three clusters of width 1e-12..1e-8; graded 1 … 1e-12; 80 % zeros. */
function spectrum(d: number, seed: number, kind: Kind): Float64Array {
  const z = normals(d, seed + 3);
  return z.map((v, i) => {
    switch (kind) {
      case "random":
        return v;
      case "clustered":
        return [1, -0.5, 2][i % 3] * (1 + 1e-8 * v * 10 ** -(i % 5));
      case "graded":
        return (i % 2 === 0 ? 1 : -1) * 10 ** ((-12 * i) / (d - 1));
      default:
        return i < Math.ceil(d / 5) ? v : 0;
    }
  });
}

/**
 * `max|Σλqqᵀ − A| / max|A|` and `max|QQᵀ − I|` through `addRowDots`; on every `stride`-th row of `A` and
 * every `stride`-th vector only (all of them by default), which keeps the d = 1500 case to seconds.
 */
function errors(eigen: SymmetricEigen, a: Float64Array, stride = 1): { reconstruction: number; orthogonality: number } {
  const { d, k, values, vectors } = eigen;
  // every stride-th vector against all of them
  const picked = Math.ceil(k / stride);
  const gram = new Float64Array(picked * k);
  addRowDots(gram, k, vectors, 0, stride * d, picked, vectors, 0, d, k, d);
  let orthogonality = 0;
  for (let p = 0; p < picked; p++) for (let j = 0; j < k; j++) orthogonality = Math.max(orthogonality, Math.abs(gram[p * k + j] - (p * stride === j ? 1 : 0)));
  // Σλqqᵀ = Qᵀ(ΛQ): dot products between columns, i.e. rows of the transposes
  const qt = new Float64Array(d * k);
  const lqt = new Float64Array(d * k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < d; i++) {
      qt[i * k + j] = vectors[j * d + i];
      lqt[i * k + j] = values[j] * vectors[j * d + i];
    }
  }
  const rows = Math.ceil(d / stride);
  const rebuilt = new Float64Array(rows * d);
  addRowDots(rebuilt, d, qt, 0, stride * k, rows, lqt, 0, k, d, k);
  let reconstruction = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) reconstruction = Math.max(reconstruction, Math.abs(rebuilt[r * d + j] - a[r * stride * d + j]));
  }
  return { reconstruction: reconstruction / (maxAbs(a) || 1), orthogonality };
}

function randomSymmetric(d: number, seed: number): Float64Array {
  const g = normals(d * d, seed);
  return g.map((_, i) => g[i] + g[(i % d) * d + Math.floor(i / d)]);
}

const backends: KernelBackend[] = ["wasm", "js"];
const initial = kernelBackend();
afterAll(() => {
  setKernelBackend(initial);
});

describe.each(backends)("symmetricEigen, blocked path, %s kernels", (backend) => {
  it("reconstructs A and keeps Q orthonormal to 1e-10 on random, clustered, graded and rank-deficient matrices (property, d 33–160)", () => {
    setKernelBackend(backend);
    fc.assert(
      fc.property(
        fc.integer({ min: 33, max: 160 }),
        fc.nat(1000),
        fc.constantFrom<Kind>("random", "clustered", "graded", "rank-deficient"),
        (d, seed, kind) => {
          const a = kind === "random" ? randomSymmetric(d, seed) : fromEigen(spectrum(d, seed, kind), randomOrthogonal(d, seed), d);
          const eigen = symmetricEigen(a, d);
          const { reconstruction, orthogonality } = errors(eigen, a);
          expect(reconstruction).toBeLessThanOrEqual(1e-10);
          expect(orthogonality).toBeLessThanOrEqual(1e-10);
          // eigenvalues alone agree with those of the full decomposition
          const values = symmetricEigenvalues(a, d);
          for (let j = 0; j < d; j++) expect(Math.abs(values[j] - eigen.values[j])).toBeLessThanOrEqual(1e-12 * d * maxAbs(a));
        },
      ),
      { numRuns: 16 },
    );
  });

  it("recovers a known spectrum (clustered and graded) to rounding", () => {
    setKernelBackend(backend);
    for (const kind of ["clustered", "graded"] as const) {
      const d = 120;
      const exact = spectrum(d, 5, kind);
      const a = fromEigen(exact, randomOrthogonal(d, 5), d);
      const values = symmetricEigen(a, d, { order: "ascending" }).values;
      const sorted = Float64Array.from(exact).sort();
      for (let j = 0; j < d; j++) expect(Math.abs(values[j] - sorted[j])).toBeLessThanOrEqual(1e-13 * d);
    }
  });
});

describe("symmetricEigen at full size", () => {
  it("d = 1500 random (wasm kernels): reconstruction and orthogonality ≤ 1e-10", () => {
    setKernelBackend("wasm");
    const d = 1500;
    const a = randomSymmetric(d, 11);
    const { reconstruction, orthogonality } = errors(symmetricEigen(a, d), a, 7);
    expect(reconstruction).toBeLessThanOrEqual(1e-10);
    expect(orthogonality).toBeLessThanOrEqual(1e-10);
  });

  it("d = 600 rank-deficient B·Bᵀ − C·Cᵀ (js kernels): reconstruction and orthogonality ≤ 1e-10", () => {
    setKernelBackend("js");
    const d = 600;
    const r = 60;
    const b = normals(r * d, 12);
    const c = normals(r * d, 13);
    // A = Σ bᵢbᵢᵀ − Σ cᵢcᵢᵀ over the rows, rank 120: columns of B as rows of its transpose
    const bt = new Float64Array(d * r);
    const ct = new Float64Array(d * r);
    for (let i = 0; i < r; i++) for (let t = 0; t < d; t++) {
      bt[t * r + i] = b[i * d + t];
      ct[t * r + i] = -c[i * d + t];
    }
    const a = new Float64Array(d * d);
    addRowDots(a, d, bt, 0, r, d, bt, 0, r, d, r);
    const cc = new Float64Array(d * d);
    addRowDots(cc, d, ct, 0, r, d, ct, 0, r, d, r);
    for (let i = 0; i < d * d; i++) a[i] -= cc[i];
    const eigen = symmetricEigen(a, d);
    const { reconstruction, orthogonality } = errors(eigen, a);
    expect(reconstruction).toBeLessThanOrEqual(1e-10);
    expect(orthogonality).toBeLessThanOrEqual(1e-10);
    // 480 eigenvalues vanish to rounding
    expect(eigen.values.filter((v) => Math.abs(v) > 1e-10 * maxAbs(a)).length).toBe(2 * r);
  });
});

describe("symmetricEigen with options.energy (paper Eq. 71)", () => {
  it("returns exactly the k(T) leading pairs of the full decomposition, with the whole spectrum's Σ|λ| (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 140 }), fc.nat(1000), fc.constantFrom(0.3, 0.8, 0.98, 1), (d, seed, energy) => {
        const a = fromEigen(spectrum(d, seed, "graded"), randomOrthogonal(d, seed), d);
        const all = symmetricEigen(a, d);
        const some = symmetricEigen(a, d, { energy });
        let total = 0;
        for (const v of all.values) total += Math.abs(v);
        let k = 0;
        for (let s = 0; k < d && s < energy * total; k++) s += Math.abs(all.values[k]);
        expect(some.k).toBe(Math.max(1, k));
        expect(Math.abs(some.totalMagnitude! - total)).toBeLessThanOrEqual(1e-12 * total * d);
        for (let j = 0; j < some.k; j++) {
          expect(Math.abs(some.values[j] - all.values[j])).toBeLessThanOrEqual(1e-12 * d);
          // same vector up to rounding (signs are fixed by the largest entry)
          let diff = 0;
          for (let t = 0; t < d; t++) diff = Math.max(diff, Math.abs(some.vectors[j * d + t] - all.vectors[j * d + t]));
          expect(diff).toBeLessThanOrEqual(1e-8);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("rejects energy with k, with another order, or outside (0, 1]", () => {
    const a = [2, 1, 1, 2];
    expect(() => symmetricEigen(a, 2, { energy: 0.5, k: 1 })).toThrow(/options.k/);
    expect(() => symmetricEigen(a, 2, { energy: 0.5, order: "ascending" })).toThrow(/options.order/);
    expect(() => symmetricEigen(a, 2, { energy: 0 })).toThrow(/options.energy/);
    expect(() => symmetricEigen(a, 2, { energy: 1.5 })).toThrow(/options.energy/);
  });
});
