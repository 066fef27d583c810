import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, DisposedError } from "@smoothhess/errors";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { useBackend } from "@smoothhess/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { perturbationBalls } from "../perturbation-balls.js";
import { perturbationMSE } from "../perturbation-mse.js";
import { taylorModel } from "../taylor-model.js";
import { PerturbationBall, hessianTensor } from "./perturbation-ball.js";
import { tfjsQuadraticFormKernel } from "./tfjs-quadratic-form-kernel.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const d = 40;
const net = randomDenseNetwork([d, 32, 32, 3], { seed: 7 });
const oracle = networkOracle(net, { output: 2 });
const x0 = new Float64Array(d).map((_, i) => Math.sin(i));
const rng = gaussianSampler(3);
const gradient = rng.fillNormal(new Float64Array(d));
const raw = rng.fillNormal(new Float64Array(d * d));
const hessian = new Float64Array(d * d);
for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) hessian[i * d + j] = (raw[i * d + j] + raw[j * d + i]) / 2;

describe("tfjsQuadraticFormKernel", () => {
  it("scores as perturbationMSE and as PerturbationBall on the same seeds (float32: relative ≤ 1e-4)", async () => {
    const specs = [{ radius: 0.25, seed: 11 }, { radius: 1, seed: 12 }];
    const samples = 400;
    const kernel = tfjsQuadraticFormKernel();
    expect(kernel.name).toBe("tfjs-wasm-float32");
    const balls = await perturbationBalls(oracle, x0, { balls: specs, samples, kernel });
    try {
      const [second, first] = await balls.scoreMany([{ gradient, hessian }, { gradient }]);
      const value = balls.value;
      const models = [taylorModel({ value, gradient, hessian, x0 }), taylorModel({ value, gradient, x0 })];
      for (const [b, spec] of specs.entries()) {
        const [wantSecond, wantFirst] = await perturbationMSE(oracle, models, { ...spec, samples });
        // float32 products: measured 2e-9 and 1e-8 relative here; the bound is the PerturbationBall contract, 1e-4
        expect(Math.abs(second[b].mean / wantSecond.mean - 1)).toBeLessThan(1e-4);
        expect(Math.abs(second[b].mean / wantSecond.mean - 1)).toBeGreaterThan(0); // float32 really was used
        expect(Math.abs(first[b].mean / wantFirst.mean - 1)).toBeLessThan(1e-10); // no kernel for first order
        const old = await PerturbationBall.create(oracle, x0, { ...spec, samples });
        const h = hessianTensor(hessian, d);
        try {
          expect(Math.abs(second[b].mean / old.score(gradient, h) - 1)).toBeLessThan(1e-4);
          expect(Array.from(balls.balls[b].values)).toEqual(Array.from(old.values));
        } finally {
          h.dispose();
          old.dispose();
        }
      }
    } finally {
      await balls.dispose();
    }
  });

  it("holds exactly one tensor per binding, none after dispose, over many calls", async () => {
    const before = tf.memory().numTensors;
    const kernel = tfjsQuadraticFormKernel();
    const forms = await kernel.bind(gaussianSampler(1).fillNormal(new Float64Array(30 * d)), 30, d);
    expect(tf.memory().numTensors).toBe(before + 1);
    for (let i = 0; i < 200; i++) await forms.evaluate(hessian);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(() => forms.evaluate(hessian.subarray(1))).toThrow(DimensionMismatchError);
    expect(tf.memory().numTensors).toBe(before + 1);
    await forms.dispose();
    await forms.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => forms.evaluate(hessian)).toThrow(DisposedError);
  });
});
