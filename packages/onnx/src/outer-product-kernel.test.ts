import { addTransposedProduct } from "@smoothhess/linalg";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { DimensionMismatchError, DisposedError, InvalidArgumentError } from "@smoothhess/errors";
import { smoothHess } from "@smoothhess/stein";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KernelDisposedError, onnxOuterProductKernel } from "./outer-product-kernel.js";
import { liveSessionCount } from "./runtime.js";

function randomMatrix(seed: number, rows: number, cols: number): Float64Array {
  return gaussianSampler(seed).fillNormal(new Float64Array(rows * cols));
}

/** Σ_u |a_ur b_uc|: the scale float32 rounding of one entry is relative to. */
function absoluteProduct(a: Float64Array, b: Float64Array, m: number, p: number, q: number): Float64Array {
  return addTransposedProduct(new Float64Array(p * q), a.map(Math.abs), b.map(Math.abs), m, p, q);
}

describe("onnxOuterProductKernel", () => {
  it("adds Aᵀ B to a float64 accumulator within float32 rounding of linalg's float64 product, across blocks", async () => {
    // m = 2500 spans three blocks of 1024 rows; the accumulator starts non-zero so `+=` is checked, not `=`.
    const m = 2500, p = 37, q = 29;
    const a = randomMatrix(1, m, p), b = randomMatrix(2, m, q);
    const start = Float64Array.from({ length: p * q }, (_, k) => k - 100);
    const expected = addTransposedProduct(start.slice(), a, b, m, p, q);
    const scale = absoluteProduct(a, b, m, p, q);
    const kernel = await onnxOuterProductKernel({ threads: 1 });
    try {
      const out = start.slice();
      await kernel.addTransposedProduct(out, a, b, m, p, q);
      // Float32 tolerance: each entry is a float32 dot product of ≤ 1024 rounded terms per block. Random-sign
      // rounding errors give ~6e-8 of Σ|a b| here (measured 2.6e-8); the bound asserted is 2e-7 of Σ|a b|.
      let worst = 0;
      for (let k = 0; k < p * q; k++) worst = Math.max(worst, Math.abs(out[k] - expected[k]) / scale[k]);
      expect(worst).toBeLessThan(2e-7);
      expect(worst).toBeGreaterThan(0); // float32 really was used (a float64 path would be exact to ~1e-16)
    } finally {
      await kernel.dispose();
    }
  });

  it("is exact on small integers for any block size, m, p, q and buffer reuse (fast-check)", async () => {
    // Integer entries in [−8, 8] and sums < 2²⁴ are exact in float32, so any orientation, block-split or stale
    // buffer error shows as an inexact result.
    const kernels = new Map<number, Awaited<ReturnType<typeof onnxOuterProductKernel>>>();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer(),
          async (blockRows, m, p, q, seed) => {
            let kernel = kernels.get(blockRows);
            if (!kernel) kernels.set(blockRows, (kernel = await onnxOuterProductKernel({ threads: 1, blockRows })));
            const rng = gaussianSampler(seed);
            const ints = (n: number) => Float64Array.from(rng.fillUniform(new Float64Array(n)), (u) => Math.floor(u * 17) - 8);
            const a = ints(m * p + 3), b = ints(m * q + 5); // trailing entries must be ignored
            const out = ints(p * q);
            const expected = addTransposedProduct(out.slice(), a, b, m, p, q);
            await kernel.addTransposedProduct(out, a, b, m, p, q);
            expect(Array.from(out)).toEqual(Array.from(expected));
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      for (const kernel of kernels.values()) await kernel.dispose();
    }
  });

  it("accepts float32 and plain-array inputs", async () => {
    const kernel = await onnxOuterProductKernel({ threads: 1 });
    try {
      const out = new Float64Array(4);
      await kernel.addTransposedProduct(out, new Float32Array([1, 2, 3, 4]), [5, 6, 7, 8], 2, 2, 2);
      expect(Array.from(out)).toEqual([1 * 5 + 3 * 7, 1 * 6 + 3 * 8, 2 * 5 + 4 * 7, 2 * 6 + 4 * 8]);
    } finally {
      await kernel.dispose();
    }
  });

  it("keeps smoothHess within float32 rounding of the float64 kernel (precision contract)", async () => {
    const net = randomDenseNetwork([12, 16, 8, 3], { seed: 4 });
    const oracle = networkOracle(net, { output: 1 });
    const x0 = gaussianSampler(5).fillNormal(new Float64Array(12));
    const options = { covariance: { sigma: 0.3 }, samples: 20_000, seed: 3, batchSize: 1000 };
    const reference = await smoothHess(oracle, x0, options);
    const kernel = await onnxOuterProductKernel({ threads: 1 });
    try {
      const result = await smoothHess(oracle, x0, { ...options, kernel });
      let diff = 0, largest = 0;
      for (let k = 0; k < reference.hessian.length; k++) {
        diff = Math.max(diff, Math.abs(result.hessian[k] - reference.hessian[k]));
        largest = Math.max(largest, Math.abs(reference.hessian[k]));
      }
      // stein's contract: float32 arithmetic changes the estimate by < 1e-6 of its largest entry (measured 1.7e-8),
      // far below the Monte-Carlo error of the estimate itself (standardError.hessianFrobenius).
      expect(diff).toBeLessThan(1e-6 * largest);
      expect(diff).toBeLessThan(1e-5 * reference.standardError.hessianFrobenius);
      expect(Array.from(result.gradient)).toEqual(Array.from(reference.gradient));
    } finally {
      await kernel.dispose();
    }
  });

  it("releases its session on dispose, once, and refuses work afterwards", async () => {
    const before = liveSessionCount();
    const kernel = await onnxOuterProductKernel({ threads: 1 });
    expect(kernel.name).toBe("onnx-cpu-float32");
    expect(liveSessionCount()).toBe(before + 1);
    for (let i = 0; i < 1000; i++) await kernel.addTransposedProduct(new Float64Array(1), [2], [3], 1, 1, 1);
    await kernel.dispose();
    await kernel.dispose();
    expect(liveSessionCount()).toBe(before);
    const refused = kernel.addTransposedProduct(new Float64Array(1), [2], [3], 1, 1, 1);
    await expect(refused).rejects.toBeInstanceOf(DisposedError);
    await expect(refused).rejects.toBeInstanceOf(KernelDisposedError);
    await expect(refused).rejects.toMatchObject({ code: "disposed", resource: "this outer-product kernel" });
    await expect(refused).rejects.toThrow(/used after dispose\(\); create a new one with onnxOuterProductKernel\(\)/);
  });

  it("throws typed errors naming the argument for bad sizes and options", async () => {
    await expect(onnxOuterProductKernel({ threads: 0 })).rejects.toThrow(/options\.threads/);
    await expect(onnxOuterProductKernel({ blockRows: 1.5 })).rejects.toBeInstanceOf(InvalidArgumentError);
    const kernel = await onnxOuterProductKernel({ threads: 1 });
    try {
      const out = new Float64Array(6);
      const a = new Float64Array(8), b = new Float64Array(12);
      await expect(kernel.addTransposedProduct(out, a, b, 4, 2, 3)).resolves.toBeUndefined();
      await expect(kernel.addTransposedProduct(new Float64Array(5), a, b, 4, 2, 3)).rejects.toThrow(/^out: expected p·q = 2·3 = 6 entries, received 5 entries$/);
      await expect(kernel.addTransposedProduct(out, a, b, 5, 2, 3)).rejects.toBeInstanceOf(DimensionMismatchError);
      await expect(kernel.addTransposedProduct(out, a, new Float64Array(11), 4, 2, 3)).rejects.toThrow(/^b: /);
      await expect(kernel.addTransposedProduct(out, a, b, -1, 2, 3)).rejects.toThrow(/^m: /);
      await expect(kernel.addTransposedProduct(out, a, b, 4, 0, 3)).rejects.toThrow(/^p: /);
      await expect(kernel.addTransposedProduct(new Float32Array(6) as unknown as Float64Array, a, b, 4, 2, 3)).rejects.toThrow(/^out: expected a Float64Array/);
    } finally {
      await kernel.dispose();
    }
  });
});
