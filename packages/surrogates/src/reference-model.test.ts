import { InvalidArgumentError, DimensionMismatchError } from "@smoothhess/errors";
import { gelu, networkOracle, randomDenseNetwork, relu, softplus, swish, type Activation } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { referenceModel } from "./reference-model.js";
import { referenceSurrogates } from "./reference-surrogates.js";
import type { SurrogateTarget } from "./surrogate-target.js";
import {
  asymmetry,
  centralDifferenceGradient,
  centralDifferenceHessian,
  crossEntropyGradientReference,
  logitsWithMargin,
  normalVector,
  relativeError,
  softmaxGradientReference,
  withLogitsAt,
} from "./test-support.js";

// d = 6 inputs, three hidden layers, 4 logits.
const SIZES = [6, 9, 8, 7, 4];
const net = randomDenseNetwork(SIZES, { seed: 7 });
const x0 = normalVector(101, 6, 0.7);

const SMOOTH: Activation[] = [softplus(1), softplus(10), swish(1), swish(8), gelu()];
const TARGETS: SurrogateTarget[] = [{ output: 2 }, { softmax: 1 }, { crossEntropy: 3 }, { layer: 3, unit: 4 }, { layer: 2, unit: 0 }, { layer: 1, unit: 5 }];

/** Central differences in float64 with step h = 1e-5: truncation ~h²·f‴ and rounding ~1e-16·|g|/h stay < 1e-8. */
const H = 1e-5;

describe("reference Hessians equal central finite differences of the exact gradient (float64, ≤ 1e-6)", () => {
  for (const act of SMOOTH) {
    for (const target of TARGETS) {
      it(`${act.name}(β=${act.beta ?? "-"}) ${JSON.stringify(target)}`, () => {
        const model = referenceModel(net.withActivation(act));
        const oracle = model.oracle(target);
        const { hessians, gradients, values } = model.hessians(x0, 1, target);
        const fd = centralDifferenceHessian((x) => oracle.evaluate(x, 1).gradients, x0, H);
        const scale = Math.max(...fd.map(Math.abs));
        const neuronOfLayer1 = "layer" in target && target.layer === 1;
        if (neuronOfLayer1) {
          // a first-hidden-layer pre-activation is affine in x: its Hessian is exactly zero
          expect(Math.max(...hessians.map(Math.abs))).toBe(0);
          expect(scale).toBeLessThan(1e-9);
        } else {
          expect(scale).toBeGreaterThan(1e-3); // a non-trivial Hessian, so the relative check means something
          expect(relativeError(hessians, fd)).toBeLessThanOrEqual(1e-6);
        }
        expect(asymmetry(hessians, 6)).toBe(0);
        // the gradient and value returned with the Hessian are the oracle's
        const g = oracle.evaluate(x0, 1);
        expect(relativeError(gradients, g.gradients)).toBe(0);
        expect(values[0]).toBe(g.values[0]);
      });
    }
  }

  it("a deeper, wider network at several points (batched) agrees too", () => {
    const deep = randomDenseNetwork([5, 16, 16, 16, 16, 16, 3], { seed: 3 });
    const model = referenceModel(deep.withActivation(softplus(4)));
    const points = normalVector(5, 3 * 5);
    const target = { softmax: 0 };
    const batch = model.hessians(points, 3, target);
    const oracle = model.oracle(target);
    for (let p = 0; p < 3; p++) {
      const x = points.subarray(p * 5, (p + 1) * 5);
      const fd = centralDifferenceHessian((y) => oracle.evaluate(y, 1).gradients, x, H);
      expect(relativeError(batch.hessians.subarray(p * 25, (p + 1) * 25), fd)).toBeLessThanOrEqual(1e-6);
      const single = model.hessians(Float64Array.from(x), 1, target);
      expect([...single.hessians]).toEqual([...batch.hessians.subarray(p * 25, (p + 1) * 25)]);
    }
  });
});

describe("cross-entropy of a smooth network at confident predictions (p_y rounding to 1 from margin ~37 on)", () => {
  // Label 3 leads the next logit by `margin` at x0 (last bias shifted). Ground truth from the { output: k } oracles
  // only: the gradient Σ_{j≠y} p_j (∇z_j − ∇z_y) (crossEntropyGradientReference), and the Hessian as central
  // differences (h = 1e-5) of that reference gradient, whose relative precision does not depend on the margin.
  // With the textbook seed p − e_y the label's terms vanish at margin 40, in the gradient and in every adjoint.
  const y = 3;
  for (const act of [softplus(3), swish(2), gelu()]) {
    for (const margin of [0, 5, 40, 400]) {
      it(`${act.name} margin ${margin}: value, gradient (1e-12), Hessian and Hessian-vector products (1e-6) equal the reference`, () => {
        const model = referenceModel(withLogitsAt(net.withActivation(act), x0, logitsWithMargin(4, y, margin)));
        const target = { crossEntropy: y };
        const reference = (x: ArrayLike<number>) => crossEntropyGradientReference((k) => model.oracle({ output: k }), 4, x, y);
        const ref = reference(x0);
        const refHessian = centralDifferenceHessian((x) => reference(x).gradient, x0, H);
        const { values, gradients, hessians } = model.hessians(x0, 1, target);
        for (const v of [...values, ...gradients, ...hessians]) expect(Number.isFinite(v)).toBe(true);
        expect(ref.value).toBeGreaterThan(0);
        expect(Math.abs(values[0] - ref.value) / ref.value).toBeLessThan(1e-12);
        expect(relativeError(gradients, ref.gradient)).toBeLessThan(1e-12);
        expect(relativeError(hessians, refHessian)).toBeLessThanOrEqual(1e-6);
        const eye = new Float64Array(36);
        for (let i = 0; i < 6; i++) eye[i * 7] = 1;
        expect(relativeError(model.hessianVectorProducts(x0, eye, 6, target).products, refHessian)).toBeLessThanOrEqual(1e-6);
        // and the Hessian equals central differences of the model's own exact gradient
        const fd = centralDifferenceHessian((x) => model.oracle(target).evaluate(x, 1).gradients, x0, H);
        expect(relativeError(hessians, fd)).toBeLessThanOrEqual(1e-6);
      });
    }
  }
});

describe("SoftMax probability of a smooth network at confident predictions (p_k rounding to 1 from margin ~37 on)", () => {
  // Class 3 leads the next logit by `margin` at x0 (last bias shifted). Ground truth from the { output: k } oracles
  // only: the gradient Σ_{j≠k} p_k p_j (∇z_k − ∇z_j) (softmaxGradientReference), and the Hessian as central
  // differences (h = 1e-5) of that reference gradient. With the textbook seed p_k(e_k − p) the k-th entry
  // p_k(1 − p_k) vanishes at margin 40, in the gradient and in every adjoint (so in the activations' curvature too).
  const k = 3;
  for (const act of [softplus(3), swish(2), gelu()]) {
    for (const margin of [0, 5, 40, 400]) {
      it(`${act.name} margin ${margin}: value, gradient (1e-12), Hessian and Hessian-vector products (1e-6) equal the reference`, () => {
        const model = referenceModel(withLogitsAt(net.withActivation(act), x0, logitsWithMargin(4, k, margin)));
        const target = { softmax: k };
        const reference = (x: ArrayLike<number>) => softmaxGradientReference((j) => model.oracle({ output: j }), 4, x, k);
        const ref = reference(x0);
        const refHessian = centralDifferenceHessian((x) => reference(x).gradient, x0, H);
        const { values, gradients, hessians } = model.hessians(x0, 1, target);
        for (const v of [...values, ...gradients, ...hessians]) expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(values[0] - ref.value) / ref.value).toBeLessThan(1e-12);
        expect(relativeError(gradients, ref.gradient)).toBeLessThan(1e-12);
        expect(relativeError(hessians, refHessian)).toBeLessThanOrEqual(1e-6);
        const eye = new Float64Array(36);
        for (let i = 0; i < 6; i++) eye[i * 7] = 1;
        expect(relativeError(model.hessianVectorProducts(x0, eye, 6, target).products, refHessian)).toBeLessThanOrEqual(1e-6);
        // and the Hessian equals central differences of the model's own exact gradient
        const fd = centralDifferenceHessian((x) => model.oracle(target).evaluate(x, 1).gradients, x0, H);
        expect(relativeError(hessians, fd)).toBeLessThanOrEqual(1e-6);
      });
    }
  }
});

describe("vanilla (ReLU) Hessians", () => {
  const model = referenceModel(net);
  it("SoftMax probability and cross-entropy equal finite differences of the exact gradient", () => {
    for (const target of [{ softmax: 0 }, { softmax: 3 }, { crossEntropy: 1 }] as SurrogateTarget[]) {
      const oracle = model.oracle(target);
      const fd = centralDifferenceHessian((x) => oracle.evaluate(x, 1).gradients, x0, 1e-6);
      const { hessians } = model.hessians(x0, 1, target);
      expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-3);
      expect(relativeError(hessians, fd)).toBeLessThanOrEqual(1e-6);
      expect(asymmetry(hessians, 6)).toBe(0);
    }
  });

  it("logits and neurons of a ReLU network have a zero Hessian", () => {
    for (const target of [{ output: 1 }, { layer: 3, unit: 2 }] as SurrogateTarget[]) {
      expect(Math.max(...model.hessians(x0, 1, target).hessians.map(Math.abs))).toBe(0);
    }
  });
});

describe("gradients", () => {
  it("equal the oracle package's backpropagation for the targets both know", () => {
    const smooth = net.withActivation(swish(3));
    const model = referenceModel(smooth);
    for (const target of [{ output: 0 }, { softmax: 2 }, { layer: 2, unit: 3 }]) {
      const ours = model.oracle(target).evaluate(x0, 1);
      const theirs = networkOracle(smooth, target).evaluate(x0, 1);
      expect(relativeError(ours.gradients, theirs.gradients)).toBeLessThan(1e-14);
      expect(ours.values[0]).toBeCloseTo(theirs.values[0], 14);
    }
  });

  it("the cross-entropy value is −log softmax and its gradient matches finite differences", () => {
    const model = referenceModel(net.withActivation(softplus(3)));
    const ce = model.oracle({ crossEntropy: 2 });
    const p2 = model.oracle({ softmax: 2 }).evaluate(x0, 1).values[0];
    expect(ce.evaluate(x0, 1).values[0]).toBeCloseTo(-Math.log(p2), 13);
    const fd = centralDifferenceGradient((x) => ce.evaluate(x, 1).values[0], x0, 1e-6);
    expect(relativeError(ce.evaluate(x0, 1).gradients, fd)).toBeLessThan(1e-8);
  });

  it("the logit Jacobian has the logits' gradients as rows", () => {
    const model = referenceModel(net.withActivation(gelu()));
    const { logits, jacobian } = model.logitJacobian(x0);
    for (let k = 0; k < 4; k++) {
      const g = model.oracle({ output: k }).evaluate(x0, 1);
      expect(logits[k]).toBeCloseTo(g.values[0], 14);
      expect(relativeError(jacobian.subarray(k * 6, (k + 1) * 6), g.gradients)).toBeLessThan(1e-14);
    }
  });
});

describe("Hessian-vector products", () => {
  const model = referenceModel(net.withActivation(softplus(5)));
  it("equal the dense Hessian times each direction, and V = I reproduces the Hessian (two independent algorithms)", () => {
    for (const target of TARGETS) {
      const { hessians } = model.hessians(x0, 1, target);
      const eye = new Float64Array(36);
      for (let i = 0; i < 6; i++) eye[i * 7] = 1;
      const all = model.hessianVectorProducts(x0, eye, 6, target);
      expect(relativeError(all.products, hessians)).toBeLessThan(1e-12);
      const v = normalVector(9, 2 * 6);
      const { products } = model.hessianVectorProducts(x0, v, 2, target);
      for (let r = 0; r < 2; r++) {
        for (let i = 0; i < 6; i++) {
          let s = 0;
          for (let j = 0; j < 6; j++) s += hessians[i * 6 + j] * v[r * 6 + j];
          expect(products[r * 6 + i]).toBeCloseTo(s, 12);
        }
      }
    }
  });

  it("are symmetric: uᵀ(Hv) = vᵀ(Hu)", () => {
    const u = normalVector(1, 6);
    const v = normalVector(2, 6);
    const both = Float64Array.from([...u, ...v]);
    const { products } = model.hessianVectorProducts(x0, both, 2, { softmax: 0 });
    let uhv = 0;
    let vhu = 0;
    for (let i = 0; i < 6; i++) {
      uhv += u[i] * products[6 + i];
      vhu += v[i] * products[i];
    }
    expect(Math.abs(uhv - vhu)).toBeLessThan(1e-14 * (Math.abs(uhv) + 1));
  });

  it("of zero directions are empty", () => {
    expect(model.hessianVectorProducts(x0, new Float64Array(0), 0, { output: 0 }).products.length).toBe(0);
  });
});

describe("β → ∞", () => {
  // A generic point: every hidden pre-activation is at least `margin` away from the ReLU kink.
  const reluModel = referenceModel(net);
  const pre = net.forward(x0);
  const margin = Math.min(...pre.slice(0, -1).flatMap((z) => [...z].map(Math.abs)));

  for (const family of [softplus, swish]) {
    it(`the ${family(1).name} gradient approaches the ReLU gradient at a generic point`, () => {
      expect(margin).toBeGreaterThan(0.01);
      const target = { output: 1 };
      const exact = reluModel.oracle(target).evaluate(x0, 1);
      const errors = [1, 10, 100, 1000, 1e4, 1e5].map((beta) => {
        const g = referenceModel(net.withActivation(family(beta))).oracle(target).evaluate(x0, 1);
        return relativeError(g.gradients, exact.gradients);
      });
      for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThanOrEqual(errors[i - 1]);
      expect(errors[0]).toBeGreaterThan(1e-2); // β = 1 is far from ReLU, so the limit is not trivial
      expect(errors[errors.length - 1]).toBeLessThan(1e-12); // e^{−β·margin} has vanished
    });
  }

  it("the SoftPlus and Swish values approach the ReLU value too", () => {
    const target = { layer: 3, unit: 1 };
    const exact = reluModel.oracle(target).evaluate(x0, 1).values[0];
    for (const family of [softplus, swish]) {
      const gaps = [1, 10, 100, 1e4].map((beta) =>
        Math.abs(referenceModel(net.withActivation(family(beta))).oracle(target).evaluate(x0, 1).values[0] - exact),
      );
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1] + 1e-15);
      expect(gaps[0]).toBeGreaterThan(1e-2);
      expect(gaps[3]).toBeLessThan(1e-12);
    }
  });
});

describe("errors", () => {
  const model = referenceModel(net.withActivation(softplus(2)));
  it("name the argument for bad batches, directions and targets", () => {
    expect(() => model.hessians(new Float64Array(5), 1, { output: 0 })).toThrowError(DimensionMismatchError);
    expect(() => model.hessians(new Float64Array(5), 1, { output: 0 })).toThrowError(/^points: expected length 6/);
    expect(() => model.hessians(x0, -1, { output: 0 })).toThrowError(/^n: expected an integer ≥ 0/);
    expect(() => model.hessians(x0, 1, { output: 4 })).toThrowError(/^target\.output: expected an integer in \[0, 3\], received 4/);
    expect(() => model.hessians(x0, 1, { layer: 4, unit: 0 })).toThrowError(/^target\.layer/);
    expect(() => model.hessians(x0, 1, { layer: 1, unit: 9 })).toThrowError(/^target\.unit: expected an integer in \[0, 8\]/);
    expect(() => model.hessians(x0, 1, { foo: 1 } as never)).toThrowError(InvalidArgumentError);
    expect(() => model.hessianVectorProducts(x0, new Float64Array(7), 1, { output: 0 })).toThrowError(/^directions: expected length 6/);
    expect(() => model.hessianVectorProducts([1, Number.NaN, 0, 0, 0, 0], new Float64Array(6), 1, { output: 0 })).toThrowError(/^x0: expected a finite number at every index, received NaN at index 1/);
    expect(() => model.logitJacobian([1, 2])).toThrowError(/^x0: expected length 6/);
    expect(() => model.oracle({ output: 0 }).evaluate(new Float64Array(6), 2)).toThrowError(/^points: expected length 12/);
  });

  it("refuse dense Hessians above the dense limit, pointing to Hessian-vector products", () => {
    const small = referenceModel(net, { denseLimit: 5 });
    expect(() => small.hessians(x0, 1, { softmax: 0 })).toThrowError(/hessianVectorProducts/);
    expect(() => referenceModel(net, { denseLimit: 0 })).toThrowError(/^options\.denseLimit/);
  });

  it("reports ReLU as the activation of the original and β of a surrogate", () => {
    const family = referenceSurrogates(net);
    expect(family.original.activation).toEqual({ name: "relu" });
    expect(family.surrogate({ name: "swish", beta: 3 }).activation).toEqual({ name: "swish", beta: 3 });
    expect(referenceModel(net.withActivation(relu)).hiddenSizes).toEqual([9, 8, 7]);
  });
});
