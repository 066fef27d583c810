import * as tf from "@tensorflow/tfjs-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActivationSpec } from "./activation-ops.js";
import { activationDerivative, activationOps, applyActivation, checkActivation } from "./activation-ops.js";
import { useBackend } from "./backend.js";
import "./register-gradients.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const specs: ActivationSpec[] = [
  { name: "relu" },
  { name: "softplus", beta: 3 },
  { name: "swish", beta: 2 },
  { name: "gelu" },
];

function evalAt(f: (z: tf.Tensor) => tf.Tensor, xs: number[]): Float64Array {
  const out = tf.tidy(() => f(tf.tensor1d(xs)));
  const v = Float64Array.from(out.dataSync());
  out.dispose();
  return v;
}

describe("activation derivatives (used by the fast backward pass)", () => {
  it("equal central differences of the activation itself away from ReLU's kink (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => Math.abs(x) > 0.05), (x) => {
        for (const spec of specs) {
          const h = 1e-2;
          const [up, down] = evalAt((z) => applyActivation(z, spec), [x + h, x - h]);
          const fd = (up - down) / (2 * h);
          const [d] = evalAt((z) => activationDerivative(z, spec), [x]);
          // central-difference truncation error h²/6·|φ‴| is < 1e-3 here; float32 rounding ~1e-7/h
          expect(Math.abs(d - fd)).toBeLessThan(2e-3);
        }
      }),
      { numRuns: 50, seed: 3 },
    );
  });

  it("match tf.grad of the activation (relu′(0) = 0 like tfjs)", () => {
    const xs = [-2, -0.3, 0, 0.4, 1.7];
    for (const spec of specs) {
      const g = tf.tidy(() => tf.grad((z: tf.Tensor) => tf.sum(applyActivation(z, spec)))(tf.tensor1d(xs)));
      const auto = Array.from(g.dataSync());
      g.dispose();
      const mine = Array.from(evalAt((z) => activationDerivative(z, spec), xs));
      mine.forEach((v, i) => expect(v).toBeCloseTo(auto[i], 5));
    }
  });

  it("curvature equals central differences of the slope, with β as a number or a scalar tensor (fast-check)", () => {
    fc.assert(
      fc.property(fc.double({ min: -4, max: 4, noNaN: true }).filter((x) => Math.abs(x) > 0.05), (x) => {
        for (const spec of specs) {
          const h = 1e-2;
          for (const beta of [spec.beta ?? 1, tf.scalar(spec.beta ?? 1)]) {
            const ops = activationOps(spec, beta);
            const [up, down] = evalAt((z) => ops.slope(z), [x + h, x - h]);
            const [c] = evalAt((z) => ops.curvature(z), [x]);
            expect(Math.abs(c - (up - down) / (2 * h))).toBeLessThan(5e-3);
            if (typeof beta !== "number") beta.dispose();
          }
        }
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it("validates specs", () => {
    expect(checkActivation("a", { name: "softplus", beta: 2, extra: 1 })).toEqual({ name: "softplus", beta: 2 });
    expect(() => checkActivation("a", { name: "swish", beta: -1 })).toThrowError("a.beta: expected a finite number > 0, received -1");
    expect(() => checkActivation("a", null)).toThrowError(/^a: expected/);
  });
});
