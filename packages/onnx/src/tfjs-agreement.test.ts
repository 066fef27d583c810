import * as tf from "@tensorflow/tfjs-core";
import { cnn1d, mlp, resnet18, tfjsOracle, useBackend, type Network, type TfjsTarget } from "@smoothhess/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniformValues } from "./export-test-support.js";
import { networkToOnnx } from "./network-export.js";
import { loadOnnxModel } from "./onnx-model.js";
import { onnxOracle } from "./onnx-oracle.js";
import type { OnnxTarget } from "./target.js";

beforeAll(async () => {
  await useBackend("cpu");
});

/** Seeded weights and batch-norm statistics (variances and scales positive), so no layout error can hide. */
function randomise(network: Network, seed: number): void {
  let s = seed;
  for (const [name, v] of [...network.weights, ...network.buffers]) {
    const positive = name.endsWith("/variance") || name.endsWith("/gamma");
    v.assign(tf.tensor(uniformValues(s++, v.size, positive ? 0.5 : -0.5, positive ? 1.5 : 0.5), v.shape));
  }
}

/** The largest gradient difference relative to the largest tfjs gradient entry, and the values'. */
async function compare(network: Network, target: TfjsTarget & OnnxTarget, x: Float32Array, n: number): Promise<{ gradient: number; value: number }> {
  const reference = tfjsOracle(network, target, { workers: 0 });
  const want = await reference.evaluate(x, n);
  await reference.dispose();
  const model = await loadOnnxModel(networkToOnnx(network));
  const oracle = await onnxOracle(model, { target, threads: 1 });
  const got = await oracle.evaluate(x, n);
  await oracle.dispose();
  let diff = 0, scale = 0, valueDiff = 0, valueScale = 0;
  for (let i = 0; i < want.gradients.length; i++) {
    diff = Math.max(diff, Math.abs(got.gradients[i] - want.gradients[i]));
    scale = Math.max(scale, Math.abs(want.gradients[i]));
  }
  for (let p = 0; p < n; p++) {
    valueDiff = Math.max(valueDiff, Math.abs(got.values[p] - want.values[p]));
    valueScale = Math.max(valueScale, Math.abs(want.values[p]));
  }
  expect(scale).toBeGreaterThan(0);
  return { gradient: diff / scale, value: valueDiff / valueScale };
}

// Both sides compute in float32 with different summation orders.
const TOLERANCE = 1e-4;

describe("onnxOracle equals tfjsOracle on the same weights (networkToOnnx)", () => {
  const networks: Network[] = [];
  afterAll(() => networks.forEach((net) => net.dispose()));

  it("MLP: logit, predicted logit, SoftMax, cross-entropy and a penultimate neuron", async () => {
    const net = mlp({ sizes: [12, 16, 10, 4], seed: 5 });
    networks.push(net);
    const n = 6;
    const x = uniformValues(11, n * 12, -1, 1);
    const targets: (TfjsTarget & OnnxTarget)[] = [
      { output: 2 },
      { output: "predicted", at: x.subarray(0, 12) },
      { softmax: 1 },
      { crossEntropy: 3 },
      { layer: 2, unit: 7 },
    ];
    for (const target of targets) {
      const { gradient, value } = await compare(net, target, x, n);
      expect(gradient).toBeLessThanOrEqual(TOLERANCE);
      expect(value).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it("ResNet-18 (narrow: stride-2 stages, projection shortcuts, batch-norm statistics): logit and SoftMax", async () => {
    const net = resnet18({ inputShape: [8, 6, 3], width: 4, classes: 5, blocks: [1, 2, 1, 1], seed: 1 });
    networks.push(net);
    randomise(net, 20);
    const n = 3;
    const x = uniformValues(7, n * net.inputSize);
    for (const target of [{ output: 4 }, { softmax: 0 }] as const) {
      const { gradient, value } = await compare(net, target, x, n);
      expect(gradient).toBeLessThanOrEqual(TOLERANCE);
      expect(value).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it("1-D CNN ('same' padding, skip connections): both regression outputs", async () => {
    const net = cnn1d({ length: 20, blocks: 3, channels: 4, kernel: 5, outputs: 2, seed: 3 });
    networks.push(net);
    randomise(net, 30);
    const n = 4;
    const x = uniformValues(9, n * 20);
    for (const target of [{ output: 0 }, { output: 1 }] as const) {
      const { gradient, value } = await compare(net, target, x, n);
      expect(gradient).toBeLessThanOrEqual(TOLERANCE);
      expect(value).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

describe("second order on an exported ResNet-18 (residual additions, strided convolutions, batch norm)", () => {
  it("the structured SoftPlus Hessian equals d Hessian-vector products", async () => {
    const net = resnet18({ inputShape: [8, 6, 3], width: 4, classes: 5, blocks: [1, 1, 1, 1], seed: 2 });
    try {
      randomise(net, 40);
      const { onnxSurrogates } = await import("./second-order/onnx-surrogates.js");
      const model = await loadOnnxModel(networkToOnnx(net));
      const x0 = Float64Array.from(uniformValues(3, net.inputSize));
      const hessians: Float64Array[] = [];
      for (const hessianMethod of ["structured", "hvp"] as const) {
        const network = await onnxSurrogates(model, { threads: 1, hessianMethod });
        hessians.push((await network.surrogate({ name: "softplus", beta: 5 }).hessians(x0, 1, { crossEntropy: 2 })).hessians);
        await network.dispose();
      }
      let diff = 0, norm = 0;
      for (let i = 0; i < hessians[0].length; i++) {
        diff = Math.max(diff, Math.abs(hessians[0][i] - hessians[1][i]));
        norm = Math.max(norm, Math.abs(hessians[1][i]));
      }
      expect(norm).toBeGreaterThan(0);
      expect(diff).toBeLessThanOrEqual(1e-4 * norm);
    } finally {
      net.dispose();
    }
  });
});
