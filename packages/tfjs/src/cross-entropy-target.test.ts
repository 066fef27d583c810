import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError } from "@smoothhess/errors";
import { type DenseNetwork, networkOracle, softplus } from "@smoothhess/oracle";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";
import { resnet18 } from "./resnet18.js";
import { predictedClass } from "./target.js";
import { ORACLE_TEST_ACTIVATIONS, randomPoints, referenceOf, worstRatio } from "./test-helpers.js";
import { tfjsOracle } from "./tfjs-oracle.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/**
 * Float32 tolerance of the tfjs-vs-float64 (and fast-vs-autograd) comparisons here: `|a − b| ≤ 1e-6 + 1e-5·max|b|`
 * (worstRatio ≤ 1), about 100 float32 ulps of the largest entry, the same bound as the other oracle tests.
 */
const ATOL = 1e-6;
const RTOL = 1e-5;

/** `logsumexp(z) − z_y` of the reference network's logits at `x`, straight from `forward` (max-shifted), float64. */
function exactCrossEntropy(net: DenseNetwork, x: ArrayLike<number>, y: number): number {
  const pre = net.forward(x);
  const z = pre[pre.length - 1];
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  return max + Math.log(sum) - z[y];
}

/** Multiply the last dense layer of a tfjs MLP (kernel and bias) by `factor`, in place. */
function scaleLogits(net: Network, factor: number): void {
  let last = 0;
  while (net.weights.has(`dense${last + 1}/kernel`)) last++;
  for (const name of [`dense${last}/kernel`, `dense${last}/bias`]) {
    const v = net.weights.get(name) as tf.Variable;
    tf.tidy(() => v.assign(tf.mul(v, factor)));
  }
}

const activations = ORACLE_TEST_ACTIVATIONS;

describe("tfjsOracle { crossEntropy: y } against the float64 networkOracle on the same weights", () => {
  it.each(activations)("%s: values and gradients of both engines, every label, 40 points (float32 tolerance)", async (_, activation) => {
    const net = mlp({ sizes: [6, 12, 10, 4], seed: 3 });
    const reference = referenceOf(net, activation);
    const n = 40;
    const x = randomPoints(5, n, 6, -2, 2);
    for (let y = 0; y < 4; y++) {
      const want = networkOracle(reference, { crossEntropy: y }).evaluate(Float64Array.from(x), n);
      for (const engine of ["fast", "autograd"] as const) {
        const oracle = tfjsOracle(net, { crossEntropy: y }, { activation, engine, workers: 0 });
        expect(oracle.target).toEqual({ kind: "crossEntropy", classIndex: y });
        const got = await oracle.evaluate(x, n);
        const what = `${engine} y=${y}`;
        expect(worstRatio(got.values, want.values, ATOL, RTOL), what).toBeLessThanOrEqual(1);
        expect(worstRatio(got.gradients, want.gradients, ATOL, RTOL), what).toBeLessThanOrEqual(1);
        await oracle.dispose();
      }
    }
    net.dispose();
  });

  it("the gradient equals central differences of the exact float64 loss", async () => {
    const net = mlp({ sizes: [6, 12, 10, 4], seed: 4 });
    for (const [, activation] of activations) {
      const reference = referenceOf(net, activation);
      const x0 = randomPoints(8, 1, 6, -1, 1);
      const x64 = Float64Array.from(x0);
      for (const y of [0, 3]) {
        const h = 1e-6;
        const fd = new Float64Array(6);
        for (let i = 0; i < 6; i++) {
          const up = Float64Array.from(x64), down = Float64Array.from(x64);
          up[i] += h;
          down[i] -= h;
          fd[i] = (exactCrossEntropy(reference, up, y) - exactCrossEntropy(reference, down, y)) / (2 * h);
        }
        for (const engine of ["fast", "autograd"] as const) {
          const oracle = tfjsOracle(net, { crossEntropy: y }, { activation, engine, workers: 0 });
          const { values, gradients } = await oracle.evaluate(x0, 1);
          const what = `${activation.name} ${engine} y=${y}`;
          expect(worstRatio(values, [exactCrossEntropy(reference, x64, y)], ATOL, RTOL), what).toBeLessThanOrEqual(1);
          expect(worstRatio(gradients, fd, ATOL, RTOL), what).toBeLessThanOrEqual(1);
          await oracle.dispose();
        }
      }
    }
    net.dispose();
  });

  it("a confident prediction (p_y = 1 in float32) keeps its tiny loss and its gradient to float32 relative precision", async () => {
    const net = mlp({ sizes: [6, 12, 10, 3], seed: 6 });
    const x0 = randomPoints(9, 1, 6, -1, 1);
    const y = predictedClass(net, x0);
    // margins of ~25 to every other class: 1 − p_y ≈ e^-25 ≈ 1e-11, below float32's rounding of 1
    const logits = tf.tidy(() => net.forward(tf.tensor2d(x0, [1, 6])).output.dataSync());
    const margin = Math.min(...Array.from(logits).filter((_, j) => j !== y).map((v) => logits[y] - v));
    scaleLogits(net, 25 / margin);
    const py = tf.tidy(() => tf.softmax(net.forward(tf.tensor2d(x0, [1, 6])).output).dataSync()[y]);
    expect(py).toBe(1); // where tf.softmax(z) − e_y would seed the label's row with 0
    const reference = referenceOf(net);
    const want = networkOracle(reference, { crossEntropy: y }).evaluate(Float64Array.from(x0), 1);
    expect(want.values[0]).toBeGreaterThan(0);
    expect(want.values[0]).toBeLessThan(1e-9);
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, { crossEntropy: y }, { engine, workers: 0 });
      const got = await oracle.evaluate(x0, 1);
      expect(Math.abs(got.values[0] - want.values[0]) / want.values[0], engine).toBeLessThan(1e-4);
      // relative to the gradient's own (tiny) size: ATOL is scaled away
      const scale = Math.max(...Array.from(want.gradients, Math.abs));
      expect(worstRatio(got.gradients, want.gradients, 0, 1e-4), engine).toBeLessThanOrEqual(1);
      expect(scale).toBeGreaterThan(0);
      await oracle.dispose();
    }
    net.dispose();
  });

  it("a hopeless label (margin ~400) stays finite: loss ≈ the margin", async () => {
    const net = mlp({ sizes: [6, 12, 10, 3], seed: 6 });
    const x0 = randomPoints(9, 1, 6, -1, 1);
    scaleLogits(net, 200);
    const reference = referenceOf(net);
    const z = reference.forward(Float64Array.from(x0))[2];
    const y = z.indexOf(Math.min(...z));
    const want = networkOracle(reference, { crossEntropy: y }).evaluate(Float64Array.from(x0), 1);
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, { crossEntropy: y }, { engine, workers: 0 });
      const got = await oracle.evaluate(x0, 1);
      expect(worstRatio(got.values, want.values, ATOL, RTOL), engine).toBeLessThanOrEqual(1);
      expect(worstRatio(got.gradients, want.gradients, ATOL, RTOL), engine).toBeLessThanOrEqual(1);
      await oracle.dispose();
    }
    net.dispose();
  });
});

describe("tfjsOracle { crossEntropy: y }: convnets, worker threads, predicted label", () => {
  it("ResNet-18 and the 1-D CNN: the fast engine equals tf.grad (float32 tolerance)", async () => {
    const nets = [
      resnet18({ inputShape: [7, 9, 3], width: 3, blocks: [1, 1, 1, 1], classes: 4, seed: 8 }),
      cnn1d({ length: 20, blocks: 3, channels: 4, kernel: 4, outputs: 3, seed: 9 }),
    ];
    for (const net of nets) {
      for (const b of net.buffers.values()) tf.tidy(() => b.assign(tf.add(b, tf.randomUniform(b.shape, 0.1, 0.5, "float32", 3))));
      const n = 5;
      const x = randomPoints(6, n, net.inputSize, 0, 1);
      for (const activation of [undefined, softplus(10)]) {
        for (const y of [0, net.outputSize - 1]) {
          const fast = tfjsOracle(net, { crossEntropy: y }, { activation, engine: "fast", workers: 0 });
          const slow = tfjsOracle(net, { crossEntropy: y }, { activation, engine: "autograd" });
          const a = await fast.evaluate(x, n);
          const b = await slow.evaluate(x, n);
          const what = `${net.architecture} y=${y} ${activation?.name ?? "relu"}`;
          expect(worstRatio(a.values, b.values, ATOL, RTOL), what).toBeLessThanOrEqual(1);
          expect(worstRatio(a.gradients, b.gradients, ATOL, RTOL), what).toBeLessThanOrEqual(1);
          await fast.dispose();
          await slow.dispose();
        }
      }
      net.dispose();
    }
  });

  it("worker threads (the bundled worker module) give the calling thread's numbers", async () => {
    const net = mlp({ sizes: [20, 32, 16, 5], seed: 9 });
    const n = 64;
    const x = randomPoints(2, n, 20);
    const pooled = tfjsOracle(net, { crossEntropy: 2 }, { workers: 2, parallelThreshold: 16 });
    const local = tfjsOracle(net, { crossEntropy: 2 }, { workers: 0 });
    const a = await pooled.evaluate(x, n);
    const b = await local.evaluate(x, n);
    expect(worstRatio(a.values, b.values, ATOL, RTOL)).toBeLessThanOrEqual(1);
    expect(worstRatio(a.gradients, b.gradients, ATOL, RTOL)).toBeLessThanOrEqual(1);
    await pooled.dispose();
    await local.dispose();
    net.dispose();
  });

  it('{ crossEntropy: "predicted", at: x0 } fixes the label the ReLU network predicts at x0', async () => {
    const net = mlp({ sizes: [4, 6, 3], seed: 1 });
    const x0 = randomPoints(3, 1, 4);
    const oracle = tfjsOracle(net, { crossEntropy: "predicted", at: x0 }, { activation: softplus(2), workers: 0 });
    expect(oracle.target).toEqual({ kind: "crossEntropy", classIndex: predictedClass(net, x0) });
    await oracle.dispose();
    net.dispose();
  });
});

describe("tfjsOracle { crossEntropy: y }: typed errors and resources", () => {
  it("rejects a label that is not an integer in [0, outputSize), naming target.crossEntropy", () => {
    const net = mlp({ sizes: [4, 6, 3], seed: 1 });
    expect(() => tfjsOracle(net, { crossEntropy: 3 })).toThrowError("target.crossEntropy: expected an integer in [0, 2], received 3");
    for (const label of [-1, 1.5, Number.NaN, "2", null]) {
      expect(() => tfjsOracle(net, { crossEntropy: label as number })).toThrow(InvalidArgumentError);
      expect(() => tfjsOracle(net, { crossEntropy: label as number })).toThrowError(/^target\.crossEntropy: expected an integer in \[0, 2\]/);
    }
    expect(() => tfjsOracle(net, { crossEntropy: "predicted" })).toThrowError(/target\.at: expected the point x0/);
    net.dispose();
  });

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
        const oracle = tfjsOracle(net, { crossEntropy: 1 }, { engine, workers: 0 });
        await oracle.evaluate(x, 3);
        await oracle.evaluate(x, 3);
        await oracle.dispose();
        expect(tf.memory().numTensors, `${net.architecture} ${engine}`).toBe(before);
      }
      net.dispose();
    }
  });
});
