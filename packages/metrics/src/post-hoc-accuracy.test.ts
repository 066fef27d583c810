import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { firstOrderAttack, networkClassifier, postHocAccuracy, randomAttack, secondOrderAttack, type Classifier } from "./index.js";
import { logitsJacobian, softmaxProbabilityHessian } from "./test-support.js";

/** Classifies by the sign of the first coordinate: class 1 when x₀ > 0. */
const bySign: Classifier = (points, n) => Int32Array.from({ length: n }, (_, i) => (points[i * 2] > 0 ? 1 : 0));

describe("postHocAccuracy (paper Sec. 5.1)", () => {
  it("counts the points whose arg-max class is unchanged", async () => {
    const points = [[1, 0], [2, 5], [-1, 3], [0.5, 0.5]];
    const attacked = [[-1, 0], [2, 4], [-3, 3], [-0.1, 0.5]];
    const result = await postHocAccuracy(bySign, points, attacked);
    expect(result.accuracy).toBe(0.5);
    expect(Array.from(result.unchanged)).toEqual([0, 1, 1, 0]);
    expect(Array.from(result.originalClasses)).toEqual([1, 1, 0, 1]);
    expect(Array.from(result.attackedClasses)).toEqual([0, 1, 0, 0]);
    expect(result.standardError).toBeCloseTo(Math.sqrt(0.25 / 4), 15);
    expect(result.count).toBe(4);
  });

  it("does not depend on the batch size and accepts an asynchronous classifier", async () => {
    const rng = gaussianSampler(2);
    const points = Array.from({ length: 23 }, () => rng.fillNormal(new Float64Array(2)));
    const attacked = points.map((p) => p.map((v) => v - 0.4));
    const asyncSign: Classifier = async (p, n) => bySign(p, n);
    const a = await postHocAccuracy(bySign, points, attacked, { batchSize: 4 });
    const b = await postHocAccuracy(asyncSign, points, attacked);
    expect(Array.from(a.unchanged)).toEqual(Array.from(b.unchanged));
    const truth = points.filter((p, i) => p[0] > 0 === attacked[i][0] > 0).length / points.length;
    expect(a.accuracy).toBe(truth);
  });

  it("networkClassifier takes the arg-max of a reference network's logits", async () => {
    const net = randomDenseNetwork([3, 8, 4], { seed: 1 });
    const x = Float64Array.of(0.3, -0.2, 0.9);
    const logits = net.forward(x)[1];
    const classes = await networkClassifier(net)(x, 1);
    expect(classes[0]).toBe(logits.indexOf(Math.max(...logits)));
  });

  it("rejects mismatched lists and misbehaving classifiers with typed errors", async () => {
    await expect(postHocAccuracy(bySign, [[1, 0]], [])).rejects.toThrowError(DimensionMismatchError);
    await expect(postHocAccuracy(bySign, [], [])).rejects.toThrowError(/points: expected a non-empty array/);
    await expect(postHocAccuracy(bySign, [[1, 0]], [[1, 0, 0]])).rejects.toThrowError("attacked[0]: expected length 2 (the length of points[0]), received length 3");
    await expect(postHocAccuracy(bySign, [[1, Number.NaN]], [[1, 0]])).rejects.toThrowError(/points\[0\]/);
    await expect(postHocAccuracy(() => [0.5], [[1, 0]], [[1, 0]])).rejects.toThrowError(/model: expected a classifier returning non-negative integer class indices/);
    await expect(postHocAccuracy(() => [], [[1, 0]], [[1, 0]])).rejects.toThrowError(/model: expected a classifier returning 1 class indices/);
    await expect(postHocAccuracy("net" as never, [[1, 0]], [[1, 0]])).rejects.toThrowError(InvalidArgumentError);
  });
});

describe("attacks on the predicted-class SoftMax probability of a ReLU network", () => {
  it("the softmax-probability Hessian used below matches finite differences of exact gradients", () => {
    const net = randomDenseNetwork([5, 10, 3], { seed: 9 });
    const x = Float64Array.of(0.2, -0.4, 0.1, 0.7, -0.3);
    const oracle = networkOracle(net, { softmax: 1 });
    const h = softmaxProbabilityHessian(net, x, 1);
    const step = 1e-6;
    for (let j = 0; j < 5; j++) {
      const plus = Float64Array.from(x), minus = Float64Array.from(x);
      plus[j] += step;
      minus[j] -= step;
      const gp = oracle.evaluate(plus, 1).gradients, gm = oracle.evaluate(minus, 1).gradients;
      for (let i = 0; i < 5; i++) expect(Math.abs((gp[i] - gm[i]) / (2 * step) - h[i * 5 + j])).toBeLessThan(1e-7);
    }
    // and W is the logits' Jacobian: the change of the logits along a small step is Wᵀδ
    const { w, logits } = logitsJacobian(net, x);
    const delta = Float64Array.of(1e-7, -2e-7, 0, 3e-7, 1e-7);
    const moved = net.forward(x.map((v, j) => v + delta[j]))[1];
    for (let k = 0; k < 3; k++) {
      let predicted = 0;
      for (let i = 0; i < 5; i++) predicted += w[i * 3 + k] * delta[i];
      expect(moved[k] - logits[k]).toBeCloseTo(predicted, 12);
    }
  });

  it("first- and second-order Taylor attacks flip far more predictions than random directions of the same size", async () => {
    const d = 8, n = 80, eps = 0.5;
    const net = randomDenseNetwork([d, 16, 16, 4], { seed: 3 });
    const rng = gaussianSampler(5);
    const classify = networkClassifier(net);
    const points = Array.from({ length: n }, () => rng.fillNormal(new Float64Array(d)));
    const classes = await classify(Float64Array.from(points.flatMap((p) => Array.from(p))), n);
    const first: Float64Array[] = [], second: Float64Array[] = [], random: Float64Array[] = [];
    points.forEach((x0, i) => {
      const oracle = networkOracle(net, { softmax: classes[i] });
      const gradient = oracle.evaluate(x0, 1).gradients;
      const hessian = softmaxProbabilityHessian(net, x0, classes[i]);
      first.push(firstOrderAttack({ x0, gradient, radius: eps }).point);
      second.push(secondOrderAttack({ x0, gradient, hessian, radius: eps }).point);
      random.push(randomAttack({ x0, radius: eps, seed: i }).point);
    });
    const [a1, a2, ar] = await Promise.all([first, second, random].map((attacked) => postHocAccuracy(classify, points, attacked)));
    expect(ar.accuracy).toBeGreaterThan(0.85);
    expect(a1.accuracy).toBeLessThan(ar.accuracy - 4 * Math.hypot(a1.standardError, ar.standardError));
    expect(a2.accuracy).toBeLessThan(ar.accuracy - 4 * Math.hypot(a2.standardError, ar.standardError));
  });
});
