import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import { eluClassifier, eluClassifierProbabilities, eluProbabilityOracle, trainEluClassifier } from "./elu-classifier.js";

describe("eluClassifier", () => {
  it("probability gradients match central differences", () => {
    const net = eluClassifier([3, 10, 10, 2], 4);
    const oracle = eluProbabilityOracle(net, 1);
    const x = new Float64Array([0.3, -0.8, 0.5]);
    const { values, gradients } = oracle.evaluate(x, 1);
    expect(values[0]).toBeCloseTo(eluClassifierProbabilities(net, x)[1], 14);
    const h = 1e-6;
    for (let i = 0; i < 3; i++) {
      const up = Float64Array.from(x), down = Float64Array.from(x);
      up[i] += h;
      down[i] -= h;
      const fd = (eluClassifierProbabilities(net, up)[1] - eluClassifierProbabilities(net, down)[1]) / (2 * h);
      expect(Math.abs(gradients[i] - fd)).toBeLessThan(1e-8);
    }
  });

  it("Adam on the cross-entropy learns two Gaussian clusters to near the Bayes accuracy", () => {
    const rng = gaussianSampler(1);
    const n = 800, x = new Float64Array(2 * n), y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.uniform() < 0.5 ? 0 : 1;
      const mu = y[i] ? 1 : -1;
      x[2 * i] = mu + rng.normal();
      x[2 * i + 1] = mu + rng.normal();
    }
    const net = eluClassifier([2, 10, 10, 2], 0);
    const losses = trainEluClassifier(net, x, y, { epochs: 15, seed: 2 });
    expect(losses[14]).toBeLessThan(losses[0]);
    let right = 0;
    for (let i = 0; i < n; i++) {
      const p = eluClassifierProbabilities(net, x.subarray(2 * i, 2 * i + 2));
      if ((p[1] > 0.5 ? 1 : 0) === y[i]) right++;
    }
    // Bayes accuracy 1 − Φ(−√2) = 92.1 %
    expect(right / n).toBeGreaterThan(0.88);
  });

  it("rejects bad labels, shapes and targets", () => {
    const net = eluClassifier([2, 3, 2]);
    expect(() => trainEluClassifier(net, [0, 0], [2], { epochs: 1 })).toThrow(/y\[0\]/);
    expect(() => trainEluClassifier(net, [0, 0, 1], [0], { epochs: 1 })).toThrow(/x: expected 1×2/);
    expect(() => eluProbabilityOracle(net, 2)).toThrow(InvalidArgumentError);
    expect(() => eluClassifier([2])).toThrow(InvalidArgumentError);
  });
});
