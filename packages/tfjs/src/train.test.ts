import * as tf from "@tensorflow/tfjs-core";
import { AbortedError, DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackendUnavailableError } from "./backend-errors.js";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { learningRateAt } from "./learning-rate-schedule.js";
import { mlp } from "./mlp.js";
import { ModelFileError } from "./model-file-error.js";
import type { Network } from "./network.js";
import { fourQuadrantRecipe } from "./paper-training.js";
import { randomPoints, snapshot } from "./test-helpers.js";
import type { TrainOptions } from "./train.js";
import { trainNetwork } from "./train.js";

let dir: string;
beforeAll(async () => {
  await useBackend("wasm");
  dir = await mkdtemp(join(tmpdir(), "smoothhess-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Four Quadrant target y = K·x₁x₂ with K = 5, 3, 12, −10 in quadrants 1–4 (paper Sec. 5), on a grid. */
function fourQuadrant(spacing: number, half: number): { x: Float32Array; y: Float32Array; n: number } {
  const side = Math.round((2 * half) / spacing) + 1;
  const n = side * side;
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const k = i * side + j;
      const a = -half + i * spacing;
      const b = -half + j * spacing;
      const K = a >= 0 ? (b >= 0 ? 5 : -10) : b >= 0 ? 3 : 12;
      x[2 * k] = a;
      x[2 * k + 1] = b;
      y[k] = K * a * b;
    }
  }
  return { x, y, n };
}

function mse(net: Network, x: Float32Array, y: Float32Array, n: number): number {
  const out = tf.tidy(() => net.forward(tf.tensor2d(x, [n, net.inputSize])).output);
  const p = out.dataSync();
  out.dispose();
  let s = 0;
  for (let i = 0; i < n; i++) s += (p[i] - y[i]) ** 2;
  return s / n;
}

function equalWeights(a: Network, b: Network): boolean {
  const sa = snapshot(a);
  const sb = snapshot(b);
  for (const [name, v] of sa) {
    const w = sb.get(name)!;
    for (let i = 0; i < v.length; i++) if (v[i] !== w[i]) return false;
  }
  return true;
}

describe("trainNetwork", () => {
  it("fits a Four-Quadrant target with a 2-D MLP (RMSProp, step decay) to low MSE, deterministically", async () => {
    const data = fourQuadrant(0.1, 1); // 441 points on [-1, 1]²
    let variance = 0;
    const mean = data.y.reduce((a, b) => a + b, 0) / data.n;
    for (const v of data.y) variance += (v - mean) ** 2;
    variance /= data.n;
    const options: TrainOptions = {
      loss: "mse",
      epochs: 150,
      batchSize: 32,
      seed: 4,
      optimizer: { kind: "rmsprop", learningRate: 3e-3 },
      schedule: { kind: "step", milestones: [1200, 1800], factor: 0.1 },
    };
    const a = mlp({ sizes: [2, 32, 32, 32, 1], seed: 1 });
    const before = mse(a, data.x, data.y, data.n);
    const result = await trainNetwork(a, data, options);
    const after = mse(a, data.x, data.y, data.n);
    expect(result.steps).toBe(150 * 14);
    // Demand 99% of the target's variance explained, and a hundredfold drop from the untrained MSE.
    expect(after).toBeLessThan(0.01 * variance);
    expect(after).toBeLessThan(before / 100);
    const b = mlp({ sizes: [2, 32, 32, 32, 1], seed: 1 });
    await trainNetwork(b, data, { ...options, epochs: 3 });
    const c = mlp({ sizes: [2, 32, 32, 32, 1], seed: 1 });
    await trainNetwork(c, data, { ...options, epochs: 3 });
    expect(equalWeights(b, c)).toBe(true);
    const d = mlp({ sizes: [2, 32, 32, 32, 1], seed: 1 });
    await trainNetwork(d, data, { ...options, epochs: 3, seed: 5 });
    expect(equalWeights(b, d)).toBe(false);
    for (const net of [a, b, c, d]) net.dispose();
  });

  it("one SGD step is p − lr·∇L and one RMSProp step is p − lr·g/(√((1−α)g²)+ε) (closed forms, linear model)", async () => {
    const x = new Float32Array([1, 2, -1, 0.5, 0, 3]);
    const y = new Float32Array([1, -2]);
    for (const kind of ["sgd", "rmsprop"] as const) {
      const net = mlp({ sizes: [3, 1], seed: 2 });
      const w = Float64Array.from(net.weights.get("dense0/kernel")!.dataSync());
      const b = net.weights.get("dense0/bias")!.dataSync()[0];
      // L = mean_i (w·x_i + b − y_i)², ∂L/∂w = (2/n) Σ r_i x_i, ∂L/∂b = (2/n) Σ r_i
      const r = [0, 1].map((i) => w[0] * x[3 * i] + w[1] * x[3 * i + 1] + w[2] * x[3 * i + 2] + b - y[i]);
      const gw = [0, 1, 2].map((j) => r[0] * x[j] + r[1] * x[3 + j]);
      const gb = r[0] + r[1];
      const lr = 0.05;
      await trainNetwork(net, { x, y, n: 2 }, { loss: "mse", epochs: 1, batchSize: 2, seed: 0, optimizer: { kind, learningRate: lr } });
      const step = (g: number) => (kind === "sgd" ? lr * g : (lr * g) / (Math.sqrt(0.01 * g * g) + 1e-8));
      const w1 = net.weights.get("dense0/kernel")!.dataSync();
      for (let j = 0; j < 3; j++) expect(w1[j]).toBeCloseTo(w[j] - step(gw[j]), 5);
      expect(net.weights.get("dense0/bias")!.dataSync()[0]).toBeCloseTo(b - step(gb), 5);
      net.dispose();
    }
  });

  it("checkpoints atomically and resumes an interrupted run to the same weights (batch norm + dropout)", async () => {
    // wasm cannot take filter gradients of convolutions (typed error, tested below); train the CNN on cpu.
    const wasmNet = cnn1d({ length: 8, blocks: 1, channels: 2, kernel: 3 });
    await expect(
      trainNetwork(wasmNet, { x: new Float32Array(8), y: new Float32Array(1), n: 1 }, { loss: "mse", epochs: 1, batchSize: 1, seed: 0, optimizer: { kind: "sgd", learningRate: 0.1 } }),
    ).rejects.toBeInstanceOf(BackendUnavailableError);
    wasmNet.dispose();
    await useBackend("cpu");
    const make = () => cnn1d({ length: 16, blocks: 2, channels: 3, kernel: 3, dropout: 0.25, seed: 3 });
    const n = 40;
    const x = randomPoints(8, n, 16);
    const y = randomPoints(9, n, 1);
    const options: TrainOptions = {
      loss: "mse",
      epochs: 3,
      batchSize: 8,
      seed: 11,
      optimizer: { kind: "sgd", learningRate: 0.05, momentum: 0.9 },
      schedule: { kind: "warmup-cosine", warmupSteps: 4, warmupStart: 0.01, totalSteps: 15, final: 0.001 },
    };
    const straight = make();
    await trainNetwork(straight, { x, y, n }, options);

    const checkpointDir = join(dir, "cnn");
    const interrupted = make();
    const controller = new AbortController();
    const reports: number[] = [];
    await expect(
      trainNetwork(interrupted, { x, y, n }, {
        ...options,
        checkpointDir,
        signal: controller.signal,
        onEpoch: (r) => {
          reports.push(r.epoch);
          if (r.epoch === 1) controller.abort("stop");
        },
      }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(reports).toEqual([1]);
    expect((await readdir(dir)).sort()).toEqual(["cnn"]); // no temp directories left behind
    expect((await readdir(checkpointDir)).sort()).toEqual(["model.json", "weights.bin"]);
    interrupted.dispose();

    const resumed = make(); // a fresh process would start from a fresh network, too
    const result = await trainNetwork(resumed, { x, y, n }, { ...options, checkpointDir, onEpoch: (r) => { reports.push(r.epoch); } });
    expect(result.resumedFromEpoch).toBe(1);
    expect(reports).toEqual([1, 2, 3]);
    expect(equalWeights(straight, resumed)).toBe(true);
    // batch-norm running statistics moved away from their initial values
    expect(Array.from(resumed.buffers.get("block0/bn/mean")!.dataSync()).some((v) => v !== 0)).toBe(true);

    const other = mlp({ sizes: [16, 1] });
    await expect(trainNetwork(other, { x, y, n }, { ...options, checkpointDir })).rejects.toBeInstanceOf(ModelFileError);
    for (const net of [straight, resumed, other]) net.dispose();
    await useBackend("wasm");
  });

  it("rejects bad data and options with typed errors", async () => {
    const net = mlp({ sizes: [2, 3, 2] });
    const base: TrainOptions = { loss: "mse", epochs: 1, batchSize: 2, seed: 0, optimizer: { kind: "sgd", learningRate: 0.1 } };
    await expect(trainNetwork(net, { x: new Float32Array(5), y: new Float32Array(4), n: 2 }, base)).rejects.toThrowError(
      "data.x: expected length n × inputSize = 4, received length 5",
    );
    await expect(trainNetwork(net, { x: new Float32Array(4), y: new Float32Array(3), n: 2 }, base)).rejects.toBeInstanceOf(DimensionMismatchError);
    await expect(
      trainNetwork(net, { x: new Float32Array(4), y: new Int32Array([0, 2]), n: 2 }, { ...base, loss: "cross-entropy" }),
    ).rejects.toThrowError("data.y: expected labels in [0, 1], received 2 at index 1");
    await expect(trainNetwork(net, { x: new Float32Array(4), y: new Float32Array(4), n: 2 }, { ...base, epochs: 0 })).rejects.toThrowError(
      /options\.epochs/,
    );
    await expect(
      trainNetwork(net, { x: new Float32Array(4), y: new Float32Array(4), n: 2 }, { ...base, optimizer: { kind: "adam" } as never }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      trainNetwork(net, { x: new Float32Array(4), y: new Float32Array(4), n: 2 }, { ...base, schedule: { kind: "step", milestones: [5, 3], factor: 0.1 } }),
    ).rejects.toThrowError(/options\.schedule\.milestones\[1\]/);
    net.dispose();
  });

  it("cross-entropy training raises the training accuracy of a small classifier", async () => {
    const n = 200;
    const x = randomPoints(21, n, 2);
    const y = new Int32Array(n).map((_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0)); // XOR-like quadrants
    const net = mlp({ sizes: [2, 16, 16, 2], seed: 3 });
    await trainNetwork(net, { x, y, n }, { loss: "cross-entropy", epochs: 60, batchSize: 20, seed: 1, optimizer: { kind: "sgd", learningRate: 0.1, momentum: 0.9 } });
    const pred = tf.tidy(() => tf.argMax(net.forward(tf.tensor2d(x, [n, 2])).output, 1));
    const p = pred.dataSync();
    pred.dispose();
    let correct = 0;
    for (let i = 0; i < n; i++) if (p[i] === y[i]) correct++;
    expect(correct / n).toBeGreaterThan(0.9);
    net.dispose();
  });
});

describe("learning-rate schedules and paper recipes", () => {
  it("step decay multiplies by the factor at each milestone", () => {
    const s = { kind: "step", milestones: [5000, 10000, 20000], factor: 0.1 } as const;
    expect(learningRateAt(1e-3, s, 4999)).toBe(1e-3);
    expect(learningRateAt(1e-3, s, 5000)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(1e-3, s, 19999)).toBeCloseTo(1e-5, 15);
    expect(learningRateAt(1e-3, s, 20000)).toBeCloseTo(1e-6, 15);
  });

  it("warm-up is linear and the cosine ends at the final rate", () => {
    const s = { kind: "warmup-cosine", warmupSteps: 10, warmupStart: 0.01, totalSteps: 110, final: 1e-5 } as const;
    expect(learningRateAt(0.5, s, 0)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(0.5, s, 5)).toBeCloseTo(0.255, 12);
    expect(learningRateAt(0.5, s, 10)).toBeCloseTo(0.5, 12);
    expect(learningRateAt(0.5, s, 60)).toBeCloseTo((0.5 + 1e-5) / 2, 12);
    expect(learningRateAt(0.5, s, 110)).toBeCloseTo(1e-5, 12);
  });

  it("the Four Quadrant recipe runs the paper's 40,000 iterations", () => {
    const r = fourQuadrantRecipe(251001); // the paper's 0.008-spaced grid on [-2, 2]²
    expect(r.epochs * Math.ceil(251001 / 128)).toBeGreaterThanOrEqual(40000);
    expect((r.epochs - 1) * Math.ceil(251001 / 128)).toBeLessThan(40000);
  });
});
