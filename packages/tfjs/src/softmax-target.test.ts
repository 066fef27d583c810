import * as tf from "@tensorflow/tfjs-core";
import { type Activation, networkOracle } from "@smoothhess/oracle";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";
import { resnet18 } from "./resnet18.js";
import { ORACLE_TEST_ACTIVATIONS, randomPoints, referenceOf, worstRatio } from "./test-helpers.js";
import { tfjsOracle } from "./tfjs-oracle.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/**
 * Float32 tolerance for ordinary inputs: `|a − b| ≤ 1e-6 + 1e-5·max|b|` (worstRatio ≤ 1), as the other oracle tests.
 */
const ATOL = 1e-6;
const RTOL = 1e-5;

/**
 * Tolerance at margin 20, relative to the (tiny, ~1e-9) gradient's own largest entry and with no absolute part:
 * `|a − b| ≤ 1e-4·max|b|`. The float32 logits near 20 carry ~1e-6 absolute error, so `p_j = e^{z_j − z_k}/D`
 * carries ~1e-6 relative error before the backward pass; 1e-4 leaves room for that and for the backward pass. The
 * textbook seed `p_k(1 − p_k)` misses by the order of max|b| itself here, so the bound separates the two.
 */
const CONFIDENT_RTOL = 1e-4;

/** The output logits of the tfjs network at one point (float32 forward pass). */
function logitsAt(net: Network, x0: Float32Array, activation?: Activation): Float32Array {
  return tf.tidy(() => net.forward(tf.tensor2d(x0, [1, net.inputSize]), { activation }).output.dataSync() as Float32Array);
}

/**
 * Shift the output bias of a tfjs network (MLP `dense{last}/bias`, convnets `fc/bias`) in place so that its logits at
 * `x0` become `logits` (to float32 rounding): a chosen margin at a chosen point, every other weight unchanged.
 */
function shiftLogitsAt(net: Network, x0: Float32Array, logits: readonly number[], activation?: Activation): void {
  let name = "fc/bias";
  if (!net.weights.has(name)) {
    let last = 0;
    while (net.weights.has(`dense${last + 1}/kernel`)) last++;
    name = `dense${last}/bias`;
  }
  const z = logitsAt(net, x0, activation);
  const bias = net.weights.get(name) as tf.Variable;
  tf.tidy(() => bias.assign(tf.add(bias, tf.tensor1d(logits.map((v, j) => v - z[j])))));
}

/** c logits with class k at `margin` above the nearest other class (others at 0, −0.7, −1.9, −0.4, …). */
function logitsWithMargin(c: number, k: number, margin: number): number[] {
  const others = [0, -0.7, -1.9, -0.4, -1.2, -2.5];
  let t = 0;
  return Array.from({ length: c }, (_, j) => (j === k ? margin : others[t++ % others.length]));
}

const activations = ORACLE_TEST_ACTIVATIONS;

describe("tfjsOracle { softmax: k } against the float64 networkOracle on the same weights", () => {
  it.each(activations)("%s: ordinary inputs, both engines, every class, 40 points (float32 tolerance)", async (_, activation) => {
    const net = mlp({ sizes: [6, 12, 10, 4], seed: 3 });
    const reference = referenceOf(net, activation);
    const n = 40;
    const x = randomPoints(5, n, 6, -2, 2);
    for (let k = 0; k < 4; k++) {
      const want = networkOracle(reference, { softmax: k }).evaluate(Float64Array.from(x), n);
      for (const engine of ["fast", "autograd"] as const) {
        const oracle = tfjsOracle(net, { softmax: k }, { activation, engine, workers: 0 });
        const got = await oracle.evaluate(x, n);
        const what = `${engine} k=${k}`;
        expect(worstRatio(got.values, want.values, ATOL, RTOL), what).toBeLessThanOrEqual(1);
        expect(worstRatio(got.gradients, want.gradients, ATOL, RTOL), what).toBeLessThanOrEqual(1);
        await oracle.dispose();
      }
    }
    net.dispose();
  });

  it.each(activations)(
    "%s: margin 20 (p_k = 1 in float32): both engines keep the gradient Σ_{j≠k} p_k p_j (∇z_k − ∇z_j) to 1e-4 of its largest entry",
    async (_, activation) => {
      const net = mlp({ sizes: [6, 12, 10, 4], seed: 6 });
      const x0 = randomPoints(9, 1, 6, -1, 1);
      const k = 2;
      shiftLogitsAt(net, x0, logitsWithMargin(4, k, 20), activation);
      const z = logitsAt(net, x0, activation);
      const pk = tf.tidy(() => tf.softmax(tf.tensor2d(z, [1, 4])).dataSync()[k]);
      expect(pk).toBe(1); // where autodiff of tf.softmax seeds the class's entry with p_k(1 − p_k) = 0
      const want = networkOracle(referenceOf(net, activation), { softmax: k }).evaluate(Float64Array.from(x0), 1);
      expect(1 - want.values[0]).toBeGreaterThan(1e-9); // ~e^-20: p_k < 1 in float64
      const scale = Math.max(...Array.from(want.gradients, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (const engine of ["fast", "autograd"] as const) {
        const oracle = tfjsOracle(net, { softmax: k }, { activation, engine, workers: 0 });
        const got = await oracle.evaluate(x0, 1);
        expect(Math.abs(got.values[0] - want.values[0]), engine).toBeLessThanOrEqual(1e-6);
        expect(worstRatio(got.gradients, want.gradients, 0, CONFIDENT_RTOL), engine).toBeLessThanOrEqual(1);
        await oracle.dispose();
      }
      net.dispose();
    },
  );

  it("margin 400 stays finite: p_k = 1 and a zero gradient in float32 (p_j = e^-400 underflows), no NaN", async () => {
    const net = mlp({ sizes: [6, 12, 10, 4], seed: 6 });
    const x0 = randomPoints(9, 1, 6, -1, 1);
    shiftLogitsAt(net, x0, logitsWithMargin(4, 0, 400));
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, { softmax: 0 }, { engine, workers: 0 });
      const got = await oracle.evaluate(x0, 1);
      expect(got.values[0], engine).toBe(1);
      expect(Array.from(got.gradients, Math.abs), engine).toEqual([0, 0, 0, 0, 0, 0]);
      await oracle.dispose();
    }
    // and the class at the other end (margin −400): p_k = 0, gradient 0
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, { softmax: 2 }, { engine, workers: 0 });
      const got = await oracle.evaluate(x0, 1);
      expect(got.values[0], engine).toBe(0);
      expect(Array.from(got.gradients, Math.abs), engine).toEqual([0, 0, 0, 0, 0, 0]);
      await oracle.dispose();
    }
    net.dispose();
  });
});

describe("tfjsOracle { softmax: k } at margin 20: convnets and worker threads", () => {
  it("ResNet-18 and the 1-D CNN: both engines equal Σ_{j≠k} p_k p_j (∇z_k − ∇z_j) built from the logit oracles", async () => {
    const nets = [
      resnet18({ inputShape: [7, 9, 3], width: 3, blocks: [1, 1, 1, 1], classes: 4, seed: 8 }),
      cnn1d({ length: 20, blocks: 3, channels: 4, kernel: 4, outputs: 3, seed: 9 }),
    ];
    for (const net of nets) {
      const x0 = randomPoints(6, 1, net.inputSize, 0, 1);
      const c = net.outputSize;
      const k = c - 1;
      shiftLogitsAt(net, x0, logitsWithMargin(c, k, 20));
      // the reference: logits and their input gradients (fast logit oracles), p from the float32 logits in float64
      const logit = [];
      for (let j = 0; j < c; j++) {
        const oracle = tfjsOracle(net, { output: j }, { workers: 0 });
        logit.push(await oracle.evaluate(x0, 1));
        await oracle.dispose();
      }
      const z = logit.map((l) => l.values[0]);
      const e = z.map((v, j) => (j === k ? 0 : Math.exp(v - z[k])));
      const denominator = 1 + e.reduce((s, v) => s + v, 0);
      const want = new Float64Array(net.inputSize);
      for (let j = 0; j < c; j++) {
        if (j === k) continue;
        const w = (1 / denominator) * (e[j] / denominator);
        for (let i = 0; i < want.length; i++) want[i] += w * (logit[k].gradients[i] - logit[j].gradients[i]);
      }
      expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0);
      for (const engine of ["fast", "autograd"] as const) {
        const oracle = tfjsOracle(net, { softmax: k }, { engine, workers: 0 });
        const got = await oracle.evaluate(x0, 1);
        const what = `${net.architecture} ${engine}`;
        expect(Math.abs(got.values[0] - 1 / denominator), what).toBeLessThanOrEqual(1e-6);
        expect(worstRatio(got.gradients, want, 0, CONFIDENT_RTOL), what).toBeLessThanOrEqual(1);
        await oracle.dispose();
      }
      net.dispose();
    }
  });

  it("worker threads (the bundled worker module) give the calling thread's numbers and the float64 oracle's", async () => {
    const net = mlp({ sizes: [20, 32, 16, 5], seed: 9 });
    const x0 = randomPoints(2, 1, 20);
    const k = 3;
    shiftLogitsAt(net, x0, logitsWithMargin(5, k, 20));
    // 64 points within ±0.01 of x0: margins stay near 20
    const n = 64;
    const noise = randomPoints(3, n, 20, -0.01, 0.01);
    const x = Float32Array.from(noise, (v, i) => v + x0[i % 20]);
    const want = networkOracle(referenceOf(net), { softmax: k }).evaluate(Float64Array.from(x), n);
    const pooled = tfjsOracle(net, { softmax: k }, { workers: 2, parallelThreshold: 16 });
    const local = tfjsOracle(net, { softmax: k }, { workers: 0 });
    const a = await pooled.evaluate(x, n);
    const b = await local.evaluate(x, n);
    expect(worstRatio(a.values, b.values, ATOL, RTOL)).toBeLessThanOrEqual(1);
    expect(worstRatio(a.gradients, b.gradients, 0, 1e-6)).toBeLessThanOrEqual(1);
    expect(worstRatio(a.gradients, want.gradients, 0, CONFIDENT_RTOL)).toBeLessThanOrEqual(1);
    await pooled.dispose();
    await local.dispose();
    net.dispose();
  });
});

describe("tfjsOracle { softmax: k }: resources", () => {
  it("leaves no tensors behind (tf.memory().numTensors), MLP / ResNet / CNN, both engines", async () => {
    const nets = [
      mlp({ sizes: [5, 8, 3], seed: 1 }),
      resnet18({ inputShape: [6, 6, 2], width: 2, blocks: [1, 1, 1, 1], classes: 3 }),
      cnn1d({ length: 10, blocks: 2, channels: 3, kernel: 3, outputs: 2 }),
    ];
    for (const net of nets) {
      const x = randomPoints(4, 3, net.inputSize);
      for (const engine of ["fast", "autograd"] as const) {
        const before = tf.memory().numTensors;
        const oracle = tfjsOracle(net, { softmax: 1 }, { engine, workers: 0 });
        await oracle.evaluate(x, 3);
        await oracle.evaluate(x, 3);
        await oracle.dispose();
        expect(tf.memory().numTensors, `${net.architecture} ${engine}`).toBe(before);
      }
      net.dispose();
    }
  });
});
