import { AbortedError, DimensionMismatchError, DisposedError, InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle, randomDenseNetwork, type ValueOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linalgQuadraticFormKernel } from "./linalg-quadratic-form-kernel.js";
import { perturbationBalls } from "./perturbation-balls.js";
import { perturbationMSE } from "./perturbation-mse.js";
import type { BoundQuadraticForms, QuadraticFormKernel } from "./quadratic-form-kernel.js";
import { taylorModel } from "./taylor-model.js";

const d = 24;
const net = randomDenseNetwork([d, 32, 32, 3], { seed: 5 });
const oracle = networkOracle(net, { output: 1 });
const x0 = new Float64Array(d).map((_, i) => Math.cos(i));
const rng = gaussianSampler(9);
const gradient = rng.fillNormal(new Float64Array(d));
const symmetric = (seed: number, scale = 1): Float64Array => {
  const raw = gaussianSampler(seed).fillNormal(new Float64Array(d * d));
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) h[i * d + j] = (scale * (raw[i * d + j] + raw[j * d + i])) / 2;
  return h;
};
const hessian = symmetric(10);
const other = symmetric(11, 0.3);

/** u_iᵀ H u_i by the definition, in float64. */
function naiveForms(u: Float64Array, rows: number, h: ArrayLike<number>, dim: number): Float64Array {
  const out = new Float64Array(rows);
  for (let p = 0; p < rows; p++) {
    let s = 0;
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) s += u[p * dim + i] * h[i * dim + j] * u[p * dim + j];
    out[p] = s;
  }
  return out;
}

/** A kernel that counts its calls and delegates to the linalg one. */
function countingKernel(): QuadraticFormKernel & { binds: number; evaluations: number; disposals: number } {
  const inner = linalgQuadraticFormKernel();
  const kernel = {
    name: "counting",
    binds: 0,
    evaluations: 0,
    disposals: 0,
    async bind(u: Float64Array, rows: number, dim: number): Promise<BoundQuadraticForms> {
      kernel.binds++;
      const bound = await inner.bind(u, rows, dim);
      return {
        rows,
        dim,
        async evaluate(h: ArrayLike<number>) {
          kernel.evaluations++;
          return bound.evaluate(h);
        },
        dispose() {
          kernel.disposals++;
          return bound.dispose();
        },
      };
    },
  };
  return kernel;
}

describe("linalgQuadraticFormKernel", () => {
  it("computes uᵀHu of every row in float64, for any block size, H symmetric or not (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 13 }), fc.integer(), async (blockRows, rows, dim, seed) => {
        const g = gaussianSampler(seed);
        const u = g.fillNormal(new Float64Array(rows * dim + 2)); // trailing entries must be ignored
        const h = g.fillNormal(new Float64Array(dim * dim)); // not symmetric
        const forms = await linalgQuadraticFormKernel({ blockRows }).bind(u, rows, dim);
        const got = await forms.evaluate(Array.from(h));
        const want = naiveForms(u, rows, h, dim);
        expect(got.length).toBe(rows);
        for (let p = 0; p < rows; p++) expect(Math.abs(got[p] - want[p])).toBeLessThan(1e-12 * (1 + Math.abs(want[p])) * dim);
      }),
      { numRuns: 60 },
    );
  });

  it("gives the closed form on a 2×2 example and refuses bad sizes and use after dispose", async () => {
    const kernel = linalgQuadraticFormKernel();
    expect(kernel.name).toBe("linalg-float64");
    const forms = await kernel.bind(Float64Array.of(1, 0, 1, 1), 2, 2);
    expect(Array.from(await forms.evaluate([2, 1, 1, 3]))).toEqual([2, 7]);
    expect(() => forms.evaluate([1, 2, 3])).toThrow(DimensionMismatchError);
    expect(() => forms.evaluate([1, 2, 3])).toThrow(/^hessian: expected a row-major 2×2 matrix \(4 entries\), received 3 entries$/);
    await forms.dispose();
    await forms.dispose();
    expect(() => forms.evaluate([2, 1, 1, 3])).toThrow(DisposedError);
    expect(() => kernel.bind(new Float64Array(3), 2, 2)).toThrow(/^displacements: /);
    expect(() => kernel.bind(new Float64Array(4), 0, 2)).toThrow(/^rows: /);
    expect(() => linalgQuadraticFormKernel({ blockRows: 0 })).toThrow(/options\.blockRows/);
  });
});

describe("perturbationBalls", () => {
  it.each(["uniform-ball", "uniform-radius"] as const)(
    "scores every ball as perturbationMSE does with the same radius, seed and samples (%s; float64 kernel: 1e-10)",
    async (sampling) => {
      const specs = [{ radius: 0.25, seed: 3 }, { radius: 0.5, seed: 4 }, { radius: 1, seed: 5 }];
      const samples = 300;
      const balls = await perturbationBalls(oracle, x0, { balls: specs, samples, sampling, batchSize: 128 });
      try {
        const value = (oracle.evaluate(x0, 1) as { values: Float64Array }).values[0];
        expect(balls.value).toBe(value);
        expect(balls.kernelName).toBe("linalg-float64");
        const models = [
          taylorModel({ value, gradient, hessian, x0 }),
          taylorModel({ value, gradient, x0 }),
          taylorModel({ value: value + 0.1, gradient, hessian: other, x0 }),
        ];
        const scored = await balls.scoreMany(models);
        expect(scored.length).toBe(3);
        for (const [b, spec] of specs.entries()) {
          const reference = await perturbationMSE(oracle, models, { radius: spec.radius, seed: spec.seed, samples, sampling });
          for (const [m, want] of reference.entries()) {
            const got = scored[m][b];
            expect(got.radius).toBe(spec.radius);
            expect(got.sampling).toBe(sampling);
            expect(got.samples).toBe(samples);
            expect(Math.abs(got.mean / want.mean - 1)).toBeLessThan(1e-10);
            expect(Math.abs(got.standardError / want.standardError - 1)).toBeLessThan(1e-8);
            for (let p = 0; p < samples; p++) expect(Math.abs(got.squaredErrors[p] - want.squaredErrors[p])).toBeLessThan(1e-10 * want.mean);
          }
        }
        // score(model) is one row of scoreMany
        expect((await balls.score(models[2])).map((r) => r.mean)).toEqual(scored[2].map((r) => r.mean));
        // the points are sampleBall's, the values f there
        expect(balls.balls.map((b) => [b.radius, b.seed])).toEqual(specs.map((s) => [s.radius, s.seed]));
        const first = balls.balls[1];
        const point = Float64Array.from(x0, (x, j) => x + first.displacements[7 * d + j]);
        expect(first.values[7]).toBe((oracle.evaluate(point, 1) as { values: Float64Array }).values[0]);
      } finally {
        await balls.dispose();
      }
    },
  );

  it("scores the exact second-order model of a quadratic f as 0 and a wrong one above 0", async () => {
    const b = gradient, a = hessian;
    const quadratic: ValueOracle = {
      dim: d,
      evaluate(points, n) {
        const values = new Float64Array(n);
        const u = new Float64Array(d);
        for (let p = 0; p < n; p++) {
          for (let j = 0; j < d; j++) u[j] = points[p * d + j] - x0[j];
          let s = 3;
          for (let i = 0; i < d; i++) {
            s += b[i] * u[i];
            for (let j = 0; j < d; j++) s += 0.5 * u[i] * a[i * d + j] * u[j];
          }
          values[p] = s;
        }
        return { values };
      },
    };
    const balls = await perturbationBalls(quadratic, x0, { balls: [{ radius: 0.5, seed: 1 }, { radius: 2, seed: 2 }], samples: 200 });
    try {
      expect(balls.value).toBe(3);
      const [exact, first] = await balls.scoreMany([{ gradient: b, hessian: a }, { gradient: b }]);
      for (const r of exact) expect(r.mean).toBeLessThan(1e-24);
      for (const r of first) expect(r.mean).toBeGreaterThan(1e-4);
    } finally {
      await balls.dispose();
    }
  });

  it("calls the kernel once per distinct Hessian for all balls together, binds once, disposes once", async () => {
    const kernel = countingKernel();
    const balls = await perturbationBalls(oracle, x0, { balls: [{ radius: 0.5, seed: 1 }, { radius: 1, seed: 2 }], samples: 50, kernel });
    expect(kernel.binds).toBe(1);
    expect(balls.kernelName).toBe("counting");
    const scored = await balls.scoreMany([{ gradient, hessian }, { gradient }, { gradient: other.subarray(0, d), hessian }, { gradient, hessian: other }]);
    expect(kernel.evaluations).toBe(2);
    expect(scored.map((row) => row.length)).toEqual([2, 2, 2, 2]);
    await balls.dispose();
    await balls.dispose();
    expect(kernel.disposals).toBe(1);
    await expect(balls.score({ gradient })).rejects.toBeInstanceOf(DisposedError);
    await expect(balls.scoreMany([{ gradient }])).rejects.toThrow(/these perturbation balls was used after dispose\(\)/);
  });

  it("scores a Hessian operator (float64 matVec) as its dense matrix", async () => {
    const balls = await perturbationBalls(oracle, x0, { balls: [{ radius: 0.5, seed: 1 }], samples: 80 });
    try {
      const operator = {
        dim: d,
        matVec(v: Float64Array) {
          const out = new Float64Array(d);
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i] += hessian[i * d + j] * v[j];
          return out;
        },
      };
      const [[dense], [op]] = await balls.scoreMany([{ gradient, hessian }, { gradient, hessian: operator }]);
      expect(Math.abs(op.mean / dense.mean - 1)).toBeLessThan(1e-12);
    } finally {
      await balls.dispose();
    }
  });

  it("throws typed errors naming the argument", async () => {
    await expect(perturbationBalls({} as ValueOracle, x0, { balls: [{ radius: 1 }] })).rejects.toThrow(/^oracle: /);
    await expect(perturbationBalls(oracle, x0.subarray(1), { balls: [{ radius: 1 }] })).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(perturbationBalls(oracle, x0, { balls: [] })).rejects.toThrow(/^options\.balls: /);
    await expect(perturbationBalls(oracle, x0, { balls: [{ radius: 1 }, { radius: 0 }] })).rejects.toThrow(/^options\.balls\[1\]\.radius: /);
    await expect(perturbationBalls(oracle, x0, { balls: [{ radius: 1, seed: 0.5 }] })).rejects.toThrow(/^options\.balls\[0\]\.seed: /);
    await expect(perturbationBalls(oracle, x0, { balls: [{ radius: 1 }], samples: 0 })).rejects.toThrow(/^options\.samples: /);
    await expect(perturbationBalls(oracle, x0, { balls: [{ radius: 1 }], kernel: {} as QuadraticFormKernel })).rejects.toThrow(/^options\.kernel: /);
    const controller = new AbortController();
    controller.abort();
    await expect(perturbationBalls(oracle, x0, { balls: [{ radius: 1 }], signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);

    const balls = await perturbationBalls(oracle, x0, { balls: [{ radius: 1 }], samples: 10 });
    try {
      await expect(balls.scoreMany([{ gradient }, { gradient, hessian: new Float64Array(d * d - 1) }])).rejects.toThrow(
        new RegExp(`^models\\[1\\]\\.hessian: expected a row-major ${d}×${d} matrix \\(${d * d} entries\\), received length ${d * d - 1}$`),
      );
      await expect(balls.score({ gradient, hessian: new Float64Array(d * d - 1) })).rejects.toBeInstanceOf(DimensionMismatchError);
      await expect(balls.score({ gradient: gradient.subarray(1) })).rejects.toThrow(new RegExp(`^model\\.gradient: expected length ${d} \\(the balls' dim\\), received length ${d - 1}$`));
      await expect(balls.score({ gradient: new Float64Array(d).fill(Number.NaN) })).rejects.toThrow(/^model\.gradient/);
      await expect(balls.score({ gradient, hessian: new Float64Array(d * d).fill(Number.POSITIVE_INFINITY) })).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(balls.score({ gradient, hessian: Object.assign(new Float64Array(d * d), { [5]: Number.NaN }) })).rejects.toThrow(/^model\.hessian: .*index 5/);
      // finite entries whose forms overflow (float64 here; float32 kernels overflow far earlier)
      await expect(balls.score({ gradient, hessian: new Float64Array(d * d).fill(1.7e308) })).rejects.toThrow(
        /^model\.hessian: expected a matrix whose quadratic forms are finite in the kernel's precision \(linalg-float64\)/,
      );
      await expect(balls.score({ gradient, value: Number.NaN })).rejects.toThrow(/^model\.value: /);
      await expect(balls.score({ gradient, x0: x0.map((x) => x + 1) })).rejects.toThrow(/^model\.x0: /);
      await expect(balls.score({ gradient, hessian: { dim: d + 1, matVec: (v: Float64Array) => v } })).rejects.toThrow(/^model\.hessian\.dim: /);
      await expect(balls.scoreMany("x" as never)).rejects.toThrow(/^models: /);
      const controller2 = new AbortController();
      controller2.abort();
      await expect(balls.scoreMany([{ gradient }], { signal: controller2.signal })).rejects.toBeInstanceOf(AbortedError);
      expect(await balls.scoreMany([])).toEqual([]);
    } finally {
      await balls.dispose();
    }
  });
});
