import { fileURLToPath } from "node:url";
import { DimensionMismatchError, DisposedError, InvalidArgumentError } from "@smoothhess/errors";
import { linalgQuadraticFormKernel, perturbationBalls, perturbationMSE, taylorModel, type QuadraticFormKernel } from "@smoothhess/metrics";
import { gaussianSampler } from "@smoothhess/random";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import { onnxQuadraticFormKernel } from "./quadratic-form-kernel.js";
import { liveSessionCount } from "./runtime.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function symmetric(seed: number, d: number, scale: number): Float64Array {
  const raw = gaussianSampler(seed).fillNormal(new Float64Array(d * d));
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i * d + j] = (scale * (raw[i * d + j] + raw[j * d + i])) / 2;
  return h;
}

describe("onnxQuadraticFormKernel", () => {
  it("satisfies @smoothhess/metrics' QuadraticFormKernel and matches the float64 kernel within float32 rounding", async () => {
    const rows = 300, d = 50;
    const u = gaussianSampler(1).fillNormal(new Float64Array(rows * d));
    const h = gaussianSampler(2).fillNormal(new Float64Array(d * d)); // not symmetric
    const kernel: QuadraticFormKernel & { dispose(): Promise<void> } = await onnxQuadraticFormKernel({ threads: 1 });
    try {
      expect(kernel.name).toBe("onnx-cpu-float32");
      const forms = await kernel.bind(u, rows, d);
      const got = await forms.evaluate(h);
      const want = await (await linalgQuadraticFormKernel().bind(u, rows, d)).evaluate(h);
      // the scale float32 rounding is relative to: Σ_ij |u_i H_ij u_j|
      const abs = await (await linalgQuadraticFormKernel().bind(u.map(Math.abs), rows, d)).evaluate(h.map(Math.abs));
      let worst = 0;
      for (let p = 0; p < rows; p++) worst = Math.max(worst, Math.abs(got[p] - want[p]) / abs[p]);
      // float32 GEMM and sum over d = 50 terms: measured 1.8e-8; asserted 1e-6 (a float64 path would give ~1e-16)
      expect(worst).toBeLessThan(1e-6);
      expect(worst).toBeGreaterThan(1e-12);
      await forms.dispose();
    } finally {
      await kernel.dispose();
    }
  });

  it("is exact on small integers for any rows, d, plain arrays and several bindings on one session (fast-check)", async () => {
    // Integer entries in [−4, 4] with sums < 2²⁴ are exact in float32: an orientation or layout error shows exactly.
    const kernel = await onnxQuadraticFormKernel({ threads: 1 });
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 9 }), fc.integer(), async (rows, d, seed) => {
          const rng = gaussianSampler(seed);
          const ints = (n: number) => Float64Array.from(rng.fillUniform(new Float64Array(n)), (x) => Math.floor(x * 9) - 4);
          const u = ints(rows * d + 3);
          const h = ints(d * d);
          const forms = await kernel.bind(Array.from(u), rows, d);
          const got = await forms.evaluate(Array.from(h));
          const want = await (await linalgQuadraticFormKernel().bind(u, rows, d)).evaluate(h);
          expect(Array.from(got)).toEqual(Array.from(want));
          forms.dispose();
        }),
        { numRuns: 50 },
      );
    } finally {
      await kernel.dispose();
    }
  });

  it("runs concurrent evaluations of one binding without mixing their Hessians", async () => {
    const rows = 40, d = 12;
    const u = gaussianSampler(3).fillNormal(new Float64Array(rows * d));
    const hs = [1, 2, 3, 4].map((s) => symmetric(s, d, s));
    const kernel = await onnxQuadraticFormKernel({ threads: 1 });
    try {
      const forms = await kernel.bind(u, rows, d);
      const together = await Promise.all(hs.map((h) => forms.evaluate(h)));
      for (const [k, h] of hs.entries()) expect(Array.from(together[k])).toEqual(Array.from(await forms.evaluate(h)));
      expect(together[0][0]).not.toBe(together[1][0]);
    } finally {
      await kernel.dispose();
    }
  });

  it("scores the authors' MNIST MLP (engine oracle, d = 784) as perturbationMSE does (float32 kernel: relative ≤ 1e-4)", async () => {
    const model = await loadOnnxModel(fixture("authors-mnist-mlp.onnx"));
    const oracle = await onnxOracle(model, { target: { output: 3 }, threads: 1 });
    const kernel = await onnxQuadraticFormKernel({ threads: 1 });
    const d = 784;
    const x0 = gaussianSampler(4).fillUniform(new Float64Array(d));
    const gradient = gaussianSampler(5).fillNormal(new Float64Array(d)).map((g) => 0.05 * g);
    const hessian = symmetric(6, d, 0.01);
    const specs = [{ radius: 0.25, seed: 7 }, { radius: 1, seed: 8 }];
    const samples = 120;
    try {
      const balls = await perturbationBalls(oracle, x0, { balls: specs, samples, kernel });
      try {
        expect(balls.kernelName).toBe("onnx-cpu-float32");
        const models = [taylorModel({ value: balls.value, gradient, hessian, x0 }), taylorModel({ value: balls.value, gradient, x0 })];
        const scored = await balls.scoreMany(models);
        for (const [b, spec] of specs.entries()) {
          const reference = await perturbationMSE(oracle, models, { ...spec, samples });
          for (const [m, want] of reference.entries()) {
            const relative = Math.abs(scored[m][b].mean / want.mean - 1);
            expect(relative).toBeLessThan(1e-4); // measured ≤ 5e-10 (P_MSE is dominated by the float64 terms here)
            if (m === 0) expect(relative).toBeGreaterThan(0); // the second-order model went through float32
          }
        }
      } finally {
        await balls.dispose();
      }
    } finally {
      await kernel.dispose();
      await oracle.dispose();
    }
  });

  it("holds one session, releases it on dispose, leaks nothing over 1,000 calls and refuses work afterwards", async () => {
    const before = liveSessionCount();
    const kernel = await onnxQuadraticFormKernel({ threads: 1 });
    expect(liveSessionCount()).toBe(before + 1);
    const rows = 64, d = 32;
    const forms = await kernel.bind(gaussianSampler(1).fillNormal(new Float64Array(rows * d)), rows, d);
    const h = symmetric(2, d, 1);
    const first = await forms.evaluate(h);
    for (let i = 0; i < 100; i++) await forms.evaluate(h);
    const baseline = process.memoryUsage().rss;
    for (let i = 0; i < 1000; i++) {
      const again = await forms.evaluate(h);
      if (i % 250 === 0) expect(Array.from(again)).toEqual(Array.from(first)); // same input, same numbers
    }
    // each run sends 4 KB and returns 0.25 KB; a leak of the runs' tensors would not be visible at this size, the
    // session count is the check that matters, this bound only catches runaway growth
    expect(process.memoryUsage().rss - baseline).toBeLessThan(64 * 1024 * 1024);
    for (let i = 0; i < 50; i++) (await kernel.bind(new Float64Array(rows * d), rows, d)).dispose();
    expect(liveSessionCount()).toBe(before + 1);
    forms.dispose();
    forms.dispose();
    await expect(forms.evaluate(h)).rejects.toBeInstanceOf(DisposedError);
    const other = await kernel.bind(new Float64Array(rows * d), rows, d);
    await kernel.dispose();
    await kernel.dispose();
    expect(liveSessionCount()).toBe(before);
    await expect(other.evaluate(h)).rejects.toThrow(/^this ONNX quadratic-form kernel was used after dispose\(\); create a new kernel/);
    await expect(kernel.bind(new Float64Array(4), 2, 2)).rejects.toBeInstanceOf(DisposedError);
  });

  it("throws typed errors naming the argument", async () => {
    await expect(onnxQuadraticFormKernel({ threads: 0 })).rejects.toThrow(/^options\.threads: /);
    const kernel = await onnxQuadraticFormKernel({ threads: 1 });
    try {
      await expect(kernel.bind(new Float64Array(5), 2, 3)).rejects.toThrow(/^displacements: expected a row-major 2×3 matrix \(6 entries\), received 5 entries$/);
      await expect(kernel.bind(new Float64Array(6), 0, 3)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(kernel.bind(new Float64Array(6), 2, 1.5)).rejects.toThrow(/^dim: /);
      const forms = await kernel.bind(new Float64Array(6), 2, 3);
      await expect(forms.evaluate(new Float64Array(8))).rejects.toBeInstanceOf(DimensionMismatchError);
      await expect(forms.evaluate(new Float64Array(8))).rejects.toThrow(/^hessian: expected a row-major 3×3 matrix \(9 entries\), received 8 entries$/);
      expect(Array.from(await forms.evaluate(new Float64Array(9)))).toEqual([0, 0]); // still usable after a refusal
    } finally {
      await kernel.dispose();
    }
  });
});

