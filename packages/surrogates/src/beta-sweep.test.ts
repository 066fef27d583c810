import { AbortedError } from "@smoothhess/errors";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { betaSweep } from "./beta-sweep.js";
import { referenceWeights } from "./reference-second-order.js";
import { referenceSurrogates } from "./reference-surrogates.js";
import { normalVector } from "./test-support.js";

const relu = randomDenseNetwork([5, 8, 6, 3], { seed: 2 });
const net = referenceSurrogates(relu);
const x0 = normalVector(8, 5);

describe("betaSweep", () => {
  it("yields, for every β, exactly what the surrogate at that β answers", async () => {
    const betas = [0.5, 2, 40];
    const seen: number[] = [];
    for await (const step of betaSweep(net, x0, { softmax: 1 }, { betas, activation: "swish" })) {
      seen.push(step.beta);
      expect(step.model.activation).toEqual({ name: "swish", beta: step.beta });
      const direct = net.surrogate({ name: "swish", beta: step.beta }).hessians(x0, 1, { softmax: 1 });
      expect([...step.hessian]).toEqual([...direct.hessians]);
      expect([...step.gradient]).toEqual([...direct.gradients]);
      expect(step.value).toBe(direct.values[0]);
    }
    expect(seen).toEqual(betas);
  });

  it("shares the weights and their transposes across β instead of rebuilding them", () => {
    const shared = referenceWeights(relu);
    for (const beta of [1, 10, 100]) {
      const model = net.surrogate({ name: "softplus", beta });
      expect(model.network.layers).toBe(relu.layers); // same weight arrays, no copy
      expect(referenceWeights(model.network)).toBe(shared); // transposes computed once
    }
  });

  it("checks every β before doing any work and names the bad one", async () => {
    const sweep = betaSweep(net, x0, { output: 0 }, { betas: [1, 0, 3] });
    await expect(sweep.next()).rejects.toThrowError(/^options\.betas\[1\]: expected a finite number > 0, received 0/);
    await expect(betaSweep(net, x0, { output: 0 }, { betas: [] }).next()).rejects.toThrowError(/^options\.betas:/);
    await expect(betaSweep(net, x0, { output: 0 }, { betas: [1], activation: "gelu" as never }).next()).rejects.toThrowError(/^options\.activation/);
    await expect(betaSweep(net, [1], { output: 0 }, { betas: [1] }).next()).rejects.toThrowError(/^x0: expected length 5/);
  });

  it("stops between two values of β when its signal fires", async () => {
    const controller = new AbortController();
    const sweep = betaSweep(net, x0, { output: 0 }, { betas: [1, 2, 3], signal: controller.signal });
    await sweep.next();
    controller.abort("enough");
    const err = await sweep.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as AbortedError).completed).toBe(1);
  });
});
