import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InvalidArgumentError } from "@smoothhess/errors";
import { covariance, denseNetwork, networkOracle, normalCdf, normalPdf, randomDenseNetwork, smoothedShallowRelu, type DenseNetwork } from "@smoothhess/oracle";
import { smoothHess } from "@smoothhess/stein";
import { matrixExplanationDistance, vectorExplanationDistance } from "./explanation-distance.js";
import {
  AGARWAL_SMOOTHGRAD_CONSTANT,
  SMOOTHGRAD_GRADIENT_CONSTANT,
  SMOOTHGRAD_VALUE_CONSTANT,
  SMOOTHHESS_GRADIENT_CONSTANT,
  SMOOTHHESS_VALUE_CONSTANT,
  WANG_SMOOTHGRAD_CONSTANT,
  saliencyTaylorBound,
  smoothGradDistanceBound,
  smoothGradLipschitzBound,
  smoothGradRobustnessBound,
  smoothHessLipschitzBound,
} from "./lipschitz-bounds.js";
import { denseNetworkGradientBound } from "./network-gradient-bound.js";

/** ∫ h φ over ℝ by composite Simpson on [−12, 12], split at the kinks of |h|. */
function gaussianExpectation(h: (t: number) => number, kinks: number[], n = 20_000): number {
  const edges = [-12, ...kinks, 12];
  let total = 0;
  for (let k = 0; k + 1 < edges.length; k++) {
    const a = edges[k], b = edges[k + 1], step = (b - a) / n;
    let s = h(a) * normalPdf(a) + h(b) * normalPdf(b);
    for (let i = 1; i < n; i++) {
      const t = a + i * step;
      s += (i % 2 ? 4 : 2) * h(t) * normalPdf(t);
    }
    total += (s * step) / 3;
  }
  return total;
}

/** E|A + BZ| for Z ~ N(0,1): |B|·2φ(A/B) + A(2Φ(A/B) − 1). */
function absNormalMean(a: number, b: number): number {
  const s = Math.abs(b);
  if (s < 1e-300) return Math.abs(a);
  const t = a / s;
  return 2 * s * normalPdf(t) + a * (2 * normalCdf(t) - 1);
}

describe("the constants are the Gaussian expectations they claim", () => {
  it("E|g| = √(2/π), E|g² − 1| = 4φ(1), E|g³ − 3g| = 2φ(0) + 8φ(√3)", () => {
    expect(gaussianExpectation((t) => Math.abs(t), [0])).toBeCloseTo(SMOOTHGRAD_GRADIENT_CONSTANT, 10);
    expect(gaussianExpectation((t) => Math.abs(t * t - 1), [-1, 1])).toBeCloseTo(SMOOTHGRAD_VALUE_CONSTANT, 10);
    expect(gaussianExpectation((t) => Math.abs(t ** 3 - 3 * t), [-Math.sqrt(3), 0, Math.sqrt(3)])).toBeCloseTo(SMOOTHHESS_VALUE_CONSTANT, 10);
    expect(SMOOTHHESS_GRADIENT_CONSTANT).toBe(SMOOTHGRAD_VALUE_CONSTANT);
    expect(SMOOTHHESS_VALUE_CONSTANT).toBeCloseTo(1.51001, 5);
  });

  it("the worst angle between the probed pair a and the direction u is a = u (grid over c = aᵀu)", () => {
    // X = aᵀg, Y = uᵀg with correlation c; Y = cX + √(1−c²)Z. Gradient form: E|XY − c|; value form:
    // E|X²Y − 2cX − Y|. Both are E_X E_Z|A + BZ| with the closed form above.
    const gradientForm = (c: number): number => {
      const s = Math.sqrt(1 - c * c);
      return gaussianExpectation((x) => absNormalMean(c * (x * x - 1), s * x), [-1, 0, 1], 2000);
    };
    const valueForm = (c: number): number => {
      const s = Math.sqrt(1 - c * c);
      return gaussianExpectation((x) => absNormalMean(c * (x ** 3 - 3 * x), s * (x * x - 1)), [-Math.sqrt(3), -1, 0, 1, Math.sqrt(3)], 2000);
    };
    let previousGradient = -1, previousValue = -1;
    for (let k = 0; k <= 20; k++) {
      const c = k / 20;
      const g = gradientForm(c), v = valueForm(c);
      // both increase with c on [0, 1] (and are even in c), so the supremum is at |c| = 1
      expect(g).toBeGreaterThan(previousGradient);
      expect(v).toBeGreaterThan(previousValue);
      previousGradient = g;
      previousValue = v;
    }
    expect(previousGradient).toBeCloseTo(SMOOTHHESS_GRADIENT_CONSTANT, 8);
    expect(previousValue).toBeCloseTo(SMOOTHHESS_VALUE_CONSTANT, 8);
    expect(gradientForm(0)).toBeCloseTo(2 / Math.PI, 8);
  });
});

/** f(y) = c + Σ_k a_k relu(s_k·uᵀ(y − x) + b_k): a ReLU network that varies along u only. */
function ridgeNetwork(u: Float64Array, x: ArrayLike<number>, units: readonly { a: number; s: number; b: number }[], constant = 0): DenseNetwork {
  const d = u.length;
  let ux = 0;
  for (let i = 0; i < d; i++) ux += u[i] * x[i];
  const weights = new Float64Array(units.length * d);
  units.forEach((unit, k) => {
    for (let i = 0; i < d; i++) weights[k * d + i] = unit.s * u[i];
  });
  return denseNetwork([
    { weights, bias: units.map((unit) => unit.b - unit.s * ux) },
    { weights: units.map((unit) => unit.a), bias: [constant] },
  ]);
}

/** A ramp from 0 to `height` over [at − η/2, at + η/2] in t = uᵀ(y − x), as two ReLU units. */
function ramp(at: number, eta: number, height: number): { a: number; s: number; b: number }[] {
  return [
    { a: height / eta, s: 1, b: -(at - eta / 2) },
    { a: -height / eta, s: 1, b: -(at + eta / 2) },
  ];
}

const d = 3;
const direction = Float64Array.from([2, -1, 2].map((v) => v / 3));
const origin = [0.3, -0.7, 1.1];
const shifted = (t: number): number[] => origin.map((v, i) => v + t * direction[i]);

function smoothed(network: DenseNetwork, point: ArrayLike<number>, sigma: number) {
  return smoothedShallowRelu(network, point, covariance({ sigma }, network.inputDim));
}

describe("worst cases: each sharp constant is attained", () => {
  const G = 1.7, F = 0.6, sigma = 0.4, step = 1e-4 * sigma;

  it("SmoothGrad, sup‖∇f‖ = G: f = G|uᵀ(y − x)| attains √(2/π)G/σ and exceeds Agarwal et al.'s G/(2σ) by 1.596×", () => {
    const net = ridgeNetwork(direction, origin, [{ a: G, s: 1, b: 0 }, { a: G, s: -1, b: 0 }]);
    expect(denseNetworkGradientBound(net)).toBeCloseTo(2 * G, 12); // the certified bound is loose by 2 here…
    const sg0 = smoothed(net, origin, sigma).gradient, sg1 = smoothed(net, shifted(step), sigma).gradient;
    const ratio = vectorExplanationDistance(sg0, sg1).l2 / step;
    const sharp = smoothGradLipschitzBound(G, sigma); // …so the tightness check uses the true sup‖∇f‖ = G
    expect(ratio).toBeLessThanOrEqual(sharp);
    expect(ratio / sharp).toBeGreaterThan(1 - 1e-6);
    const paper = smoothGradLipschitzBound(G, sigma, { constant: "paper" });
    expect(paper).toBeCloseTo((AGARWAL_SMOOTHGRAD_CONSTANT * G) / sigma, 14);
    expect(ratio / paper).toBeCloseTo(Math.sqrt(2 / Math.PI) / 0.5, 5); // 1.5958: the paper's Thm. 2 fails
  });

  it("SmoothGrad at a finite distance: the total-variation bound is attained by the kink at the midpoint", () => {
    for (const distance of [0.05, 0.4, 1.5, 6]) {
      const net = ridgeNetwork(direction, origin, [{ a: G, s: 1, b: -distance / 2 }, { a: G, s: -1, b: distance / 2 }]);
      const change = vectorExplanationDistance(smoothed(net, origin, sigma).gradient, smoothed(net, shifted(distance), sigma).gradient).l2;
      const bound = smoothGradDistanceBound(G, sigma, distance);
      expect(Math.abs(change - bound)).toBeLessThan(1e-12 * (1 + bound));
      expect(bound).toBeLessThanOrEqual(Math.min(2 * G, smoothGradLipschitzBound(G, sigma) * distance) * (1 + 1e-15));
    }
  });

  it("SmoothGrad, |f| ≤ F: f = F·sign(t² − σ²) (ramps) attains 4φ(1)F/σ², half of Wang et al.'s 2F/σ²", () => {
    const eta = 1e-3 * sigma;
    const net = ridgeNetwork(direction, origin, [...ramp(-sigma, eta, -2 * F), ...ramp(sigma, eta, 2 * F)], F);
    const ratio = vectorExplanationDistance(smoothed(net, origin, sigma).gradient, smoothed(net, shifted(step), sigma).gradient).l2 / step;
    const sharp = smoothGradRobustnessBound(F, sigma);
    expect(ratio).toBeLessThanOrEqual(sharp);
    expect(ratio / sharp).toBeGreaterThan(0.999);
    expect(smoothGradRobustnessBound(F, sigma, { constant: "paper" })).toBeCloseTo((WANG_SMOOTHGRAD_CONSTANT * F) / sigma ** 2, 12);
  });

  it("SmoothHess, sup‖∇f‖ = G: ψ′ = sign(t² − σ²) (four ReLU units) attains 4φ(1)G/σ²", () => {
    const net = ridgeNetwork(direction, origin, [
      { a: G, s: 1, b: 0 },
      { a: -G, s: -1, b: 0 },
      { a: -2 * G, s: 1, b: sigma },
      { a: 2 * G, s: 1, b: -sigma },
    ]);
    const h0 = smoothed(net, origin, sigma).hessian, h1 = smoothed(net, shifted(step), sigma).hessian;
    const ratio = matrixExplanationDistance(h0, h1, d).spectral / step;
    const bound = smoothHessLipschitzBound({ gradMax: G }, sigma);
    expect(ratio).toBeLessThanOrEqual(bound);
    expect(ratio / bound).toBeGreaterThan(1 - 1e-6);
  });

  it("SmoothHess, |f| ≤ F: f = F·sign(He₃(t/σ)) (ramps) attains (2φ(0) + 8φ(√3))F/σ³", () => {
    const eta = 1e-3 * sigma, r = Math.sqrt(3) * sigma;
    const net = ridgeNetwork(direction, origin, [...ramp(-r, eta, 2 * F), ...ramp(0, eta, -2 * F), ...ramp(r, eta, 2 * F)], -F);
    const h0 = smoothed(net, origin, sigma).hessian, h1 = smoothed(net, shifted(step), sigma).hessian;
    const ratio = matrixExplanationDistance(h0, h1, d).spectral / step;
    const bound = smoothHessLipschitzBound({ valueMax: F }, sigma);
    expect(ratio).toBeLessThanOrEqual(bound);
    expect(ratio / bound).toBeGreaterThan(0.999);
  });
});

describe("the bounds hold on random ReLU networks (closed-form smoothing, seeded property)", () => {
  const cases = fc.record({
    d: fc.integer({ min: 1, max: 6 }),
    hidden: fc.integer({ min: 1, max: 10 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    sigma: fc.double({ min: 0.02, max: 3, noNaN: true }),
    scale: fc.double({ min: 1e-3, max: 4, noNaN: true }),
    direction: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
    start: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
  });

  it("gradient forms: SmoothGrad (Lipschitz and distance bounds) and SmoothHess", () => {
    fc.assert(
      fc.property(cases, ({ d: dim, hidden, seed, sigma, scale, direction: dir, start }) => {
        const net = randomDenseNetwork([dim, hidden, 1], { seed, biasScale: 1 });
        const x = start.slice(0, dim), x2 = x.map((v, i) => v + scale * dir[i]);
        const distance = Math.hypot(...x.map((v, i) => v - x2[i]));
        const G = denseNetworkGradientBound(net);
        const a = smoothed(net, x, sigma), b = smoothed(net, x2, sigma);
        const sg = vectorExplanationDistance(a.gradient, b.gradient).l2;
        const sh = matrixExplanationDistance(a.hessian, b.hessian, dim).spectral;
        const slack = 1 + 1e-9;
        expect(sg).toBeLessThanOrEqual(smoothGradLipschitzBound(G, sigma) * distance * slack + 1e-14);
        expect(sg).toBeLessThanOrEqual(smoothGradDistanceBound(G, sigma, distance) * slack + 1e-14);
        expect(sh).toBeLessThanOrEqual(smoothHessLipschitzBound({ gradMax: G }, sigma) * distance * slack + 1e-14);
      }),
      { numRuns: 300 },
    );
  });

  it("value forms on bounded networks (each unit clipped: relu(z) − relu(z − h))", () => {
    fc.assert(
      fc.property(cases, fc.double({ min: 0.05, max: 3, noNaN: true }), ({ d: dim, hidden, seed, sigma, scale, direction: dir, start }, height) => {
        const base = randomDenseNetwork([dim, hidden, 1], { seed, biasScale: 1 });
        const [h, top] = base.layers;
        // duplicate every unit with its bias lowered by `height`, and the opposite output weight
        const weights = new Float64Array(2 * hidden * dim), bias = new Float64Array(2 * hidden), out = new Float64Array(2 * hidden);
        let F = 0;
        for (let j = 0; j < hidden; j++) {
          for (let i = 0; i < dim; i++) weights[j * dim + i] = weights[(hidden + j) * dim + i] = h.weights[j * dim + i];
          bias[j] = h.bias[j];
          bias[hidden + j] = h.bias[j] - height;
          out[j] = top.weights[j];
          out[hidden + j] = -top.weights[j];
          F += (Math.abs(top.weights[j]) * height) / 2; // |f − c| ≤ F for c the midpoint of the range
        }
        const net = denseNetwork([{ weights, bias }, { weights: out, bias: [0] }]);
        const x = start.slice(0, dim), x2 = x.map((v, i) => v + scale * dir[i]);
        const distance = Math.hypot(...x.map((v, i) => v - x2[i]));
        const a = smoothed(net, x, sigma), b = smoothed(net, x2, sigma);
        const slack = 1 + 1e-9;
        expect(vectorExplanationDistance(a.gradient, b.gradient).l2).toBeLessThanOrEqual(smoothGradRobustnessBound(F, sigma) * distance * slack + 1e-14);
        expect(matrixExplanationDistance(a.hessian, b.hessian, dim).spectral).toBeLessThanOrEqual(smoothHessLipschitzBound({ valueMax: F }, sigma) * distance * slack + 1e-14);
      }),
      { numRuns: 200 },
    );
  });

  it("a deeper network: 8,000-sample SmoothHess with common random numbers stays below the bound", async () => {
    const net = randomDenseNetwork([5, 16, 16, 1], { seed: 4, biasScale: 0.5 });
    const oracle = networkOracle(net);
    const G = denseNetworkGradientBound(net);
    const sigma = 0.3;
    const x = [0.1, -0.4, 0.7, 0.2, -0.3];
    const bound = smoothHessLipschitzBound({ gradMax: G }, sigma);
    for (const [k, scale] of [0.1, 0.3, 1].entries()) {
      const x2 = x.map((v, i) => v + scale * Math.cos(i + k));
      const distance = Math.hypot(...x.map((v, i) => v - x2[i]));
      const options = { covariance: { sigma }, samples: 8_000, seed: 17 };
      const [a, b] = await Promise.all([smoothHess(oracle, x, options), smoothHess(oracle, x2, options)]);
      const measured = matrixExplanationDistance(a.hessian, b.hessian, 5).spectral;
      expect(measured).toBeGreaterThan(0);
      expect(measured).toBeLessThanOrEqual(bound * distance);
    }
  });
});

describe("typed errors and the Taylor estimate", () => {
  it("rejects σ ≤ 0, negative bounds and unknown constants", () => {
    expect(() => smoothGradLipschitzBound(1, 0)).toThrow(/sigma: expected a finite number > 0, received 0/);
    expect(() => smoothGradLipschitzBound(-1, 1)).toThrow(InvalidArgumentError);
    expect(() => smoothGradLipschitzBound(1, 1, { constant: "loose" as never })).toThrow(/options.constant/);
    expect(() => smoothGradRobustnessBound(Infinity, 1)).toThrow(/valueMax/);
    expect(() => smoothGradDistanceBound(1, 1, -0.1)).toThrow(/distance/);
    expect(() => smoothHessLipschitzBound({ gradMax: 1, valueMax: 1 } as never, 1)).toThrow(/exactly one/);
    expect(() => smoothHessLipschitzBound({ gradMax: 1 }, -2)).toThrow(/sigma/);
    expect(() => smoothHessLipschitzBound({ valueMax: NaN }, 1)).toThrow(/bound.valueMax/);
    expect(saliencyTaylorBound(3, 0.5)).toBe(1.5);
    expect(() => saliencyTaylorBound(-1, 0.5)).toThrow(/hessianSpectralNorm/);
  });
});
