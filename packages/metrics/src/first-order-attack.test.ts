import { describe, expect, it } from "vitest";
import { DimensionMismatchError } from "@smoothhess/errors";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { firstOrderAttack } from "./index.js";
import { euclidean, randomVector } from "./test-support.js";

describe("firstOrderAttack: δ = −ε·G/‖G‖", () => {
  it("steps against the gradient onto the sphere; predicted change −ε‖G‖", () => {
    const g = Float64Array.of(3, -4, 0);
    const attack = firstOrderAttack({ x0: [1, 1, 1], gradient: g, radius: 0.5 });
    expect(Array.from(attack.step)).toEqual([-0.3, 0.4, 0].map((v) => expect.closeTo(v, 15)));
    expect(Array.from(attack.point)).toEqual([0.7, 1.4, 1].map((v) => expect.closeTo(v, 15)));
    expect(euclidean(attack.step)).toBeLessThanOrEqual(0.5);
    expect(attack.taylorChange).toBeCloseTo(-2.5, 14);
  });

  it("with a zero gradient there is no direction: δ = 0", () => {
    const attack = firstOrderAttack({ x0: [0.2, 0.3], gradient: [0, 0], radius: 1 });
    expect(Array.from(attack.step)).toEqual([0, 0]);
    expect(Array.from(attack.point)).toEqual([0.2, 0.3]);
  });

  it("decreases the predicted-class SoftMax probability by ε‖∇p‖ to first order (exact gradient, small ε)", () => {
    const net = randomDenseNetwork([6, 12, 5], { seed: 4 });
    const x0 = randomVector(6, 5);
    const logits = net.forward(x0)[1];
    const k = logits.indexOf(Math.max(...logits));
    const oracle = networkOracle(net, { softmax: k });
    const { values, gradients } = oracle.evaluate(x0, 1);
    for (const eps of [1e-3, 1e-4]) {
      const { point, taylorChange } = firstOrderAttack({ x0, gradient: gradients, radius: eps });
      const actual = oracle.evaluate(point, 1).values[0] - values[0];
      expect(taylorChange).toBeCloseTo(-eps * euclidean(gradients), 15);
      // the remainder is O(ε²): relative error shrinks with ε
      expect(Math.abs(actual / taylorChange - 1)).toBeLessThan(eps * 50);
    }
  });

  it("rejects mismatched dimensions and bad radii", () => {
    expect(() => firstOrderAttack({ x0: [0, 0], gradient: [1, 2, 3], radius: 1 })).toThrowError(DimensionMismatchError);
    expect(() => firstOrderAttack({ x0: [0, 0], gradient: [1, 2], radius: 0 })).toThrowError("spec.radius: expected a finite number > 0, received 0");
    expect(() => firstOrderAttack({ x0: [0, 0], gradient: [1, Number.NaN], radius: 1 })).toThrowError(/spec\.gradient/);
  });
});
