import { AbortedError } from "@smoothhess/errors";
import { randomDenseNetwork } from "@smoothhess/oracle";
import { describe, expect, it } from "vitest";
import { betaSweep } from "./beta-sweep.js";
import { paperBetaGrid } from "./beta-grid.js";
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

describe("paperBetaGrid (SmoothHess App. D)", () => {
  it("has the paper's 100+ values for P_MSE and the attack grids, sorted and unique", () => {
    const mnist = paperBetaGrid("pmse-mnist");
    expect(mnist.length).toBe(115);
    expect(mnist.slice(0, 11)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2]);
    expect(mnist.at(-1)).toBe(800);
    expect(mnist).toContain(95);
    expect(mnist).not.toContain(96);
    const cifar = paperBetaGrid("pmse-cifar10");
    expect(cifar.length).toBe(115 + 19);
    expect(cifar).toContain(1.5);
    expect(paperBetaGrid("attack-mnist")).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210]);
    expect(paperBetaGrid("attack-cifar10")).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 35, 40, 45]);
    for (const grid of ["pmse-mnist", "pmse-cifar10", "attack-mnist", "attack-cifar10"] as const) {
      const g = paperBetaGrid(grid);
      for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
    }
    expect(() => paperBetaGrid("imagenet" as never)).toThrowError(/^grid:/);
  });
});
