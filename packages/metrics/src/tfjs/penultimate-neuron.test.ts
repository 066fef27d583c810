import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import { mlp, useBackend, type Network } from "@smoothhess/tfjs";
import { penultimateNeuron } from "./penultimate-neuron.js";

const d = 6;
const n = 300;
let network: Network;

beforeAll(async () => {
  await useBackend("cpu");
  network = mlp({ sizes: [d, 12, 9, 3], seed: 4 });
});
const x = new Float32Array(n * d);
gaussianSampler(2).fillNormal(x);
const y = Int32Array.from({ length: n }, (_, i) => i % 3);
const data = { x, y, n, d };

/** The brute-force answer: one example at a time, ReLU of the last hidden layer's pre-activations, summed. */
function meanActivations(classIndex: number): Float64Array {
  const sums = new Float64Array(9);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== classIndex) continue;
    count++;
    const z = tf.tidy(() => tf.relu(network.forward(tf.tensor2d(x.subarray(i * d, (i + 1) * d), [1, d]), { capture: true }).preActivations[1]).dataSync());
    for (let u = 0; u < 9; u++) sums[u] += z[u];
  }
  return sums.map((s) => s / count);
}

describe("penultimateNeuron", () => {
  it.each([0, 1, 2])("picks the unit of the last hidden layer with the largest mean ReLU activation on class %i", (classIndex) => {
    const expected = meanActivations(classIndex);
    let best = 0;
    for (let u = 1; u < expected.length; u++) if (expected[u] > expected[best]) best = u;
    const chosen = penultimateNeuron(network, data, classIndex, 17); // a batch that does not divide the class
    expect(chosen).toMatchObject({ layer: 2, unit: best, classIndex, examples: n / 3 });
    expect(chosen.meanActivation).toBeCloseTo(expected[best], 5);
  });

  it("leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    penultimateNeuron(network, data, 1, 64);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a class without examples, naming classIndex", () => {
    expect(() => penultimateNeuron(network, data, 7)).toThrow(InvalidArgumentError);
    expect(() => penultimateNeuron(network, data, 7)).toThrow(/classIndex/);
  });
});
