import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { gaussianSampler } from "@smoothhess/random";
import {
  covariance,
  denseNetwork,
  gelu,
  networkOracle,
  normalCdf,
  quadraticOracle,
  randomDenseNetwork,
  relu,
  smoothedShallowRelu,
  softplus,
  swish,
  type Activation,
  type DenseNetwork,
  type NetworkTarget,
} from "../index.js";

/** Central finite difference of a scalar function of a vector, per coordinate. */
function finiteDifferenceGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = Float64Array.from(x), xm = Float64Array.from(x);
    xp[i] += h;
    xm[i] -= h;
    g[i] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

describe("activations", () => {
  const cases: Activation[] = [softplus(0.7), softplus(20), swish(1.3), swish(15), gelu()];
  it.each(cases.map((a) => [`${a.name}(${a.beta ?? ""})`, a] as const))("%s: derivatives match finite differences", (_, act) => {
    for (const x of [-3.1, -0.4, 0.05, 0.9, 2.7]) {
      const h = 1e-6;
      expect(act.derivative(x)).toBeCloseTo((act.value(x + h) - act.value(x - h)) / (2 * h), 7);
      expect(act.secondDerivative(x)).toBeCloseTo((act.derivative(x + h) - act.derivative(x - h)) / (2 * h), 6);
    }
  });

  it("softplus is stable for large |βx| and tends to ReLU as β grows", () => {
    expect(softplus(1).value(800)).toBe(800);
    expect(softplus(1).value(-800)).toBe(0);
    for (const x of [-1, -0.1, 0.2, 1.5]) {
      expect(Math.abs(softplus(1e4).value(x) - relu.value(x))).toBeLessThan(1e-4);
      expect(Math.abs(softplus(1e4).derivative(x) - relu.derivative(x))).toBeLessThan(1e-4);
    }
  });

  it("normalCdf matches known values", () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-8)).toBeCloseTo(6.22096057427178e-16, 25);
  });

  it("rejects β ≤ 0", () => {
    expect(() => softplus(0)).toThrowError("beta: expected a finite number > 0, received 0");
    expect(() => swish(-1)).toThrow(InvalidArgumentError);
  });
});

describe("networkOracle", () => {
  const targets: NetworkTarget[] = [{ output: 2 }, { softmax: 1 }, { crossEntropy: 1 }, { layer: 2, unit: 4 }, { layer: 1, unit: 0 }];
  const activations: Activation[] = [relu, softplus(2), swish(1.5), gelu()];
  for (const activation of activations) {
    it.each(targets.map((t) => [JSON.stringify(t), t] as const))(`${activation.name}: %s gradient equals finite differences`, (_, target) => {
      const net = randomDenseNetwork([5, 7, 6, 3], { seed: 4, activation });
      const oracle = networkOracle(net, target);
      const x = gaussianSampler(9).fillNormal(new Float64Array(5));
      const { values, gradients } = oracle.evaluate(x, 1);
      const f = (p: Float64Array) => oracle.evaluate(p, 1).values[0];
      expect(values[0]).toBe(f(x));
      const fd = finiteDifferenceGradient(f, x);
      for (let i = 0; i < 5; i++) expect(gradients[i]).toBeCloseTo(fd[i], 6);
    });
  }

  it("evaluates batches point by point", () => {
    const net = randomDenseNetwork([3, 4, 2], { seed: 1 });
    const oracle = networkOracle(net, { output: 1 });
    const points = gaussianSampler(2).fillNormal(new Float64Array(9));
    const batch = oracle.evaluate(points, 3);
    for (let p = 0; p < 3; p++) {
      const single = oracle.evaluate(points.subarray(3 * p, 3 * p + 3), 1);
      expect(batch.values[p]).toBe(single.values[0]);
      expect(Array.from(batch.gradients.subarray(3 * p, 3 * p + 3))).toEqual(Array.from(single.gradients));
    }
  });

  it("rejects a cross-entropy label that is not an integer in [0, classes), naming target.crossEntropy", () => {
    const net = randomDenseNetwork([3, 4, 2]);
    expect(() => networkOracle(net, { crossEntropy: 2 })).toThrowError("target.crossEntropy: expected an integer in [0, 1], received 2");
    for (const label of [-1, 0.5, Number.NaN, "1", undefined]) {
      expect(() => networkOracle(net, { crossEntropy: label as number })).toThrow(InvalidArgumentError);
      expect(() => networkOracle(net, { crossEntropy: label as number })).toThrowError(/^target\.crossEntropy: expected an integer in \[0, 1\]/);
    }
  });

  it("rejects out-of-range targets and malformed layers", () => {
    const net = randomDenseNetwork([3, 4, 2]);
    expect(() => networkOracle(net, { output: 2 })).toThrowError("target.output: expected an integer in [0, 1], received 2");
    expect(() => networkOracle(net, { layer: 2, unit: 0 })).toThrowError(/target.layer: expected an integer in \[1, 1\]/);
    expect(() => networkOracle(net, { layer: 1, unit: 4 })).toThrowError(/target.unit/);
    expect(() => denseNetwork([{ weights: [1, 2, 3], bias: [0, 0] }])).toThrow(DimensionMismatchError);
    expect(() =>
      denseNetwork([
        { weights: [1, 2, 3, 4], bias: [0, 0] },
        { weights: [1, 2, 3], bias: [0] },
      ]),
    ).toThrowError(/layers\[1\].weights: expected 1×2 = 2 entries/);
    expect(() => net.forward([1, 2])).toThrowError("x: expected length 3, received length 2");
  });

  it("names `points` and `n` when a batch does not fit (not an inner `x`)", () => {
    const oracle = networkOracle(randomDenseNetwork([3, 4, 2]));
    expect(() => oracle.evaluate(new Float64Array(5), 2)).toThrowError("points: expected n·dim = 2·3 = 6 entries, received 5 entries");
    expect(() => oracle.evaluate(new Float64Array(5), 2)).toThrow(DimensionMismatchError);
    expect(() => oracle.evaluate(new Float64Array(6), 1.5)).toThrowError(/^n: expected an integer ≥ 0, received 1\.5$/);
    expect(() => oracle.evaluate([1, 2, 3] as unknown as Float64Array, 1)).toThrowError(/^points: expected a Float64Array or Float32Array/);
    const quadratic = quadraticOracle(2, { hessian: [1, 0, 0, 1] });
    expect(() => quadratic.evaluate(new Float64Array(3), 2)).toThrowError("points: expected n·dim = 2·2 = 4 entries, received 3 entries");
  });
});

/** The cross-entropy `logsumexp(z) − z_y` of a network's logits at `x`, straight from `forward` (max-shifted). */
function exactCrossEntropy(net: DenseNetwork, x: ArrayLike<number>, y: number): number {
  const pre = net.forward(x);
  const z = pre[pre.length - 1];
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  return max + Math.log(sum) - z[y];
}

/** The same network with its logits multiplied by `factor` (last layer's weights and bias scaled). */
function scaledLogits(net: DenseNetwork, factor: number): DenseNetwork {
  return denseNetwork(
    net.layers.map((layer, l) => {
      const s = l === net.layers.length - 1 ? factor : 1;
      return { weights: Float64Array.from(layer.weights, (w) => w * s), bias: Float64Array.from(layer.bias, (b) => b * s) };
    }),
    net.activation,
  );
}

describe("networkOracle: the cross-entropy target { crossEntropy: y }", () => {
  const x = Float64Array.of(0.3, -0.8, 0.5, 1.1, -0.2);

  for (const activation of [relu, softplus(3), gelu()]) {
    it(`${activation.name}: value is −log softmax(f(x))_y; gradient equals central differences of that exact loss`, () => {
      const net = randomDenseNetwork([5, 8, 7, 4], { seed: 21, activation });
      for (let y = 0; y < 4; y++) {
        const oracle = networkOracle(net, { crossEntropy: y });
        const { values, gradients } = oracle.evaluate(x, 1);
        const exact = exactCrossEntropy(net, x, y);
        expect(Math.abs(values[0] - exact)).toBeLessThan(1e-14 * Math.max(1, exact));
        // and −log of the SoftMax probability the softmax target reports
        expect(values[0]).toBeCloseTo(-Math.log(networkOracle(net, { softmax: y }).evaluate(x, 1).values[0]), 13);
        const fd = finiteDifferenceGradient((p) => exactCrossEntropy(net, p, y), x, 1e-6);
        const scale = Math.max(...fd.map(Math.abs));
        for (let i = 0; i < 5; i++) expect(Math.abs(gradients[i] - fd[i])).toBeLessThan(1e-7 * Math.max(1, scale));
      }
    });
  }

  it("equals Σ_j (p_j − [j = y]) ∇z_j, the gradient through the logits' input gradients", () => {
    const net = randomDenseNetwork([5, 9, 3], { seed: 3, activation: swish(2) });
    const y = 2;
    const logits = [0, 1, 2].map((k) => networkOracle(net, { output: k }).evaluate(x, 1));
    const z = logits.map((l) => l.values[0]);
    const p = z.map((v) => Math.exp(v) / z.reduce((s, w) => s + Math.exp(w), 0));
    const { gradients } = networkOracle(net, { crossEntropy: y }).evaluate(x, 1);
    for (let i = 0; i < 5; i++) {
      const want = logits.reduce((s, l, j) => s + (p[j] - (j === y ? 1 : 0)) * l.gradients[i], 0);
      expect(gradients[i]).toBeCloseTo(want, 13);
    }
  });

  it("keeps full relative precision for a confident prediction, where p_y − 1 and logsumexp(z) − z_y round to 0", () => {
    const base = randomDenseNetwork([5, 8, 3], { seed: 5 });
    const z0 = base.forward(x)[1];
    const y = z0.indexOf(Math.max(...z0));
    // margins of ~60: p_y = 1 in float64, the loss is ~e^-60
    const net = scaledLogits(base, 60 / Math.min(...z0.filter((_, j) => j !== y).map((v) => z0[y] - v)));
    const z = net.forward(x)[1];
    const others = [0, 1, 2].filter((j) => j !== y);
    expect(Math.exp(z[y]) / z.reduce((s, v) => s + Math.exp(v), 0) - 1).toBe(0); // the textbook gradient's seed would vanish
    const { values, gradients } = networkOracle(net, { crossEntropy: y }).evaluate(x, 1);
    // ℓ = log(1 + Σ_{j≠y} e^{z_j − z_y}) ≈ Σ_{j≠y} e^{z_j − z_y} at this size
    const q = others.map((j) => Math.exp(z[j] - z[y]));
    const sumQ = q.reduce((s, v) => s + v, 0);
    expect(values[0]).toBeGreaterThan(0);
    expect(Math.abs(values[0] - sumQ) / sumQ).toBeLessThan(1e-12);
    // ∇ℓ = Σ_{j≠y} p_j (∇z_j − ∇z_y), p_j = q_j / (1 + Σq)
    const grad = (k: number) => networkOracle(net, { output: k }).evaluate(x, 1).gradients;
    const want = new Float64Array(5);
    others.forEach((j, t) => {
      const gj = grad(j), gy = grad(y);
      for (let i = 0; i < 5; i++) want[i] += (q[t] / (1 + sumQ)) * (gj[i] - gy[i]);
    });
    const norm = Math.hypot(...want);
    expect(norm).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) expect(Math.abs(gradients[i] - want[i]) / norm).toBeLessThan(1e-12);
  });

  it("does not overflow for a hopeless label (loss ≈ the margin, gradient ≈ ∇z_max − ∇z_y)", () => {
    const base = randomDenseNetwork([5, 8, 3], { seed: 5 });
    const net = scaledLogits(base, 400);
    const z = net.forward(x)[1];
    const top = z.indexOf(Math.max(...z));
    const y = z.indexOf(Math.min(...z));
    const { values, gradients } = networkOracle(net, { crossEntropy: y }).evaluate(x, 1);
    expect(Number.isFinite(values[0])).toBe(true);
    expect(values[0]).toBeCloseTo(exactCrossEntropy(net, x, y), 9);
    const gTop = networkOracle(net, { output: top }).evaluate(x, 1).gradients;
    const gY = networkOracle(net, { output: y }).evaluate(x, 1).gradients;
    for (let i = 0; i < 5; i++) expect(gradients[i]).toBeCloseTo(gTop[i] - gY[i], 9);
  });

  it("on a single-output network the only label has loss 0 and gradient 0", () => {
    const net = randomDenseNetwork([5, 4, 1], { seed: 2 });
    const { values, gradients } = networkOracle(net, { crossEntropy: 0 }).evaluate(x, 1);
    expect(values[0]).toBe(0);
    expect(Array.from(gradients, Math.abs)).toEqual([0, 0, 0, 0, 0]);
  });
});

/**
 * The same network with the last bias shifted so that its logits at `x0` are exactly `logits` (up to one rounding of
 * the bias): a chosen margin at a chosen point, every weight unchanged.
 */
function withLogitsAt(net: DenseNetwork, x0: ArrayLike<number>, logits: ArrayLike<number>): DenseNetwork {
  const pre = net.forward(x0);
  const z = pre[pre.length - 1];
  const last = net.layers.length - 1;
  return denseNetwork(
    net.layers.map((layer, l) => ({
      weights: layer.weights,
      bias: l === last ? Float64Array.from(layer.bias, (b, j) => b + logits[j] - z[j]) : layer.bias,
    })),
    net.activation,
  );
}

/**
 * Independent float64 reference of the SoftMax probability `p_k` and its input gradient at `x`, from the logits and
 * their input gradients only (the `{ output: j }` oracles; no SoftMax code of the library involved), through
 * `S = Σ_{j≠k} e^{z_j − z_k}`: `p_k = 1/(1 + S)`, `p_j = e^{z_j − z_k}/(1 + S)` and
 * `∇p_k = Σ_{j≠k} p_k p_j (∇z_k − ∇z_j)` — no `1 − p_k` anywhere. Valid while `S` does not overflow (margins above
 * about −700).
 */
function softmaxGradientReference(net: DenseNetwork, x: Float64Array, k: number): { value: number; gradient: Float64Array } {
  const c = net.layers[net.layers.length - 1].bias.length;
  const logit = [...Array(c).keys()].map((j) => networkOracle(net, { output: j }).evaluate(x, 1));
  const z = logit.map((l) => l.values[0]);
  const e = z.map((v, j) => (j === k ? 0 : Math.exp(v - z[k])));
  const denominator = 1 + e.reduce((s, v) => s + v, 0);
  const pk = 1 / denominator;
  const gradient = new Float64Array(x.length);
  for (let j = 0; j < c; j++) {
    if (j === k) continue;
    const w = pk * (e[j] / denominator);
    for (let i = 0; i < x.length; i++) gradient[i] += w * (logit[k].gradients[i] - logit[j].gradients[i]);
  }
  return { value: pk, gradient };
}

describe("networkOracle: the SoftMax-probability target { softmax: k }", () => {
  const x = Float64Array.of(0.3, -0.8, 0.5, 1.1, -0.2);
  // logits at x: class k = 1 at the margin, the others at 0, −0.7, −1.9 (the nearest is 0)
  const at = (margin: number) => [-0.7, margin, -1.9, 0];
  const k = 1;

  for (const activation of [relu, softplus(3), gelu()]) {
    it.each([0, 5, 40, 400, -5])(`${activation.name}, margin %d: p_k and Σ_{j≠k} p_k p_j (∇z_k − ∇z_j) to 1e-12 of the largest entry`, (margin) => {
      const net = withLogitsAt(randomDenseNetwork([5, 8, 7, 4], { seed: 31, activation }), x, at(margin));
      const { values, gradients } = networkOracle(net, { softmax: k }).evaluate(x, 1);
      const want = softmaxGradientReference(net, x, k);
      // value: p_k to a few ulps (exactly 1 from margin ~37)
      expect(Math.abs(values[0] - want.value)).toBeLessThanOrEqual(1e-14 * want.value);
      // gradient: every entry within 1e-12·max|want| (the max-entry relative error); at margin 40 the gradient is ~1e-17,
      // at 400 ~1e-174: the tolerance scales with it
      const scale = Math.max(...Array.from(want.gradient, Math.abs));
      expect(scale).toBeGreaterThan(0);
      let worst = 0;
      for (let i = 0; i < 5; i++) worst = Math.max(worst, Math.abs(gradients[i] - want.gradient[i]) / scale);
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }

  it("margin 40 is past float64's rounding of p_k to 1 (the regime where p_k(1 − p_k) gives 0)", () => {
    const net = withLogitsAt(randomDenseNetwork([5, 8, 7, 4], { seed: 31 }), x, at(40));
    const z = net.forward(x)[2];
    const max = Math.max(...z);
    const p = z.map((v) => Math.exp(v - max));
    const pk = p[k] / p.reduce((s, v) => s + v, 0);
    expect(pk).toBe(1);
    expect(pk * (1 - pk)).toBe(0);
  });

  it("on a single-output network p_0 = 1 and the gradient is 0", () => {
    const net = randomDenseNetwork([5, 4, 1], { seed: 2 });
    const { values, gradients } = networkOracle(net, { softmax: 0 }).evaluate(x, 1);
    expect(values[0]).toBe(1);
    expect(Array.from(gradients, Math.abs)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("quadraticOracle", () => {
  it("returns c + bᵀu + ½uᵀAu and its gradient", () => {
    const oracle = quadraticOracle(2, { hessian: [2, 1, 1, -3], gradient: [0.5, -1], constant: 4, center: [1, 1] });
    const { values, gradients } = oracle.evaluate(new Float64Array([2, 3]), 1);
    // u = (1, 2): c + bᵀu + ½uᵀAu = 4 + (0.5 - 2) + ½(2 + 4 - 12)
    expect(values[0]).toBeCloseTo(4 - 1.5 - 3, 12);
    expect(gradients[0]).toBeCloseTo(0.5 + 2 + 2, 12);
    expect(gradients[1]).toBeCloseTo(-1 + 1 - 6, 12);
    expect(() => quadraticOracle(2, { hessian: [1, 2, 3, 4] })).toThrowError(/spec.hessian: expected a symmetric matrix/);
  });
});

describe("smoothedShallowRelu (closed form)", () => {
  const net = randomDenseNetwork([3, 16, 1], { seed: 12, biasScale: 0.5 });
  const x0 = new Float64Array([0.2, -0.4, 0.1]);
  const sigmas = [covariance({ sigma: 0.3 }, 3), covariance({ diagonal: [0.05, 0.2, 0.1] }, 3), covariance({ matrix: [0.1, 0.03, 0, 0.03, 0.2, -0.05, 0, -0.05, 0.15] }, 3)];

  it.each(sigmas.map((s) => [s.kind, s] as const))("%s: gradient and Hessian are the derivatives of the smoothed value", (_, sigma) => {
    const exact = smoothedShallowRelu(net, x0, sigma);
    const h = (x: Float64Array) => smoothedShallowRelu(net, x, sigma).value;
    const fd = finiteDifferenceGradient(h, x0, 1e-5);
    for (let i = 0; i < 3; i++) expect(exact.gradient[i]).toBeCloseTo(fd[i], 7);
    for (let j = 0; j < 3; j++) {
      const column = finiteDifferenceGradient((x) => smoothedShallowRelu(net, x, sigma).gradient[j], x0, 1e-5);
      for (let i = 0; i < 3; i++) {
        expect(exact.hessian[i * 3 + j]).toBeCloseTo(column[i], 6);
        expect(exact.hessian[i * 3 + j]).toBe(exact.hessian[j * 3 + i]);
      }
    }
  });

  it.each(sigmas.map((s) => [s.kind, s] as const))("%s: the value equals a 4·10⁵-sample Monte-Carlo average of f within 5 SE", (_, sigma) => {
    const exact = smoothedShallowRelu(net, x0, sigma);
    const oracle = networkOracle(net);
    const rng = gaussianSampler(3);
    const n = 400_000;
    const z = new Float64Array(3), delta = new Float64Array(3), white = new Float64Array(3);
    const points = new Float64Array(3 * n);
    for (let s = 0; s < n; s++) {
      cov(sigma, rng, z, delta, white);
      for (let i = 0; i < 3; i++) points[3 * s + i] = x0[i] + delta[i];
    }
    let sum = 0, sumSq = 0;
    for (const v of oracle.evaluate(points, n).values) {
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    const se = Math.sqrt((sumSq / n - mean * mean) / n);
    expect(Math.abs(mean - exact.value)).toBeLessThan(5 * se);
  });

  it("rejects deeper networks and other activations", () => {
    expect(() => smoothedShallowRelu(randomDenseNetwork([3, 4, 4, 1]), x0, sigmas[0])).toThrowError(
      "network: expected a ReLU network with exactly one hidden layer, received 2 hidden layer(s) of relu",
    );
    expect(() => smoothedShallowRelu(net.withActivation(softplus(1)), x0, sigmas[0])).toThrow(InvalidArgumentError);
  });
});

function cov(
  sigma: ReturnType<typeof covariance>,
  rng: ReturnType<typeof gaussianSampler>,
  z: Float64Array,
  delta: Float64Array,
  white: Float64Array,
): void {
  rng.fillNormal(z);
  sigma.perturbation(z, delta, white);
}
