import { InvalidArgumentError } from "@smoothhess/errors";
import { randomDenseNetwork, softplus } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { crossEntropyHessian, softmaxHessian } from "./logit-head-hessian.js";
import { referenceModel } from "./reference-model.js";
import { referenceSurrogates } from "./reference-surrogates.js";
import {
  asymmetry,
  centralDifferenceHessian,
  crossEntropyGradientReference,
  entrywiseRelativeError,
  logitsWithMargin,
  naiveProduct,
  normalVector,
  relativeError,
  softmaxGradientReference,
  withLogitsAt,
} from "./test-support.js";

const net = referenceSurrogates(randomDenseNetwork([12, 20, 16, 5], { seed: 11 }));
const relu = net.original;
const x0 = normalVector(4, 12, 0.8);

describe("crossEntropyHessian (CASO Prop. 1)", () => {
  for (const label of [0, 3]) {
    it(`W(diag(p) − ppᵀ)Wᵀ for label ${label} equals the dense loss Hessian and finite differences of the exact loss gradient`, () => {
      const { value, gradient, hessian, logits } = crossEntropyHessian(relu, x0, label);
      const target = { crossEntropy: label };
      const dense = relu.hessians(x0, 1, target);
      const fd = centralDifferenceHessian((x) => relu.oracle(target).evaluate(x, 1).gradients, x0, 1e-6);
      const h = hessian.toDense();
      expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-3);
      expect(relativeError(h, fd)).toBeLessThanOrEqual(1e-6);
      expect(relativeError(h, dense.hessians)).toBeLessThan(1e-12);
      expect(asymmetry(h, 12)).toBe(0);
      expect(relativeError(gradient, dense.gradients)).toBeLessThan(1e-13);
      expect(value).toBeCloseTo(dense.values[0], 13);
      expect(hessian.r).toBe(5);
      // the middle factor is diag(p) − ppᵀ
      let max = -Infinity;
      for (const o of logits) max = Math.max(max, o);
      const e = [...logits].map((o) => Math.exp(o - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / sum);
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
        expect(hessian.middle[i * 5 + j]).toBeCloseTo((i === j ? p[i] : 0) - p[i] * p[j], 15);
      }
    });
  }

  it("is positive semi-definite (CASO Thm. 2), with eigenpairs from the 5×5 factor", () => {
    const { hessian } = crossEntropyHessian(relu, x0, 1);
    const eig = hessian.eigen({ order: "descending" });
    expect(eig.k).toBe(5);
    for (const v of eig.values) expect(v).toBeGreaterThan(-1e-12 * eig.values[0]);
    // rank ≤ c − 1 = 4: the middle factor annihilates the all-ones vector
    expect(Math.abs(eig.values[4])).toBeLessThan(1e-10 * eig.values[0]);
    const dense = hessian.toDense();
    for (let j = 0; j < 4; j++) {
      const q = eig.vectors.subarray(j * 12, (j + 1) * 12);
      for (let i = 0; i < 12; i++) {
        let s = 0;
        for (let t = 0; t < 12; t++) s += dense[i * 12 + t] * q[t];
        expect(s).toBeCloseTo(eig.values[j] * q[i], 10);
      }
    }
  });
});

describe("crossEntropyHessian at confident predictions (p_y rounding to 1 from margin ~37 on)", () => {
  // The same weights with the last bias shifted so that label 2 leads the next logit by `margin` at x0. Ground truth
  // from the { output: k } oracles only (crossEntropyGradientReference: Σ_{j≠y} p_j (∇z_j − ∇z_y) and the explicit-sum
  // diag(p) − ppᵀ). The textbook p − e_y and p_y − p_y² lose the label's terms entirely at margin 40 (error ~100 %).
  const y = 2;
  const transposed = (jacobian: Float64Array, c: number, d: number) => {
    const w = new Float64Array(d * c);
    for (let k = 0; k < c; k++) for (let i = 0; i < d; i++) w[i * c + k] = jacobian[k * d + i];
    return w;
  };
  for (const margin of [0, 5, 40, 400]) {
    it(`margin ${margin}: loss, gradient, middle factor and Hessian equal the reference (1e-12 relative; every path)`, () => {
      const model = referenceSurrogates(withLogitsAt(relu.network, x0, logitsWithMargin(5, y, margin))).original;
      const ref = crossEntropyGradientReference((k) => model.oracle({ output: k }), 5, x0, y);
      const { value, gradient, hessian, logits } = crossEntropyHessian(model, x0, y);
      expect([...logits]).toEqual([...ref.logits]);
      expect(ref.value).toBeGreaterThan(0);
      expect(Math.abs(value - ref.value) / ref.value).toBeLessThan(1e-12);
      expect(relativeError(gradient, ref.gradient)).toBeLessThan(1e-12);
      expect(entrywiseRelativeError(hessian.middle, ref.middle)).toBeLessThan(1e-12);
      const w = transposed(ref.jacobian, 5, 12);
      const want = naiveProduct(naiveProduct(w, ref.middle, 12, 5, 5), ref.jacobian, 12, 5, 12); // W M Wᵀ
      const h = hessian.toDense();
      for (const v of [value, ...gradient, ...h]) expect(Number.isFinite(v)).toBe(true);
      expect(relativeError(h, want)).toBeLessThan(1e-12);
      // the dense Hessian backpropagation, the R-operator and the oracle agree
      const target = { crossEntropy: y };
      const dense = model.hessians(x0, 1, target);
      expect(relativeError(dense.hessians, want)).toBeLessThan(1e-12);
      expect(relativeError(dense.gradients, ref.gradient)).toBeLessThan(1e-12);
      const eye = new Float64Array(144);
      for (let i = 0; i < 12; i++) eye[i * 13] = 1;
      expect(relativeError(model.hessianVectorProducts(x0, eye, 12, target).products, want)).toBeLessThan(1e-12);
      const oracle = model.oracle(target).evaluate(x0, 1);
      expect(relativeError(oracle.gradients, ref.gradient)).toBeLessThan(1e-12);
      expect(Math.abs(oracle.values[0] - ref.value) / ref.value).toBeLessThan(1e-12);
      // and finite differences of the exact gradient (criterion 1e-6, relative to the largest entry at any scale)
      const fd = centralDifferenceHessian((x) => model.oracle(target).evaluate(x, 1).gradients, x0, 1e-6);
      expect(relativeError(h, fd)).toBeLessThanOrEqual(1e-6);
    });
  }

  it("margin 400 for a hopeless label: finite, loss ≈ the margin, gradient ≈ ∇z_top − ∇z_y", () => {
    const model = referenceSurrogates(withLogitsAt(relu.network, x0, logitsWithMargin(5, y, 400))).original;
    for (const label of [0, 4]) {
      const ref = crossEntropyGradientReference((k) => model.oracle({ output: k }), 5, x0, label);
      const { value, gradient, hessian } = crossEntropyHessian(model, x0, label);
      for (const v of [value, ...gradient, ...hessian.toDense()]) expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(value - ref.value) / ref.value).toBeLessThan(1e-14);
      expect(relativeError(gradient, ref.gradient)).toBeLessThan(1e-12);
      expect(entrywiseRelativeError(hessian.middle, ref.middle)).toBeLessThan(1e-12);
    }
  });
});

describe("softmaxHessian (vanilla H of the SoftMax probability, Table 8)", () => {
  it("equals finite differences of the exact SoftMax gradient and the dense path", () => {
    for (const k of [0, 2, 4]) {
      const target = { softmax: k };
      const { value, gradient, hessian } = softmaxHessian(relu, x0, k);
      const fd = centralDifferenceHessian((x) => relu.oracle(target).evaluate(x, 1).gradients, x0, 1e-6);
      expect(relativeError(hessian.toDense(), fd)).toBeLessThanOrEqual(1e-6);
      const dense = relu.hessians(x0, 1, target);
      expect(relativeError(hessian.toDense(), dense.hessians)).toBeLessThan(1e-12);
      expect(relativeError(gradient, dense.gradients)).toBeLessThan(1e-13);
      expect(value).toBeCloseTo(dense.values[0], 14);
    }
  });

  it("works through an async model the same way (the tfjs models answer with promises)", async () => {
    const asyncModel = { ...relu, logitJacobian: async (x: ArrayLike<number>) => relu.logitJacobian(x) };
    const fromAsync = await softmaxHessian(asyncModel, x0, 1);
    const fromSync = softmaxHessian(relu, x0, 1);
    expect([...fromAsync.hessian.w]).toEqual([...fromSync.hessian.w]);
  });
});

describe("softmaxHessian at confident predictions (p_k rounding to 1 from margin ~37 on)", () => {
  // Class 2 leads the next logit by `margin` at x0 (last bias shifted). Ground truth from the { output: k } oracles
  // only (softmaxGradientReference: Σ_{j≠k} p_k p_j (∇z_k − ∇z_j), and the chain-rule middle factor through
  // S = Σ_{j≠k} e^{z_j − z_k}). The textbook p_k(e_k − p) and p_k[(e_k − p)(e_k − p)ᵀ − diag(p) + ppᵀ] lose the
  // k-th seed entry and the k-th row and column of the middle factor at margin 40 (max-entry errors of order 100 %).
  const k = 2;
  const transposed = (jacobian: Float64Array, c: number, d: number) => {
    const w = new Float64Array(d * c);
    for (let j = 0; j < c; j++) for (let i = 0; i < d; i++) w[i * c + j] = jacobian[j * d + i];
    return w;
  };
  for (const margin of [0, 5, 40, 400]) {
    it(`margin ${margin}: value, gradient, middle factor (entrywise) and Hessian equal the reference (1e-12 relative; every path)`, () => {
      const model = referenceSurrogates(withLogitsAt(relu.network, x0, logitsWithMargin(5, k, margin))).original;
      const ref = softmaxGradientReference((j) => model.oracle({ output: j }), 5, x0, k);
      const { value, gradient, hessian, logits } = softmaxHessian(model, x0, k);
      expect([...logits]).toEqual([...ref.logits]);
      expect(Math.abs(value - ref.value) / ref.value).toBeLessThan(1e-12);
      expect(relativeError(gradient, ref.gradient)).toBeLessThan(1e-12);
      expect(entrywiseRelativeError(hessian.middle, ref.middle)).toBeLessThan(1e-12);
      const want = naiveProduct(naiveProduct(transposed(ref.jacobian, 5, 12), ref.middle, 12, 5, 5), ref.jacobian, 12, 5, 12); // W M Wᵀ
      const h = hessian.toDense();
      for (const v of [value, ...gradient, ...h]) expect(Number.isFinite(v)).toBe(true);
      expect(Math.max(...h.map(Math.abs))).toBeGreaterThan(0);
      expect(relativeError(h, want)).toBeLessThan(1e-12);
      // the dense Hessian backpropagation, the R-operator and the oracle agree
      const target = { softmax: k };
      const dense = model.hessians(x0, 1, target);
      expect(relativeError(dense.hessians, want)).toBeLessThan(1e-12);
      expect(relativeError(dense.gradients, ref.gradient)).toBeLessThan(1e-12);
      const eye = new Float64Array(144);
      for (let i = 0; i < 12; i++) eye[i * 13] = 1;
      expect(relativeError(model.hessianVectorProducts(x0, eye, 12, target).products, want)).toBeLessThan(1e-12);
      const oracle = model.oracle(target).evaluate(x0, 1);
      expect(relativeError(oracle.gradients, ref.gradient)).toBeLessThan(1e-12);
      // and finite differences of the exact gradient (criterion 1e-6, relative to the largest entry at any scale)
      const fd = centralDifferenceHessian((x) => model.oracle(target).evaluate(x, 1).gradients, x0, 1e-6);
      expect(relativeError(h, fd)).toBeLessThanOrEqual(1e-6);
    });
  }

  it("margin 400 for trailing classes: finite, and equal to the reference (p_k ≈ e^{-400})", () => {
    const model = referenceSurrogates(withLogitsAt(relu.network, x0, logitsWithMargin(5, k, 400))).original;
    for (const unit of [0, 4]) {
      const ref = softmaxGradientReference((j) => model.oracle({ output: j }), 5, x0, unit);
      const { value, gradient, hessian } = softmaxHessian(model, x0, unit);
      for (const v of [value, ...gradient, ...hessian.toDense()]) expect(Number.isFinite(v)).toBe(true);
      expect(value).toBeGreaterThan(0);
      expect(Math.abs(value - ref.value) / ref.value).toBeLessThan(1e-12);
      expect(relativeError(gradient, ref.gradient)).toBeLessThan(1e-12);
      expect(entrywiseRelativeError(hessian.middle, ref.middle)).toBeLessThan(1e-12);
    }
  });
});

describe("errors", () => {
  it("refuse a smooth surrogate, whose loss Hessian has curvature the closed form leaves out", () => {
    const sp = net.surrogate({ name: "softplus", beta: 5 });
    expect(() => crossEntropyHessian(sp, x0, 0)).toThrowError(InvalidArgumentError);
    expect(() => crossEntropyHessian(sp, x0, 0)).toThrowError(/^model: expected a piecewise-linear \(ReLU\) model.*received a model with activation softplus\(β=5\)/);
    expect(() => softmaxHessian(referenceModel(randomDenseNetwork([3, 4, 2], { activation: softplus(2) })), [0, 0, 0], 0)).toThrowError(/^model:/);
  });

  it("name label, k and x0", () => {
    expect(() => crossEntropyHessian(relu, x0, 5)).toThrowError(/^label: expected an integer in \[0, 4\], received 5/);
    expect(() => softmaxHessian(relu, x0, -1)).toThrowError(/^k: expected an integer in \[0, 4\]/);
    expect(() => softmaxHessian(relu, [1, 2], 0)).toThrowError(/^x0: expected length 12/);
  });
});
