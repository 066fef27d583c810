import { describe, expect, it } from "vitest";
import { AbortedError, DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { OracleOutputError, quadraticOracle, type ValueOracle } from "@smoothhess/oracle";
import { factoredHessian } from "@smoothhess/stein";
import { perturbationMSE, taylorModel } from "./index.js";
import { multiply, randomSymmetric, randomVector } from "./test-support.js";

/** A quadratic f(x) = c + bᵀ(x − x̄) + ½(x − x̄)ᵀA(x − x̄) and its exact derivatives at x0. */
function quadraticProblem(d: number, seed: number) {
  const a = randomSymmetric(d, seed);
  const b = randomVector(d, seed + 1);
  const center = randomVector(d, seed + 2, 0.3);
  const x0 = randomVector(d, seed + 3, 0.3);
  const oracle = quadraticOracle(d, { hessian: a, gradient: b, center, constant: 0.7 });
  const u = Float64Array.from(x0, (v, j) => v - center[j]);
  const au = multiply(a, u);
  const gradient = Float64Array.from(b, (v, j) => v + au[j]);
  const value = oracle.evaluate(x0, 1).values[0];
  let trace = 0, trace2 = 0;
  for (let i = 0; i < d; i++) trace += a[i * d + i];
  for (let k = 0; k < d * d; k++) trace2 += a[k] * a[k];
  return { a, x0, oracle, gradient, value, trace, trace2 };
}

describe("perturbationMSE (paper Eq. 11) against closed forms on a quadratic f", () => {
  it("the second-order model with the exact G and H has P_MSE = 0 to rounding", async () => {
    for (const d of [1, 3, 12]) {
      const q = quadraticProblem(d, 10 * d);
      const model = taylorModel({ value: q.value, gradient: q.gradient, hessian: q.a, x0: q.x0 });
      const result = await perturbationMSE(q.oracle, model, { radius: 0.8, samples: 500, seed: 1 });
      // f itself is O(1) here; rounding errors are O(1e-15), squared O(1e-30)
      expect(result.mean).toBeLessThan(1e-26);
      expect(Math.max(...result.squaredErrors)).toBeLessThan(1e-25);
    }
  });

  it.each(["uniform-ball", "uniform-radius"] as const)(
    "%s: with H = 0 the estimate matches the analytic E[(½δᵀAδ)²] over the ball within 4 SE",
    async (sampling) => {
      for (const d of [2, 5, 20]) {
        const q = quadraticProblem(d, 7 + d);
        const eps = 0.6;
        const model = taylorModel({ value: q.value, gradient: q.gradient, x0: q.x0 });
        const result = await perturbationMSE(q.oracle, model, { radius: eps, samples: 20_000, seed: d, sampling });
        // E[(uᵀAu)²] = (2 tr A² + (tr A)²)/(d(d+2)) for u uniform on the sphere; E[ρ⁴] = dε⁴/(d+4) (ball), ε⁴/5 (radius)
        const sphere = (2 * q.trace2 + q.trace ** 2) / (d * (d + 2));
        const rho4 = sampling === "uniform-ball" ? (d * eps ** 4) / (d + 4) : eps ** 4 / 5;
        const exact = 0.25 * rho4 * sphere;
        expect(Math.abs(result.mean - exact)).toBeLessThan(4 * result.standardError);
        expect(result.standardError).toBeLessThan(0.025 * exact); // the test has power: 4 SE ≤ 10%
        expect(result.samples).toBe(20_000);
        expect(result.sampling).toBe(sampling);
      }
    },
  );

  it("tells the two radial laws apart (they differ by far more than their standard errors in d = 20)", async () => {
    const q = quadraticProblem(20, 27);
    const model = taylorModel({ value: q.value, gradient: q.gradient, x0: q.x0 });
    const ball = await perturbationMSE(q.oracle, model, { radius: 0.6, samples: 5_000, seed: 2 });
    const radius = await perturbationMSE(q.oracle, model, { radius: 0.6, samples: 5_000, seed: 2, sampling: "uniform-radius" });
    // (d/(d+4)) / (1/5) = 4.2 × more in the ball
    expect(ball.mean / radius.mean).toBeGreaterThan(3);
    expect(ball.mean - radius.mean).toBeGreaterThan(10 * Math.hypot(ball.standardError, radius.standardError));
  });
});

describe("perturbationMSE: mechanics", () => {
  const q = quadraticProblem(6, 40);
  const first = taylorModel({ value: q.value, gradient: q.gradient, x0: q.x0 });
  const perturbedH = Float64Array.from(q.a, (v) => v * 0.9);
  const second = taylorModel({ value: q.value, gradient: q.gradient, hessian: perturbedH, x0: q.x0 });

  it("scores several models on the same points (a model listed twice gets identical errors)", async () => {
    const [a, b, c] = await perturbationMSE(q.oracle, [first, second, first], { radius: 0.5, samples: 300, seed: 3 });
    expect(Array.from(c.squaredErrors)).toEqual(Array.from(a.squaredErrors));
    const alone = await perturbationMSE(q.oracle, second, { radius: 0.5, samples: 300, seed: 3 });
    expect(Array.from(alone.squaredErrors)).toEqual(Array.from(b.squaredErrors));
    // H = 0.9·A leaves only 0.1·½δᵀAδ: exactly 1/100 of the first-order squared error, point by point
    for (let i = 0; i < 300; i++) expect(b.squaredErrors[i]).toBeCloseTo(a.squaredErrors[i] / 100, 12);
  });

  it("does not depend on the batch size; the mean and standard error summarise the per-point errors", async () => {
    const big = await perturbationMSE(q.oracle, first, { radius: 0.5, samples: 250, seed: 4 });
    const small = await perturbationMSE(q.oracle, first, { radius: 0.5, samples: 250, seed: 4, batchSize: 7 });
    expect(Array.from(small.squaredErrors)).toEqual(Array.from(big.squaredErrors));
    const errors = Array.from(big.squaredErrors);
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / (errors.length - 1));
    expect(big.mean).toBeCloseTo(mean, 14);
    expect(big.standardError).toBeCloseTo(sd / Math.sqrt(250), 14);
  });

  it("evaluates a factored Hessian without forming d×d and agrees with the dense one", async () => {
    const d = 6, m = 3;
    const left = randomVector(m * d, 41), right = randomVector(m * d, 42);
    const factored = factoredHessian(left, right, m, d, 0.5);
    const dense = factored.toDense();
    const [viaDense, viaFactored] = await perturbationMSE(
      q.oracle,
      [taylorModel({ value: q.value, gradient: q.gradient, hessian: dense, x0: q.x0 }), taylorModel({ value: q.value, gradient: q.gradient, hessian: factored, x0: q.x0 })],
      { radius: 0.5, samples: 200, seed: 5 },
    );
    for (let i = 0; i < 200; i++) expect(viaFactored.squaredErrors[i]).toBeCloseTo(viaDense.squaredErrors[i], 12);
  });

  it("accepts an asynchronous value-only oracle", async () => {
    const valueOnly: ValueOracle = { dim: 6, evaluate: async (points, n) => ({ values: q.oracle.evaluate(points, n).values }) };
    const a = await perturbationMSE(valueOnly, first, { radius: 0.5, samples: 100, seed: 6 });
    const b = await perturbationMSE(q.oracle, first, { radius: 0.5, samples: 100, seed: 6 });
    expect(a.mean).toBe(b.mean);
  });

  it("rejects bad input with typed errors", async () => {
    await expect(perturbationMSE(q.oracle, first, { radius: 0 })).rejects.toThrowError("options.radius: expected a finite number > 0, received 0");
    await expect(perturbationMSE(q.oracle, first, { radius: -1 })).rejects.toThrowError(InvalidArgumentError);
    await expect(perturbationMSE(q.oracle, first, { radius: 1, samples: 0 })).rejects.toThrowError("options.samples: expected an integer ≥ 1, received 0");
    await expect(perturbationMSE(q.oracle, [], { radius: 1 })).rejects.toThrowError(/models: expected at least one Taylor model/);
    const other = taylorModel({ value: 0, gradient: [1, 2], x0: [0, 0] });
    await expect(perturbationMSE(q.oracle, other, { radius: 1 })).rejects.toThrowError(DimensionMismatchError);
    await expect(perturbationMSE(q.oracle, other, { radius: 1 })).rejects.toThrowError("models[0].dim: expected 6 (the oracle's dim), received 2");
    const moved = taylorModel({ value: q.value, gradient: q.gradient, x0: q.x0.map((v) => v + 1) });
    await expect(perturbationMSE(q.oracle, [first, moved], { radius: 1 })).rejects.toThrowError(/models\[1\]\.x0: expected the same x0 as models\[0\]/);
    await expect(perturbationMSE({} as never, first, { radius: 1 })).rejects.toThrowError(/oracle: expected an oracle/);
    await expect(perturbationMSE(q.oracle, first, { radius: 1, sampling: "sphere" as never })).rejects.toThrowError(/options\.sampling/);
    const broken: ValueOracle = { dim: 6, evaluate: (_p, n) => ({ values: new Float64Array(n).fill(Number.NaN) }) };
    await expect(perturbationMSE(broken, first, { radius: 1 })).rejects.toThrowError(OracleOutputError);
    const controller = new AbortController();
    controller.abort("stop");
    await expect(perturbationMSE(q.oracle, first, { radius: 1, signal: controller.signal })).rejects.toThrowError(AbortedError);
  });
});
