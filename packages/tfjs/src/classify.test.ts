import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { useBackend } from "./backend.js";
import { classesAndProbability, classifierAccuracy, predictedClasses } from "./classify.js";
import { mlp } from "./mlp.js";
import type { Network } from "./network.js";
import { randomPoints } from "./test-helpers.js";

let net: Network;
beforeAll(async () => {
  await useBackend("cpu");
  net = mlp({ sizes: [4, 12, 5], seed: 3 });
});

/** Logits of one point, the brute-force reference. */
function logitsAt(x: Float32Array): Float32Array {
  return tf.tidy(() => net.forward(tf.tensor2d(x, [1, 4])).output.dataSync() as Float32Array);
}

describe("predictedClasses / classifierAccuracy / classesAndProbability", () => {
  const n = 23;
  const points = randomPoints(6, n, 4, -3, 3);

  it("give the arg-max and the SoftMax probability of one point at a time, in any batch size and input type", () => {
    const expectedClasses: number[] = [];
    const expectedProbability: number[] = [];
    for (let i = 0; i < n; i++) {
      const z = logitsAt(points.subarray(i * 4, (i + 1) * 4));
      const top = z.indexOf(Math.max(...z));
      expectedClasses.push(top);
      const sum = z.reduce((a, v) => a + Math.exp(v - z[top]), 0);
      expectedProbability.push(Math.exp(z[2] - z[top]) / sum);
    }
    expect(new Set(expectedClasses).size).toBeGreaterThan(1); // the check sees more than one class
    for (const batch of [1, 5, 2048]) expect([...predictedClasses(net, points, n, batch)]).toEqual(expectedClasses);
    expect([...predictedClasses(net, Array.from(points), n, 7)]).toEqual(expectedClasses);
    const { classes, probability } = classesAndProbability(net, Float64Array.from(points), n, 2);
    expect([...classes]).toEqual(expectedClasses);
    for (let i = 0; i < n; i++) expect(probability[i]).toBeCloseTo(expectedProbability[i], 6);
    const labels = expectedClasses.map((c, i) => (i % 3 === 0 ? (c + 1) % 5 : c)); // 8 of 23 wrong
    expect(classifierAccuracy(net, { x: points, y: labels, n }, 4)).toBeCloseTo(15 / 23, 12);
  });

  it("leave no tensors behind and refuse bad input, naming it", () => {
    const before = tf.memory().numTensors;
    predictedClasses(net, points, n, 4);
    classesAndProbability(net, points, n, 0);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => classesAndProbability(net, points, n, 5)).toThrow(InvalidArgumentError);
    expect(() => predictedClasses(net, points, n + 1)).toThrow(/points/);
    expect(() => predictedClasses(net, points, 0)).toThrow(/\bn\b/);
  });
});
