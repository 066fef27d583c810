import { describe, expect, it } from "vitest";
import { DimensionMismatchError, InvalidArgumentError } from "@smoothhess/errors";
import { symmetricEigen } from "@smoothhess/linalg";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { factoredHessian } from "@smoothhess/stein";
import { cafo, caso, casoLambda2, type LossDerivatives } from "./index.js";
import {
  closedFormLoss,
  cosine,
  crossEntropy,
  crossEntropyDerivatives,
  euclidean,
  multiply,
  randomSymmetric,
  randomVector,
  solveDense,
} from "./test-support.js";

/** A random positive semidefinite `M Mᵀ` (rank ≤ `rank`). */
function randomPsd(d: number, rank: number, seed: number): Float64Array {
  const m = randomVector(d * rank, seed);
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let r = 0; r < rank; r++) h[i * d + j] += m[i * rank + r] * m[j * rank + r];
  return h;
}

/** `(2λ₂I − H)⁻¹ g`: CASO with λ₁ = 0 (CASO paper App. A.5). */
function closedForm(g: Float64Array, h: Float64Array, lambda2: number): Float64Array {
  const d = g.length;
  return solveDense(Float64Array.from(h, (v, k) => (k % (d + 1) === 0 ? 2 * lambda2 : 0) - v), g);
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return euclidean(Float64Array.from(a, (v, i) => v - b[i])) / euclidean(b);
}

/** The CASO objective, computed from scratch. */
function objective(g: Float64Array, h: Float64Array | undefined, delta: Float64Array, lambda1: number, lambda2: number): number {
  let l1 = 0;
  for (const v of delta) l1 += Math.abs(v);
  const hd = h ? multiply(h, delta) : undefined;
  const quad = hd ? 0.5 * delta.reduce((s, v, i) => s + v * hd[i], 0) : 0;
  return g.reduce((s, v, i) => s + v * delta[i], 0) + quad - lambda1 * l1 - lambda2 * euclidean(delta) ** 2;
}

/** Largest violation of the optimality conditions of CASO: g + HΔ − 2λ₂Δ ∈ λ₁∂‖Δ‖₁, relative to ‖g‖. */
function kktViolation(g: Float64Array, h: Float64Array | undefined, delta: Float64Array, lambda1: number, lambda2: number): number {
  const hd = h ? multiply(h, delta) : new Float64Array(g.length);
  let worst = 0;
  for (let i = 0; i < g.length; i++) {
    const r = g[i] + hd[i] - 2 * lambda2 * delta[i];
    worst = Math.max(worst, delta[i] !== 0 ? Math.abs(r - lambda1 * Math.sign(delta[i])) : Math.max(0, Math.abs(r) - lambda1));
  }
  return worst / euclidean(g);
}

describe("caso with λ₁ = 0 matches its closed form (2λ₂I − H)⁻¹g", () => {
  it.each([
    ["positive semidefinite, λ₂ = L/2 + 10 (the paper's rule)", randomPsd(12, 5, 1), undefined],
    ["positive semidefinite, tight margin (condition number ~100)", randomPsd(12, 12, 2), 0.01],
    ["indefinite", randomSymmetric(12, 3, 2), 0.5],
  ] as const)("%s", (_, h, marginFraction) => {
    const d = 12;
    const g = randomVector(d, 10);
    const top = symmetricEigen(h, d, { order: "descending", k: 1 }).values[0];
    const margin = marginFraction === undefined ? 10 : marginFraction * Math.abs(top);
    const result = caso({ gradient: g, hessian: h }, { margin });
    expect(result.largestEigenvalue).toBeCloseTo(top, 10); // L by Lanczos
    expect(result.lambda2).toBeCloseTo(casoLambda2(top, margin), 10);
    expect(result.converged).toBe(true);
    expect(relativeError(result.explanation, closedForm(g, h, result.lambda2))).toBeLessThan(1e-9);
    expect(result.objective).toBeCloseTo(objective(g, h, result.explanation, 0, result.lambda2), 10);
    expect(result.sparsity).toBe(0);
  });

  it("takes the Hessian as a dense matrix, a bare matVec or a FactoredHessian alike", () => {
    const d = 10, m = 4;
    const factored = factoredHessian(randomVector(m * d, 1), randomVector(m * d, 2), m, d, 0.2);
    const dense = factored.toDense();
    const g = randomVector(d, 3);
    const a = caso({ gradient: g, hessian: dense });
    const b = caso({ gradient: g, hessian: factored });
    const c = caso({ gradient: g, hessian: { matVec: (v: Float64Array) => multiply(dense, v) } });
    expect(relativeError(b.explanation, a.explanation)).toBeLessThan(1e-10);
    expect(relativeError(c.explanation, a.explanation)).toBeLessThan(1e-10);
    expect(relativeError(a.explanation, closedForm(g, dense, a.lambda2))).toBeLessThan(1e-9);
  });
});

describe("caso with λ₁ > 0 (proximal gradient with Nesterov momentum)", () => {
  it("diagonal H: matches the separable closed form sign(gᵢ)(|gᵢ| − λ₁)₊/(2λ₂ − hᵢ)", () => {
    const d = 9;
    const diagonal = Float64Array.from({ length: d }, (_, i) => (i - 4) * 0.7);
    const h = new Float64Array(d * d);
    diagonal.forEach((v, i) => (h[i * d + i] = v));
    const g = randomVector(d, 21);
    const lambda1 = 0.6;
    const result = caso({ gradient: g, hessian: h }, { lambda1, margin: 0.5 });
    for (let i = 0; i < d; i++) {
      const shrunk = Math.max(Math.abs(g[i]) - lambda1, 0);
      expect(result.explanation[i]).toBeCloseTo((Math.sign(g[i]) * shrunk) / (2 * result.lambda2 - diagonal[i]), 11);
    }
    expect(result.sparsity).toBeGreaterThan(0); // some |gᵢ| ≤ λ₁: exact zeros
  });

  it("general H: satisfies the optimality conditions g + HΔ − 2λ₂Δ ∈ λ₁∂‖Δ‖₁ and is sparse", () => {
    const d = 15;
    const h = randomPsd(d, 6, 31);
    const g = randomVector(d, 32);
    for (const lambda1 of [0.1, 0.8, 2]) {
      const result = caso({ gradient: g, hessian: h }, { lambda1 });
      expect(result.converged).toBe(true);
      expect(kktViolation(g, h, result.explanation, lambda1, result.lambda2)).toBeLessThan(1e-9);
    }
    const sparse = caso({ gradient: g, hessian: h }, { lambda1: 0.8 });
    expect(sparse.sparsity).toBeGreaterThan(0.2);
    const everything = caso({ gradient: g, hessian: h }, { lambda1: 1e3 });
    expect(everything.sparsity).toBe(1); // λ₁ ≥ ‖g‖∞: Δ* = 0
  });

  it("the objective of the iterates increases monotonically (recomputed from scratch after every iteration)", () => {
    const d = 15;
    for (const [h, options] of [
      [randomPsd(d, 8, 41), { lambda1: 0.3 }],
      [randomSymmetric(d, 42), { lambda1: 0.05, margin: 0.2 }],
      [randomPsd(d, 8, 43), { lambda1: 0.3, stepSize: 0.1, maxIterations: 10, decay: 0.5 }], // the paper's settings
    ] as const) {
      const g = randomVector(d, 44);
      const full = caso({ gradient: g, hessian: h }, options);
      for (let k = 1; k < full.objectiveHistory.length; k++) expect(full.objectiveHistory[k]).toBeGreaterThanOrEqual(full.objectiveHistory[k - 1]);
      expect(full.objectiveHistory[0]).toBe(0);
      expect(full.objectiveHistory[full.objectiveHistory.length - 1]).toBeCloseTo(full.objective, 10);
      // the iterates themselves: a run capped at k iterations returns iterate k
      let previous = 0;
      const last = Math.min(full.iterations, 40);
      for (let k = 1; k <= last; k++) {
        const capped = caso({ gradient: g, hessian: h }, { ...options, maxIterations: k });
        const value = objective(g, h, capped.explanation, capped.lambda1, capped.lambda2);
        expect(value).toBeGreaterThanOrEqual(previous - 1e-13 * Math.abs(full.objective));
        previous = value;
      }
    }
  });
});

describe("cafo: the closed form of Def. 2", () => {
  it("is g/(2λ₂) for λ₁ = 0 and the soft-thresholded gradient otherwise; it maximises the CAFO objective", () => {
    const g = randomVector(8, 51);
    const plain = cafo({ gradient: g }, { lambda2: 2 });
    for (let i = 0; i < 8; i++) expect(plain.explanation[i]).toBeCloseTo(g[i] / 4, 15);
    const sparse = cafo({ gradient: g }, { lambda1: 0.5, lambda2: 2 });
    expect(kktViolation(g, undefined, sparse.explanation, 0.5, 2)).toBeLessThan(1e-15);
    const rng = gaussianSampler(52);
    for (let t = 0; t < 200; t++) {
      const moved = sparse.explanation.map((v) => v + 0.05 * rng.normal());
      expect(objective(g, undefined, moved, 0.5, 2)).toBeLessThanOrEqual(sparse.objective + 1e-15);
    }
    // the proximal solver of caso with H = 0 converges to the same point
    const zero = { matVec: (v: Float64Array) => new Float64Array(v.length) };
    const iterative = caso({ gradient: g, hessian: zero, largestEigenvalue: 0 }, { lambda1: 0.5, lambda2: 2 });
    expect(relativeError(iterative.explanation, sparse.explanation)).toBeLessThan(1e-12);
  });

  it("takes λ₂ = L/2 + margin from the Hessian or L like CASO, so the two are comparable", () => {
    const h = randomPsd(6, 3, 61);
    const g = randomVector(6, 62);
    const a = caso({ gradient: g, hessian: h });
    const b = cafo({ gradient: g, hessian: h });
    const c = cafo({ gradient: g, largestEigenvalue: a.largestEigenvalue });
    expect(b.lambda2).toBeCloseTo(a.lambda2, 12);
    expect(c.lambda2).toBe(a.lambda2);
  });
});

describe("the CASO paper's Theorems 4 and 5 on the closed-form cross-entropy Hessian W(diag(p) − ppᵀ)Wᵀ", () => {
  // App. F.1's simulation: a linear model with random W (d×c), p = [1 − (c−1)ε, ε, …, ε], label = class 0.
  const d = 300;
  const setup = (c: number, top: number) => {
    const w = gaussianSampler(c).fillNormal(new Float64Array(d * c));
    const p = new Float64Array(c).fill((1 - top) / (c - 1));
    p[0] = top;
    return { ...closedFormLoss(w, d, c, p, 0), w, p };
  };
  // λ₂ = L/2 + 0.05·L keeps the Hessian term influential (with the paper's c₁ = 10 it would be swamped here, making
  // CASO ≈ CAFO for a trivial reason); Theorem 5 holds for any λ₂ > L/2.
  const compare = (loss: LossDerivatives & { hessian: Float64Array }) => {
    const top = symmetricEigen(loss.hessian, d, { order: "descending", k: 1 }).values[0];
    const second = caso(loss, { margin: 0.05 * top });
    const first = cafo(loss, { lambda2: second.lambda2 });
    return 1 - cosine(second.explanation, first.explanation);
  };

  it("Theorem 4: the Hessian approaches the rank-one ggᵀ/(ε(c−1)) as the number of classes grows", () => {
    const errors = [10, 40, 160].map((c) => {
      const { gradient, hessian } = setup(c, 0.9999);
      const eps = (1 - 0.9999) / (c - 1);
      const approx = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) approx[i * d + j] = (gradient[i] * gradient[j]) / (eps * (c - 1));
      return relativeError(approx, hessian);
    });
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[1]);
    expect(errors[2]).toBeLessThan(0.6 * errors[0]);
  });

  it("Theorem 5: with high confidence and many classes CASO (λ₁ = 0) is almost parallel to CAFO; not so at low confidence", () => {
    const confident = compare(setup(100, 0.9999));
    expect(confident).toBeLessThan(5e-5);
    // the gap shrinks with the confidence and with the number of classes
    expect(compare(setup(100, 0.5))).toBeGreaterThan(confident);
    expect(compare(setup(10, 0.9999))).toBeGreaterThan(confident);
    // a low-confidence prediction (p = softmax of standard normal logits, top probability ≈ 0.3) is clearly different
    const c = 10;
    const w = gaussianSampler(71).fillNormal(new Float64Array(d * c));
    const logits = gaussianSampler(72).fillNormal(new Float64Array(c));
    const total = logits.reduce((s, v) => s + Math.exp(v), 0);
    const p = logits.map((v) => Math.exp(v) / total);
    const label = p.indexOf(Math.max(...p));
    expect(p[label]).toBeLessThan(0.5);
    expect(compare(closedFormLoss(w, d, c, p, label))).toBeGreaterThan(0.02);
  });
});

describe("CASO on a float64 ReLU network with the Hessian from its exact logits-Jacobian", () => {
  const net = randomDenseNetwork([6, 16, 16, 4], { seed: 5 });
  const x = Float64Array.of(0.4, -0.3, 0.8, 0.1, -0.6, 0.2);
  const logits = net.forward(x)[2];
  const label = logits.indexOf(Math.max(...logits));
  const loss = crossEntropyDerivatives(net, x, label);

  it("the closed form (Prop. 1) matches finite differences of the loss and of its exact gradient; H ⪰ 0 (Thm. 2)", () => {
    const oracle = networkOracle(net, { crossEntropy: label });
    const step = 1e-6;
    for (let j = 0; j < 6; j++) {
      const plus = Float64Array.from(x), minus = Float64Array.from(x);
      plus[j] += step;
      minus[j] -= step;
      const fd = (crossEntropy(net, plus, label) - crossEntropy(net, minus, label)) / (2 * step);
      expect(fd).toBeCloseTo(loss.gradient[j], 8);
      const gp = oracle.evaluate(plus, 1).gradients;
      const gm = oracle.evaluate(minus, 1).gradients;
      for (let i = 0; i < 6; i++) expect(Math.abs((gp[i] - gm[i]) / (2 * step) - loss.hessian[i * 6 + j])).toBeLessThan(1e-7);
    }
    expect(symmetricEigen(loss.hessian, 6, { order: "ascending", k: 1 }).values[0]).toBeGreaterThan(-1e-12);
  });

  it("λ₁ = 0 gives (2λ₂I − H)⁻¹g; λ₁ > 0 satisfies the optimality conditions", () => {
    const plain = caso(loss);
    expect(relativeError(plain.explanation, closedForm(loss.gradient, loss.hessian, plain.lambda2))).toBeLessThan(1e-10);
    const lambda1 = 0.3 * Math.max(...loss.gradient.map(Math.abs));
    const sparse = caso(loss, { lambda1, margin: 0.1 });
    expect(kktViolation(loss.gradient, loss.hessian, sparse.explanation, lambda1, sparse.lambda2)).toBeLessThan(1e-9);
    expect(sparse.sparsity).toBeGreaterThan(0);
  });
});

describe("caso / cafo: typed errors", () => {
  const h = randomPsd(4, 2, 81);
  const g = randomVector(4, 82);
  it("names the argument, the expectation and what was received", () => {
    expect(() => caso({ gradient: g })).toThrowError(/loss\.hessian: expected the loss Hessian/);
    expect(() => caso({ gradient: g, hessian: h }, { lambda1: -1 })).toThrowError("options.lambda1: expected a finite number ≥ 0, received -1");
    const top = symmetricEigen(h, 4, { order: "descending", k: 1 }).values[0];
    expect(() => caso({ gradient: g, hessian: h }, { lambda2: 0.4 * top })).toThrowError(/options\.lambda2: expected a number > L\/2 = .*Theorem 3/);
    expect(() => caso({ gradient: g, hessian: h }, { lambda2: 0 })).toThrowError("options.lambda2: expected a finite number > 0, received 0");
    expect(() => caso({ gradient: g, hessian: h }, { margin: 0 })).toThrowError("margin: expected a finite number > 0, received 0");
    expect(() => caso({ gradient: g, hessian: h.subarray(1) })).toThrowError(DimensionMismatchError);
    expect(() => caso({ gradient: g, hessian: h }, { maxIterations: 0 })).toThrowError("options.maxIterations: expected an integer ≥ 1, received 0");
    expect(() => caso({ gradient: g, hessian: h }, { decay: 1 })).toThrowError(/options\.decay: expected a finite number in \(0, 1\)/);
    expect(() => caso({ gradient: g, hessian: h, largestEigenvalue: Number.NaN })).toThrowError(/loss\.largestEigenvalue/);
    expect(() => cafo({ gradient: g })).toThrowError(/options\.lambda2: expected a number > 0 \(or give loss\.hessian or loss\.largestEigenvalue/);
    expect(() => cafo({ gradient: [] })).toThrowError(/loss\.gradient: expected a non-empty array/);
    expect(() => cafo(null as never)).toThrowError(InvalidArgumentError);
  });
});
