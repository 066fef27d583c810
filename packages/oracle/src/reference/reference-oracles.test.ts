import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import {
  covariance,
  denseNetwork,
  gaussianSampler,
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
  const targets: NetworkTarget[] = [{ output: 2 }, { softmax: 1 }, { layer: 2, unit: 4 }, { layer: 1, unit: 0 }];
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
