import { describe, expect, it } from "vitest";
import { networkOracle, randomDenseNetwork, type GradientOracle } from "@smoothhess/oracle";
import { cLime, smoothGrad, smoothHess, zerothOrderSmoothHess } from "./index.js";
import { evaluatedBlocks } from "./evaluated-blocks.js";
import { resolveSteinOptions } from "./stein-options.js";

const network = randomDenseNetwork([6, 10, 1], { seed: 3, biasScale: 0.3 });
const oracle = networkOracle(network);
const x0 = Float64Array.from({ length: 6 }, (_, i) => Math.cos(i));
const bits = (values: ArrayLike<number>) => Array.from(values);

/**
 * The same oracle answering after a pseudo-random delay, as a worker thread does. It copies the points when called
 * and checks, when it answers, that the caller did not touch them in the meantime.
 */
function delayedOracle(events: string[] = []): GradientOracle & { damaged: number } {
  let call = 0;
  const wrapped = {
    dim: oracle.dim,
    damaged: 0,
    evaluate(points: Float32Array | Float64Array, n: number) {
      const k = call++;
      events.push(`call ${k}`);
      const copy = points.slice();
      return new Promise<ReturnType<typeof oracle.evaluate>>((resolve) =>
        setTimeout(() => {
          if (copy.some((v, i) => !Object.is(v, points[i]))) wrapped.damaged++;
          events.push(`answer ${k}`);
          resolve(oracle.evaluate(copy, n));
        }, (k * 7) % 4),
      );
    },
  };
  return wrapped;
}

describe("evaluatedBlocks: the oracle works on block k+1 while the estimator handles block k", () => {
  it("asks for block k+1 before handing block k over, with one call in flight, and draws the same blocks", async () => {
    const options = resolveSteinOptions(oracle, x0, { covariance: { sigma: 0.2 }, samples: 50, batchSize: 8 });
    const events: string[] = [];
    const slow = delayedOracle(events);
    const whites: number[][] = [];
    for await (const { block, answer } of evaluatedBlocks(options, "test", (b) => slow.evaluate(b.points, b.pointCount))) {
      events.push(`handle ${whites.length}`);
      whites.push(bits(block.white));
      expect(answer.values.length).toBe(block.pointCount);
    }
    expect(whites.length).toBe(7); // 25 pairs in blocks of 4 pairs
    for (let k = 0; k < 6; k++) {
      expect(events.indexOf(`call ${k + 1}`)).toBeGreaterThan(events.indexOf(`answer ${k}`));
      expect(events.indexOf(`call ${k + 1}`)).toBeLessThan(events.indexOf(`handle ${k}`));
    }
    expect(slow.damaged).toBe(0);
    // The same perturbations as drawn one block at a time with a synchronous oracle.
    const direct: number[][] = [];
    for await (const { block } of evaluatedBlocks(options, "test", (b) => oracle.evaluate(b.points, b.pointCount))) direct.push(bits(block.white));
    expect(whites).toEqual(direct);
  });

  it("leaves every estimate bit-identical to a synchronous oracle's (smoothHess, smoothGrad, zeroth order, C-LIME)", async () => {
    for (const batchSize of [64, 1024, 1500]) {
      const options = { covariance: { sigma: 0.3 }, samples: 4_000, seed: 5, batchSize };
      const slow = delayedOracle();
      const [a, b] = [await smoothHess(oracle, x0, { ...options, entrywiseError: true }), await smoothHess(slow, x0, { ...options, entrywiseError: true })];
      expect(bits(b.hessian)).toEqual(bits(a.hessian));
      expect(bits(b.gradient)).toEqual(bits(a.gradient));
      expect(b.smoothedValue).toBe(a.smoothedValue);
      expect(bits(b.standardError.hessian!)).toEqual(bits(a.standardError.hessian!));
      expect(bits(b.standardError.gradient)).toEqual(bits(a.standardError.gradient));
      expect(b.standardError.hessianFrobenius).toBe(a.standardError.hessianFrobenius);
      expect(bits((await smoothGrad(slow, x0, options)).gradient)).toEqual(bits((await smoothGrad(oracle, x0, options)).gradient));
      expect(bits((await zerothOrderSmoothHess(slow, x0, options)).hessian)).toEqual(bits((await zerothOrderSmoothHess(oracle, x0, options)).hessian));
      expect(bits((await cLime(slow, x0, options)).coefficients)).toEqual(bits((await cLime(oracle, x0, options)).coefficients));
      expect(slow.damaged).toBe(0);
    }
  });

  it("reports an oracle failure of a block in flight, and stops at an abort with the answered points counted", async () => {
    let calls = 0;
    const failing: GradientOracle = {
      dim: oracle.dim,
      evaluate: (points, n) => (++calls === 3 ? Promise.reject(new Error("third batch failed")) : Promise.resolve(oracle.evaluate(points, n))),
    };
    await expect(smoothHess(failing, x0, { covariance: { sigma: 0.3 }, samples: 1_000, batchSize: 100 })).rejects.toThrowError("third batch failed");
    const controller = new AbortController();
    let asked = 0;
    const counting: GradientOracle = { dim: oracle.dim, evaluate: (points, n) => (asked++, oracle.evaluate(points, n)) };
    const error = await smoothHess(counting, x0, {
      covariance: { sigma: 0.3 },
      samples: 1_000,
      batchSize: 100,
      signal: controller.signal,
      onProgress: (p) => p.completed === 200 && controller.abort("enough"),
    }).catch((e: unknown) => e);
    expect((error as { completed: number }).completed).toBe(200);
    expect(asked).toBe(2); // the abort is seen before the third batch is asked for
  });
});
