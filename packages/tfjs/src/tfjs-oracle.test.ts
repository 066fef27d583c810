import * as tf from "@tensorflow/tfjs-core";
import { DimensionMismatchError, DisposedError, InvalidArgumentError } from "@smoothhess/errors";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActivationSpec } from "./activation-ops.js";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";
import { resnet18 } from "./resnet18.js";
import type { TfjsTarget } from "./target.js";
import { predictedClass, resolveTfjsTarget } from "./target.js";
import { centralDifferences, randomPoints, snapshot, worstRatio } from "./test-helpers.js";
import { OracleDisposedError, tfjsOracle } from "./tfjs-oracle.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const softplus10: ActivationSpec = { name: "softplus", beta: 10 };
const swish5: ActivationSpec = { name: "swish", beta: 5 };

function targetsFor(net: Network, x0: Float32Array): TfjsTarget[] {
  const L = net.layerSizes.length;
  return [
    { output: 0 },
    { output: "predicted", at: x0 },
    { softmax: "predicted", at: x0 },
    { layer: 1, unit: 1 },
    { layer: L, unit: net.layerSizes[L - 1] - 1 },
    { fn: (out: tf.Tensor2D) => tf.sum(tf.square(out), 1) },
  ];
}

/**
 * Oracle gradient at x0 vs central differences of the network's own forward pass. Float32 forward values carry
 * ~1e-7 relative error, so with step h the difference quotient is good to ~1e-7·|f|/h; h is small enough that a
 * ReLU kink is crossed only rarely (the check would then fail loudly).
 */
async function expectMatchesFiniteDifferences(net: Network, activation: ActivationSpec | undefined, h: number, tol: number) {
  const x0 = randomPoints(11, 1, net.inputSize, 0, 1);
  for (const target of targetsFor(net, x0)) {
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, target, { activation, engine, workers: 0 });
      const { values, gradients } = await oracle.evaluate(x0, 1);
      const resolved = resolveTfjsTarget(net, target);
      const fd = centralDifferences(net, resolved, x0, h, activation);
      const ratio = worstRatio(gradients, fd, tol, tol);
      expect(ratio, `${net.architecture} ${JSON.stringify(resolved)} ${engine}`).toBeLessThanOrEqual(1);
      expect(Number.isFinite(values[0])).toBe(true);
      await oracle.dispose();
    }
  }
}

describe("oracle gradients equal central finite differences of the forward pass", () => {
  it("MLP, every target kind, ReLU / SoftPlus / Swish / GELU", async () => {
    const net = mlp({ sizes: [6, 12, 10, 8, 4], seed: 3 });
    await expectMatchesFiniteDifferences(net, undefined, 1e-3, 2e-3);
    await expectMatchesFiniteDifferences(net, softplus10, 1e-3, 2e-3);
    await expectMatchesFiniteDifferences(net, swish5, 1e-3, 2e-3);
    await expectMatchesFiniteDifferences(net, { name: "gelu" }, 1e-3, 2e-3);
    net.dispose();
  });

  it("ResNet-18 (narrow, 8×8×3), every target kind", async () => {
    const net = resnet18({ inputShape: [8, 8, 3], width: 2, blocks: [1, 1, 1, 1], classes: 4, seed: 5 });
    // h = 3e-4: with batch norm on an 8×8 image, kinks lie closer than 1e-3 to x0 along some pixels.
    await expectMatchesFiniteDifferences(net, undefined, 3e-4, 5e-3);
    await expectMatchesFiniteDifferences(net, softplus10, 3e-4, 5e-3);
    net.dispose();
  });

  it("1-D spirometry CNN (short), every target kind", async () => {
    const net = cnn1d({ length: 24, blocks: 3, channels: 4, kernel: 5, outputs: 2, seed: 7 });
    await expectMatchesFiniteDifferences(net, undefined, 3e-4, 5e-3);
    await expectMatchesFiniteDifferences(net, swish5, 3e-4, 5e-3);
    net.dispose();
  });
});

describe("fast MLP path", () => {
  let net: Network;
  beforeAll(() => {
    net = mlp({ sizes: [20, 32, 24, 16, 5], seed: 9 });
  });
  const n = 300;
  const x = randomPoints(2, n, 20);
  const targets: TfjsTarget[] = [
    { output: 3 },
    { softmax: 1 },
    { layer: 1, unit: 4 },
    { layer: 3, unit: 15 },
    { fn: (out: tf.Tensor2D) => tf.logSumExp(out, 1) },
  ];

  it("matches tf.grad to float32 tolerance for every target and activation", async () => {
    for (const activation of [undefined, softplus10, swish5, { name: "gelu" } as const]) {
      for (const target of targets) {
        const fast = tfjsOracle(net, target, { activation, engine: "fast", workers: 0 });
        const slow = tfjsOracle(net, target, { activation, engine: "autograd" });
        const a = await fast.evaluate(x, n);
        const b = await slow.evaluate(x, n);
        expect(worstRatio(a.values, b.values, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
        expect(worstRatio(a.gradients, b.gradients, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
        await fast.dispose();
        await slow.dispose();
      }
    }
  });

  it("worker threads give the same numbers as the calling thread", async () => {
    for (const target of targets.slice(0, 4)) {
      const pooled = tfjsOracle(net, target, { workers: 2, parallelThreshold: 16 });
      const local = tfjsOracle(net, target, { workers: 0 });
      const a = await pooled.evaluate(x, n);
      const b = await local.evaluate(x, n);
      expect(worstRatio(a.values, b.values, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      expect(worstRatio(a.gradients, b.gradients, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
      await pooled.dispose();
      await local.dispose();
    }
  });

  it("splits batches larger than maxBatchSize without changing the result", async () => {
    const whole = tfjsOracle(net, { output: 2 }, { workers: 0 });
    const split = tfjsOracle(net, { output: 2 }, { workers: 0, maxBatchSize: 7 });
    const a = await whole.evaluate(x, n);
    const b = await split.evaluate(x, n);
    expect(worstRatio(a.gradients, b.gradients, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
    expect(Array.from(a.values.slice(0, 5))).toEqual(Array.from(b.values.slice(0, 5)));
  });
});

describe("fast convnet path", () => {
  it("matches tf.grad to float32 tolerance: ResNet (odd 7×9 input, stride-2 stages), 1-D CNN (even kernel), one output", async () => {
    const nets = [
      resnet18({ inputShape: [7, 9, 3], width: 3, blocks: [2, 1, 1, 1], classes: 4, seed: 8 }),
      cnn1d({ length: 20, blocks: 3, channels: 4, kernel: 4, outputs: 3, seed: 9 }),
      cnn1d({ length: 12, blocks: 2, channels: 3, kernel: 5, outputs: 1, seed: 10 }), // one regression output
      mlp({ sizes: [6, 5, 1], seed: 11 }),
    ];
    for (const net of nets) {
      // give batch norm non-trivial running statistics
      for (const b of net.buffers.values()) tf.tidy(() => b.assign(tf.add(b, tf.randomUniform(b.shape, 0.1, 0.5, "float32", 3))));
      const n = 5;
      const x = randomPoints(6, n, net.inputSize, 0, 1);
      const L = net.layerSizes.length;
      const K = net.outputSize;
      const targets: TfjsTarget[] = [
        { output: K - 1 },
        { softmax: K - 1 },
        { layer: 1, unit: 3 },
        { layer: Math.min(2, L), unit: 4 },
        { layer: L, unit: net.layerSizes[L - 1] - 2 },
        { fn: (out: tf.Tensor2D) => tf.logSumExp(out, 1) },
      ];
      for (const activation of [undefined, softplus10, swish5]) {
        for (const target of targets) {
          const fast = tfjsOracle(net, target, { activation, engine: "fast" });
          const slow = tfjsOracle(net, target, { activation, engine: "autograd" });
          const a = await fast.evaluate(x, n);
          const b = await slow.evaluate(x, n);
          const what = `${net.architecture} ${JSON.stringify(fast.target)} ${activation?.name ?? "relu"}`;
          expect(worstRatio(a.values, b.values, 1e-6, 1e-5), what).toBeLessThanOrEqual(1);
          expect(worstRatio(a.gradients, b.gradients, 1e-6, 1e-5), what).toBeLessThanOrEqual(1);
          await fast.dispose();
          await slow.dispose();
        }
      }
      net.dispose();
    }
  });
});

describe("worker threads for the convnets", () => {
  it("give the same numbers as the calling thread (ResNet and CNN, logit / softmax / neuron targets)", async () => {
    const nets = [
      resnet18({ inputShape: [8, 8, 3], width: 2, blocks: [1, 1, 1, 1], classes: 3, seed: 12 }),
      cnn1d({ length: 16, blocks: 2, channels: 3, kernel: 4, outputs: 2, seed: 13 }),
    ];
    for (const net of nets) {
      const n = 12;
      const x = randomPoints(14, n, net.inputSize, 0, 1);
      for (const target of [{ output: 1 }, { softmax: 0 }, { layer: 2, unit: 3 }] as TfjsTarget[]) {
        const pooled = tfjsOracle(net, target, { workers: 2, parallelThreshold: 4 });
        const local = tfjsOracle(net, target, { workers: 0 });
        const a = await pooled.evaluate(x, n);
        const b = await local.evaluate(x, n);
        expect(worstRatio(a.values, b.values, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
        expect(worstRatio(a.gradients, b.gradients, 1e-6, 1e-5)).toBeLessThanOrEqual(1);
        await pooled.dispose();
        await local.dispose();
      }
      net.dispose();
    }
  });
});

describe("resources and model state", () => {
  it("leaves no tensors behind (tf.memory().numTensors) for every engine and architecture", async () => {
    const nets = [
      mlp({ sizes: [5, 8, 3], seed: 1 }),
      resnet18({ inputShape: [6, 6, 2], width: 2, blocks: [1, 1, 1, 1], classes: 3 }),
      cnn1d({ length: 10, blocks: 2, channels: 3, kernel: 3, outputs: 2 }),
    ];
    for (const net of nets) {
      const x = randomPoints(4, 3, net.inputSize);
      for (const target of [{ output: 1 }, { softmax: 0 }, { layer: 1, unit: 0 }, { fn: (o: tf.Tensor2D) => tf.sum(o, 1) }] as TfjsTarget[]) {
        for (const engine of ["fast", "autograd"] as const) {
          const before = tf.memory().numTensors;
          const oracle = tfjsOracle(net, target, { engine, workers: 0 });
          await oracle.evaluate(x, 3);
          await oracle.evaluate(x, 3);
          await oracle.dispose();
          expect(tf.memory().numTensors, `${net.architecture} ${engine}`).toBe(before);
        }
      }
      net.dispose();
    }
  });

  it("internal-neuron oracles do not change the model (weights, batch-norm statistics, outputs)", async () => {
    const net = resnet18({ inputShape: [6, 6, 2], width: 2, blocks: [1, 1, 1, 1], classes: 3, seed: 2 });
    const x = randomPoints(5, 4, net.inputSize);
    const before = snapshot(net);
    const outputBefore = tf.tidy(() => net.forward(tf.tensor2d(x, [4, net.inputSize])).output.dataSync());
    for (const engine of ["fast", "autograd"] as const) {
      const oracle = tfjsOracle(net, { layer: 3, unit: 5 }, { engine });
      const first = await oracle.evaluate(x, 4);
      const second = await oracle.evaluate(x, 4);
      expect(Array.from(second.values)).toEqual(Array.from(first.values));
      await oracle.dispose();
    }
    const after = snapshot(net);
    for (const [name, value] of before) expect(Array.from(after.get(name)!), name).toEqual(Array.from(value));
    const outputAfter = tf.tidy(() => net.forward(tf.tensor2d(x, [4, net.inputSize])).output.dataSync());
    expect(Array.from(outputAfter)).toEqual(Array.from(outputBefore));
    net.dispose();
  });
});

describe("typed errors", () => {
  let net: Network;
  beforeAll(() => {
    net = mlp({ sizes: [4, 6, 5, 3], seed: 1 });
  });

  it("class index out of range", () => {
    expect(() => tfjsOracle(net, { output: 3 })).toThrowError(InvalidArgumentError);
    expect(() => tfjsOracle(net, { output: 3 })).toThrowError("target.output: expected an integer in [0, 2], received 3");
    expect(() => tfjsOracle(net, { softmax: -1 })).toThrowError("target.softmax: expected an integer in [0, 2], received -1");
    expect(() => tfjsOracle(net, { output: "predicted" })).toThrowError(/target\.at: expected the point x0/);
    expect(() => tfjsOracle(net, { output: "predicted", at: [1, 2] })).toThrowError(DimensionMismatchError);
  });

  it("a predicted class is the ReLU network's, also for a surrogate oracle", () => {
    // a point where the surrogate's own argmax differs from the ReLU network's (searched over fixed seeds)
    const soft05 = { name: "softplus", beta: 0.5 } as const;
    let x0 = randomPoints(0, 1, 4, -3, 3);
    for (let seed = 1; seed < 400 && predictedClass(net, x0, soft05) === predictedClass(net, x0); seed++) x0 = randomPoints(seed, 1, 4, -3, 3);
    expect(predictedClass(net, x0, soft05)).not.toBe(predictedClass(net, x0));
    const relu = tfjsOracle(net, { output: "predicted", at: x0 }, { workers: 0 });
    const soft = tfjsOracle(net, { output: "predicted", at: x0 }, { workers: 0, activation: { name: "softplus", beta: 0.5 } });
    expect(soft.target).toEqual(relu.target);
    expect(relu.target).toEqual({ kind: "logit", classIndex: predictedClass(net, x0) });
  });

  it("layer / unit out of range", () => {
    expect(() => tfjsOracle(net, { layer: 0, unit: 0 })).toThrowError("target.layer: expected an integer in [1, 2], received 0");
    expect(() => tfjsOracle(net, { layer: 3, unit: 0 })).toThrowError("target.layer: expected an integer in [1, 2], received 3");
    expect(() => tfjsOracle(net, { layer: 2, unit: 5 })).toThrowError("target.unit: expected an integer in [0, 4], received 5");
    expect(() => tfjsOracle(net, {} as TfjsTarget)).toThrowError(/^target: expected/);
  });

  it("input of the wrong shape or type", async () => {
    const oracle = tfjsOracle(net, { output: 0 }, { workers: 0 });
    await expect(oracle.evaluate(new Float32Array(7), 2)).rejects.toThrowError(
      "points: expected length n × dim = 2 × 4 = 8, received length 7",
    );
    await expect(oracle.evaluate(new Float32Array(7), 2)).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(oracle.evaluate([1, 2, 3, 4] as unknown as Float32Array, 1)).rejects.toThrowError(/points: expected a Float32Array/);
    await expect(oracle.evaluate(new Float64Array([1, Number.NaN, 0, 0]), 1)).rejects.toThrowError(/NaN at index 1/);
    await expect(oracle.evaluate(new Float32Array(4), 1.5)).rejects.toThrowError(/^n: expected an integer/);
    const bad = tfjsOracle(net, { fn: (o: tf.Tensor2D) => o }, { engine: "autograd" });
    await expect(bad.evaluate(new Float32Array(8), 2)).rejects.toThrowError(/target\.fn\(output\): expected 2 values/);
    await oracle.dispose();
    const disposed = await oracle.evaluate(new Float32Array(4), 1).catch((error: unknown) => error);
    expect(disposed).toBeInstanceOf(DisposedError);
    expect(disposed).toBeInstanceOf(OracleDisposedError); // the deprecated name is the same class
    expect((disposed as DisposedError).code).toBe("disposed");
    expect((disposed as Error).message).toBe("this tfjs oracle was used after dispose(); create a new one with tfjsOracle()");
  });

  it("bad options", () => {
    const cnn = cnn1d({ length: 8, blocks: 1, channels: 2, kernel: 3 });
    expect(() => tfjsOracle(cnn, { output: 0 }, { engine: "turbo" as "fast" })).toThrowError(/options\.engine/);
    expect(() => tfjsOracle(net, { output: 0 }, { activation: { name: "softplus" } as ActivationSpec })).toThrowError(
      "options.activation.beta: expected a finite number > 0, received undefined",
    );
    expect(() => tfjsOracle(net, { output: 0 }, { activation: { name: "tanh" } as unknown as ActivationSpec })).toThrowError(/options\.activation/);
    cnn.dispose();
  });
});
