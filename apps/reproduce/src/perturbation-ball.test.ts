import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perturbationMSE, taylorModel } from "@smoothhess/metrics";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { useBackend } from "@smoothhess/tfjs";
import { PerturbationBall, hessianTensor } from "./perturbation-ball.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const d = 24;
const net = randomDenseNetwork([d, 32, 32, 3], { seed: 5 });
const oracle = networkOracle(net, { output: 1 });
const x0 = new Float64Array(d).map((_, i) => Math.cos(i));
const rng = gaussianSampler(9);
const gradient = new Float64Array(d);
rng.fillNormal(gradient);
const raw = new Float64Array(d * d);
rng.fillNormal(raw);
const hessian = new Float64Array(d * d);
for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) hessian[i * d + j] = (raw[i * d + j] + raw[j * d + i]) / 2;

describe("PerturbationBall", () => {
  const balls: PerturbationBall[] = [];
  afterAll(() => balls.forEach((b) => b.dispose()));

  it.each(["uniform-ball", "uniform-radius"] as const)("scores Taylor models as perturbationMSE does (%s)", async (sampling) => {
    const options = { radius: 0.7, samples: 500, seed: 21, sampling };
    const ball = await PerturbationBall.create(oracle, x0, options);
    balls.push(ball);
    const value = oracle.evaluate(x0, 1).values[0];
    expect(ball.value).toBe(value);
    const [second, first] = await perturbationMSE(oracle, [taylorModel({ value, gradient, hessian, x0 }), taylorModel({ value, gradient, x0 })], options);
    const h = hessianTensor(hessian, d);
    try {
      expect(ball.score(gradient, h)).toBeCloseTo(second.mean, 4);
      expect(Math.abs(ball.score(gradient, h) / second.mean - 1)).toBeLessThan(1e-4);
      expect(Math.abs(ball.score(gradient) / first.mean - 1)).toBeLessThan(1e-9);
      const errors = ball.squaredErrors(gradient, h);
      for (let p = 0; p < 500; p += 97) expect(Math.abs(errors[p] - second.squaredErrors[p])).toBeLessThan(1e-4 * second.mean + 1e-12);
    } finally {
      h.dispose();
    }
  });

  it("draws the points perturbationMSE draws: the exact model scores 0 on a quadratic", async () => {
    const a = hessian, b = gradient;
    const quadratic = {
      dim: d,
      evaluate(points: Float64Array | Float32Array, n: number) {
        const values = new Float64Array(n);
        for (let p = 0; p < n; p++) {
          let s = 3;
          for (let i = 0; i < d; i++) {
            const ui = points[p * d + i] - x0[i];
            s += b[i] * ui;
            for (let j = 0; j < d; j++) s += 0.5 * ui * a[i * d + j] * (points[p * d + j] - x0[j]);
          }
          values[p] = s;
        }
        return { values };
      },
    };
    const ball = await PerturbationBall.create(quadratic, x0, { radius: 0.5, samples: 200, seed: 4 });
    balls.push(ball);
    const h = hessianTensor(hessian, d);
    try {
      expect(ball.score(gradient, h)).toBeLessThan(1e-10);
      expect(ball.score(gradient)).toBeGreaterThan(1e-3);
    } finally {
      h.dispose();
    }
  });

  it("refuses a Hessian of the wrong size, naming it", () => {
    expect(() => hessianTensor(new Float64Array(10), d)).toThrow(/hessian/);
  });
});
