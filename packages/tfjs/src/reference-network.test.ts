import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle } from "@smoothhess/oracle";
import { useBackend } from "./backend.js";
import { cnn1d } from "./cnn1d.js";
import { mlp } from "./mlp.js";
import { meanSquaredError } from "./mean-squared-error.js";
import { referenceFromTfjsMlp } from "./reference-network.js";
import { randomPoints } from "./test-helpers.js";
import { tfjsOracle } from "./tfjs-oracle.js";

beforeAll(async () => {
  await useBackend("cpu");
});

describe("referenceFromTfjsMlp", () => {
  it("computes the tfjs MLP's outputs and gradients in float64 (same weights, transposed)", async () => {
    const net = mlp({ sizes: [4, 10, 7, 3], seed: 2 });
    const n = 9;
    const points = Float64Array.from(randomPoints(5, n, 4));
    const reference = referenceFromTfjsMlp(net);
    for (const output of [0, 2]) {
      const expected = tfjsOracle(net, { output }, { engine: "autograd" });
      const want = await expected.evaluate(points, n);
      const got = networkOracle(reference, { output }).evaluate(points, n);
      for (let i = 0; i < n; i++) expect(got.values[i]).toBeCloseTo(want.values[i], 5);
      for (let i = 0; i < n * 4; i++) expect(got.gradients[i]).toBeCloseTo(want.gradients[i], 5);
      await expected.dispose();
    }
    net.dispose();
  });

  it("refuses a convolutional network, naming it", () => {
    const net = cnn1d({ length: 8, blocks: 1, channels: 2, kernel: 3 });
    expect(() => referenceFromTfjsMlp(net)).toThrow(InvalidArgumentError);
    expect(() => referenceFromTfjsMlp(net)).toThrow(/network/);
    net.dispose();
  });
});

describe("meanSquaredError", () => {
  it("is the mean of the squared residuals, whatever the batch size, and leaves no tensors", () => {
    const net = mlp({ sizes: [3, 8, 1], seed: 4 });
    const n = 13;
    const x = randomPoints(6, n, 3);
    const y = randomPoints(7, n, 1);
    const predicted = tf.tidy(() => net.forward(tf.tensor2d(x, [n, 3])).output.dataSync());
    let expected = 0;
    for (let i = 0; i < n; i++) expected += (predicted[i] - y[i]) ** 2 / n;
    const before = tf.memory().numTensors;
    for (const batch of [1, 5, 8192]) expect(meanSquaredError(net, x, y, n, batch)).toBeCloseTo(expected, 6);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
