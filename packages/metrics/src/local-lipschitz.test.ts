import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { covariance, randomDenseNetwork, smoothedShallowRelu } from "@smoothhess/oracle";
import { localLipschitzEstimate } from "./local-lipschitz.js";
import { denseNetworkGradientBound } from "./network-gradient-bound.js";
import { smoothHessLipschitzBound } from "./lipschitz-bounds.js";

describe("localLipschitzEstimate", () => {
  it("recovers ‖A‖₂ of a linear map from below, with its direction", async () => {
    // A = diag(3, 1, −0.5): constant 3 along e₁
    const map = (p: Float64Array) => [3 * p[0], p[1], -0.5 * p[2]];
    const r = await localLipschitzEstimate(map, [0.5, -1, 2], { radius: 1e-3, directions: 256, seed: 2 });
    expect(r.estimate).toBeLessThanOrEqual(3 * (1 + 1e-9));
    expect(r.estimate).toBeGreaterThan(2.9);
    expect(Math.abs(r.direction[0])).toBeGreaterThan(0.95);
    expect(Math.hypot(...r.direction)).toBeCloseTo(1, 12);
    expect(r.ratios.length).toBe(256);
  });

  it("SmoothHess of a random ReLU net (closed form): the estimate stays below the derived bound", async () => {
    const net = randomDenseNetwork([4, 12, 1], { seed: 8, biasScale: 1 });
    const sigma = 0.25;
    const cov = covariance({ sigma }, 4);
    const hessian = (p: Float64Array) => smoothedShallowRelu(net, p, cov).hessian;
    const r = await localLipschitzEstimate(hessian, [0.1, 0.2, -0.3, 0.4], { radius: 1e-4, directions: 64, shape: "matrix" });
    expect(r.estimate).toBeGreaterThan(0);
    expect(r.estimate).toBeLessThanOrEqual(smoothHessLipschitzBound({ gradMax: denseNetworkGradientBound(net) }, sigma));
  });

  it("rejects a radius ≤ 0 and a bad direction count", async () => {
    await expect(localLipschitzEstimate((p) => p, [1], { radius: 0 })).rejects.toThrow(/options.radius: expected a finite number > 0/);
    await expect(localLipschitzEstimate((p) => p, [1], { radius: 1, directions: 0 })).rejects.toThrow(InvalidArgumentError);
  });
});
