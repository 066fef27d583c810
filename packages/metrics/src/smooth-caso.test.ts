import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "@smoothhess/errors";
import { networkOracle, randomDenseNetwork } from "@smoothhess/oracle";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import { cafo, caso, smoothCafo, smoothCaso } from "./index.js";
import { euclidean, solveDense } from "./test-support.js";

const net = randomDenseNetwork([5, 12, 12, 3], { seed: 8 });
const x0 = Float64Array.of(0.3, -0.5, 0.2, 0.9, -0.1);
const logits = net.forward(x0)[2];
const label = logits.indexOf(Math.max(...logits));
const lossOracle = networkOracle(net, { crossEntropy: label }); // −log softmax(f(x))_label and its exact gradient
const stein = { covariance: { sigma: 0.15 }, samples: 2000, seed: 3 } as const;

describe("smoothCaso: CASO on SmoothGrad and SmoothHess of the loss (SmoothHess paper App. D.1.1)", () => {
  it("is exactly CASO applied to the Stein estimates of the loss's derivatives", async () => {
    const result = await smoothCaso(lossOracle, x0, { ...stein, lambda1: 0.01 });
    const estimate = await smoothHess(lossOracle, x0, stein);
    const direct = caso({ gradient: estimate.gradient, hessian: estimate.hessian }, { lambda1: 0.01 });
    expect(Array.from(result.explanation)).toEqual(Array.from(direct.explanation));
    expect(Array.from(result.smoothGradient)).toEqual(Array.from(estimate.gradient));
    expect(result.samples).toBe(2000);
  });

  it("with λ₁ = 0 is (2λ₂I − Ĥ)⁻¹Ĝ, the closed form on the smoothed loss", async () => {
    const result = await smoothCaso(lossOracle, x0, stein);
    const h = result.smoothHessian as Float64Array;
    const d = 5;
    const want = solveDense(Float64Array.from(h, (v, k) => (k % (d + 1) === 0 ? 2 * result.lambda2 : 0) - v), result.smoothGradient);
    expect(euclidean(result.explanation.map((v, i) => v - want[i])) / euclidean(want)).toBeLessThan(1e-10);
  });

  it("gives the same explanation with a factored SmoothHess (never d×d)", async () => {
    const dense = await smoothCaso(lossOracle, x0, { ...stein, lambda1: 0.02 });
    const factored = await smoothCaso(lossOracle, x0, { ...stein, lambda1: 0.02, hessianForm: "factored" });
    expect(factored.smoothHessian).not.toBeInstanceOf(Float64Array);
    expect(factored.largestEigenvalue).toBeCloseTo(dense.largestEigenvalue, 9);
    expect(euclidean(factored.explanation.map((v, i) => v - dense.explanation[i])) / euclidean(dense.explanation)).toBeLessThan(1e-9);
  });

  it("smoothCafo is CAFO on SmoothGrad of the loss", async () => {
    const result = await smoothCafo(lossOracle, x0, { ...stein, lambda1: 0.01, lambda2: 3 });
    const { gradient } = await smoothGrad(lossOracle, x0, stein);
    expect(Array.from(result.explanation)).toEqual(Array.from(cafo({ gradient }, { lambda1: 0.01, lambda2: 3 }).explanation));
  });

  it("passes on the estimators' and CASO's typed errors", async () => {
    await expect(smoothCaso(lossOracle, x0, { samples: 10 } as never)).rejects.toThrowError(/options\.covariance/);
    await expect(smoothCaso(lossOracle, x0, { ...stein, hessianForm: "sparse" as never })).rejects.toThrowError(/options\.hessianForm/);
    await expect(smoothCaso(lossOracle, x0, { ...stein, lambda1: -1 })).rejects.toThrowError(/options\.lambda1/);
    await expect(smoothCafo(lossOracle, x0, stein)).rejects.toThrowError(/options\.lambda2/);
    await expect(smoothCaso(lossOracle, [1, 2], stein)).rejects.toThrowError(InvalidArgumentError);
  });
});
