import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { denseNetwork, gelu, randomDenseNetwork, resolveTarget, valueAndGradient } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { denseNetworkGradientBound } from "./network-gradient-bound.js";

describe("denseNetworkGradientBound", () => {
  it("is above every gradient norm reached on random and far-out points", () => {
    for (const sizes of [[3, 8, 1], [6, 20, 10, 2], [5, 16, 16, 16, 1]]) {
      const net = randomDenseNetwork(sizes, { seed: sizes.length, biasScale: 0.5 });
      for (let output = 0; output < net.outputDim; output++) {
        const bound = denseNetworkGradientBound(net, { output });
        const target = resolveTarget(net, { output });
        const rng = gaussianSampler(output + 1);
        const x = new Float64Array(sizes[0]), g = new Float64Array(sizes[0]);
        let largest = 0;
        for (let p = 0; p < 3000; p++) {
          rng.fillNormal(x);
          const scale = p % 3 === 0 ? 10 : 1;
          for (let i = 0; i < x.length; i++) x[i] *= scale;
          valueAndGradient(net, target, x, g);
          largest = Math.max(largest, Math.hypot(...g));
        }
        expect(largest).toBeLessThanOrEqual(bound);
        expect(largest).toBeGreaterThan(0);
      }
    }
  });

  it("is exact for one unit, and uses the spectral norm (not Frobenius) of a layer", () => {
    const one = denseNetwork([{ weights: [3, 4], bias: [0] }, { weights: [2], bias: [0] }]);
    expect(denseNetworkGradientBound(one)).toBeCloseTo(10, 12);
    // two hidden layers: W₁ = diag(2, 1) (‖·‖₂ = 2), W₂ = I, top row (1, 1): bound 2·1·√2
    const deep = denseNetwork([
      { weights: [2, 0, 0, 1], bias: [0, 0] },
      { weights: [1, 0, 0, 1], bias: [0, 0] },
      { weights: [1, 1], bias: [0] },
    ]);
    expect(denseNetworkGradientBound(deep)).toBeCloseTo(2 * Math.SQRT2, 9);
  });

  it("asks for the slope of activations other than ReLU and SoftPlus, and checks the output index", () => {
    const net = randomDenseNetwork([2, 3, 1], { activation: gelu() });
    expect(() => denseNetworkGradientBound(net)).toThrow(/options.activationSlope/);
    expect(denseNetworkGradientBound(net, { activationSlope: 1.13 })).toBeGreaterThan(0);
    expect(() => denseNetworkGradientBound(randomDenseNetwork([2, 3, 1]), { output: 1 })).toThrow(InvalidArgumentError);
  });
});
