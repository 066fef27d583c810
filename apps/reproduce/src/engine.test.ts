import * as tf from "@tensorflow/tfjs-core";
import { perturbationBalls } from "@smoothhess/metrics";
import { liveSessionCount } from "@smoothhess/onnx";
import { smoothHess } from "@smoothhess/stein";
import { useBackend } from "@smoothhess/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAuthorsModel, type AuthorsModel } from "./authors-model.js";
import { ENGINE_NAMES, openEngine, type Engine } from "./engine.js";

let authors: AuthorsModel;
beforeAll(async () => {
  await useBackend("wasm");
  authors = await loadAuthorsModel("four-quadrant"); // 2-500-300-250-250-250-1: every call is cheap at d = 2
});
afterAll(() => authors.network.dispose());

/** Everything an experiment asks of an engine, once. */
async function exercise(engine: Engine) {
  const x0 = Float64Array.from([0.3, -0.7]);
  const target = { output: 0 } as const;
  const oracle = await engine.oracle(target);
  const { values, gradients } = await oracle.evaluate(x0, 1);
  const estimate = await smoothHess(oracle, x0, { covariance: { variance: 0.1 }, samples: 512, seed: 1, kernel: engine.kernel });
  const softplus = await engine.surrogateHessian({ name: "softplus", beta: 10 }, x0, target);
  const swishGradient = await engine.surrogateGradient({ name: "swish", beta: 10 }, x0, target);
  const balls = await perturbationBalls(await engine.valueOracle(target), x0, { balls: [{ radius: 0.5, seed: 2 }], samples: 64, kernel: engine.quadraticFormKernel });
  const [[score]] = await balls.scoreMany([{ gradient: softplus.gradient, hessian: softplus.hessian }]);
  await balls.dispose();
  return { value: values[0], gradient: Array.from(gradients), hessian: Array.from(estimate.hessian), softplus: Array.from(softplus.hessian), swishGradient: Array.from(swishGradient), score: score.mean };
}

describe("openEngine", () => {
  it("onnx and tfjs answer the same questions with the same numbers (float32 tolerance), on the authors' Four Quadrant MLP", async () => {
    const answers = [];
    for (const name of ENGINE_NAMES) {
      const engine = await openEngine(name, { network: authors.network, onnx: authors.onnx });
      try {
        expect(engine.name).toBe(name);
        answers.push(await exercise(engine));
      } finally {
        await engine.dispose();
      }
    }
    const [onnx, tfjs] = answers;
    const close = (a: number[], b: number[], scale: number) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-4 * scale));
    const scaleOf = (a: number[]) => Math.max(...a.map(Math.abs), 1e-12);
    expect(Math.abs(onnx.value - tfjs.value)).toBeLessThan(1e-5 * Math.abs(tfjs.value));
    close(onnx.gradient, tfjs.gradient, scaleOf(tfjs.gradient));
    close(onnx.hessian, tfjs.hessian, scaleOf(tfjs.hessian)); // same draws: only float32 gradients differ
    close(onnx.softplus, tfjs.softplus, scaleOf(tfjs.softplus));
    close(onnx.swishGradient, tfjs.swishGradient, scaleOf(tfjs.swishGradient));
    expect(Math.abs(onnx.score - tfjs.score)).toBeLessThan(1e-3 * tfjs.score);
  }, 120_000);

  it("without ONNX bytes the onnx engine exports the tfjs network (networkToOnnx): hidden-unit targets read the same pre-activation", async () => {
    const x0 = Float64Array.from([0.4, 1.1]);
    const answers = [];
    for (const name of ENGINE_NAMES) {
      const engine = await openEngine(name, { network: authors.network });
      try {
        const results = [];
        for (const target of [{ layer: 5, unit: 7 }, { layer: 2, unit: 0 }, { output: 0 }] as const) {
          const { values, gradients } = await (await engine.oracle(target)).evaluate(x0, 1);
          results.push([values[0], ...gradients]);
        }
        answers.push(results.flat());
      } finally {
        await engine.dispose();
      }
    }
    const [onnx, tfjs] = answers;
    const scale = Math.max(...tfjs.map(Math.abs));
    onnx.forEach((v, i) => expect(Math.abs(v - tfjs[i])).toBeLessThan(1e-5 * scale));
  }, 120_000);

  it.each(ENGINE_NAMES)("%s: dispose() releases every session and tensor it created", async (name) => {
    const tensors = tf.memory().numTensors;
    const sessions = liveSessionCount();
    const engine = await openEngine(name, { network: authors.network, onnx: authors.onnx });
    await exercise(engine);
    await exercise(engine); // cached oracles are reused, not re-created
    await engine.dispose();
    expect(liveSessionCount()).toBe(sessions);
    expect(tf.memory().numTensors).toBe(tensors);
  }, 120_000);
});
