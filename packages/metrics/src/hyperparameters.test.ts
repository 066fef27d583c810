import { describe, expect, it } from "vitest";
import { AbortedError, InvalidArgumentError } from "@smoothhess/errors";
import { covariance, randomDenseNetwork, networkOracle, smoothedShallowRelu } from "@smoothhess/oracle";
import {
  ATTACK_RADII,
  BETA_GRIDS,
  BETAS_REPORTED_OUTSIDE_GRIDS,
  PERTURBATION_MSE_RADII,
  VARIANCE_GRIDS,
  gridUnion,
  paperGrid,
  perturbationMSE,
  selectHyperparameter,
  taylorModel,
  threeSigmaRule,
} from "./index.js";

describe("paperGrid: the [a : b : c] notation of App. E.2", () => {
  it("includes a, excludes b, and prints decimals as written", () => {
    expect(paperGrid(0.1, 1.0, 0.1)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]); // the paper's example
    expect(paperGrid(1, 20, 1)).toHaveLength(19);
    expect(paperGrid(0.0001, 0.0006, 0.0001)).toEqual([0.0001, 0.0002, 0.0003, 0.0004, 0.0005]);
    expect(gridUnion([3, 1], [2, 1], [0.1 + 0.2])).toEqual([0.3, 1, 2, 3]);
  });

  it("rejects grids the notation does not allow", () => {
    expect(() => paperGrid(1, 1, 0.1)).toThrowError(/b: expected a finite number > a = 1/);
    expect(() => paperGrid(0, 1, 0)).toThrowError("c: expected a finite number > 0, received 0");
    expect(() => paperGrid(0, 1, 0.3)).toThrowError(/c: expected a step that divides b − a/);
    expect(() => paperGrid(Number.NaN, 1, 0.1)).toThrowError(InvalidArgumentError);
  });
});

describe("the paper's grids as presets (App. E.2)", () => {
  it("have the sizes and ends the notation gives", () => {
    const pm = BETA_GRIDS.perturbationMSE.mnist;
    expect(pm).toHaveLength(9 + 19 + 15 + 70);
    expect([pm[0], pm[pm.length - 1]]).toEqual([0.1, 790]);
    expect(BETA_GRIDS.perturbationMSE.fmnist).toBe(pm);
    const pc = BETA_GRIDS.perturbationMSE.cifar10;
    expect(pc).toHaveLength(9 + 38 + 15 + 70);
    expect(pc).toContain(19.5);
    expect(BETA_GRIDS.attack.mnist).toHaveLength(19 + 16 + 11);
    expect(BETA_GRIDS.attack.mnist[BETA_GRIDS.attack.mnist.length - 1]).toBe(200);
    expect(BETA_GRIDS.attack.cifar10).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 35, 40]);
    expect(VARIANCE_GRIDS.attack.mnist).toHaveLength(2 + 9 + 17);
    expect(VARIANCE_GRIDS.attack.cifar10).toEqual([5e-5, 7.5e-5, 1e-4, 2e-4, 3e-4, 4e-4, 5e-4, 7.5e-4, 0.001, 0.002, 0.003, 0.004, 0.005]);
    expect(PERTURBATION_MSE_RADII).toEqual([0.25, 0.5, 1]);
    expect(ATTACK_RADII.cifar10).toEqual([0.1, 0.2, 0.3, 0.4, 1]);
    expect(Object.isFrozen(pm)).toBe(true);
    for (const grid of [pm, pc, BETA_GRIDS.attack.mnist, VARIANCE_GRIDS.attack.mnist]) {
      for (let i = 1; i < grid.length; i++) expect(grid[i]).toBeGreaterThan(grid[i - 1]);
    }
  });

  it("are the unions of App. E.2's segments: each [a : b : c] from a by c up to b − c, b itself left out", () => {
    // [a, b, c] as printed in App. E.2; a segment's values are the grid's values in [a, b)
    const segments: [readonly number[], [number, number, number][]][] = [
      [BETA_GRIDS.perturbationMSE.mnist, [[0.1, 1, 0.1], [1, 20, 1], [20, 95, 5], [100, 800, 10]]],
      [BETA_GRIDS.perturbationMSE.cifar10, [[0.1, 1, 0.1], [1, 20, 0.5], [20, 95, 5], [100, 800, 10]]],
      [BETA_GRIDS.attack.mnist, [[1, 20, 1], [20, 100, 5], [100, 210, 10]]],
      [BETA_GRIDS.attack.cifar10, [[1, 10, 1], [10, 45, 5]]],
      [VARIANCE_GRIDS.attack.mnist, [[0.01, 0.1, 0.01], [0.15, 1.0, 0.05]]],
      [VARIANCE_GRIDS.attack.cifar10, [[0.0001, 0.0006, 0.0001], [0.001, 0.006, 0.001]]],
    ];
    for (const [grid, parts] of segments) {
      for (const [a, b, c] of parts) {
        const inside = grid.filter((v) => v >= a && v < b);
        expect(inside[0]).toBe(a);
        expect(inside[inside.length - 1]).toBeCloseTo(b - c, 12);
        expect(inside).toHaveLength(Math.round((b - a) / c));
        for (let i = 1; i < inside.length; i++) expect(inside[i] - inside[i - 1]).toBeCloseTo(c, 12);
        // b is a value only where the next segment starts at it (the inclusive reading would add e.g. 95, 800, 210, 45)
        if (!parts.some(([next]) => next === b)) expect(grid).not.toContain(b);
      }
    }
  });

  it("with BETAS_REPORTED_OUTSIDE_GRIDS, contain every value Tables 3 and 4 report selecting, and nothing more is listed", () => {
    // Table 4 (attacks): σ² of SH+SG and SG, β of SP (H+G) and SP G
    const attackVariances = {
      mnist: [1e-3, 5e-3, 3e-2, 5e-2, 1.5e-1, 1e-3, 5e-3, 2e-2, 6e-2, 8e-2],
      fmnist: [1e-3, 4e-2, 3e-2, 8e-2, 3e-2, 5e-3, 4e-2, 8e-2, 1.5e-1, 3e-1],
      cifar10: [5e-5, 1e-4, 4e-4, 4e-4, 7.5e-4, 5e-5, 3e-4, 5e-4, 7.5e-4, 3e-3],
    };
    const attackBetas = { mnist: [8, 18, 17, 10, 6, 10, 12, 10, 11, 3], fmnist: [20, 25, 13, 9, 6, 30, 9, 11, 8, 3], cifar10: [5, 4, 3, 2, 2, 5, 4, 3, 2, 2] };
    // Table 3 (P_MSE): β of SP (H+G), SP G, SW (H+G), SW G; class logit then internal neuron, ε = 0.25, 0.5, 1
    const pmseBetas = {
      mnist: [400, 200, 95, 400, 200, 100, 390, 200, 100, 400, 200, 100, 190, 95, 55, 190, 95, 50, 190, 95, 55, 190, 95, 50],
      fmnist: [350, 160, 75, 360, 190, 95, 390, 180, 95, 360, 190, 95, 170, 80, 45, 170, 90, 45, 180, 100, 65, 170, 90, 50],
      cifar10: [11.5, 6, 3.5, 11, 6, 4, 14, 8, 4, 16, 7, 4, 8.5, 8.5, 8.5, 11, 11, 11, 8.5, 8.5, 8.5, 11, 11, 11],
    };
    const outside = (grid: readonly number[], reported: number[]) => [...new Set(reported.filter((v) => !grid.includes(v)))].sort((x, y) => x - y);
    for (const set of ["mnist", "fmnist", "cifar10"] as const) {
      for (const v of attackVariances[set]) expect(VARIANCE_GRIDS.attack[set]).toContain(v);
      expect(BETAS_REPORTED_OUTSIDE_GRIDS.attack[set]).toEqual(outside(BETA_GRIDS.attack[set], attackBetas[set]));
      expect(BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE[set]).toEqual(outside(BETA_GRIDS.perturbationMSE[set], pmseBetas[set]));
      const withReported = gridUnion(BETA_GRIDS.perturbationMSE[set], BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE[set]);
      for (const b of pmseBetas[set]) expect(withReported).toContain(b);
    }
    // the one disagreement between App. E.2 and Table 3: β = 95, outside [20 : 95 : 5] (b excluded)
    expect(BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist).toEqual([95]);
    expect(BETA_GRIDS.perturbationMSE.mnist).not.toContain(95);
    expect(gridUnion(BETA_GRIDS.perturbationMSE.mnist, BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist)).toHaveLength(114);
    expect(Object.isFrozen(BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE)).toBe(true);
    expect(Object.isFrozen(BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist)).toBe(true);
  });
});

describe("threeSigmaRule (Sec. 5.1, App. E.2.1)", () => {
  it("returns ε/(2√d), 3ε/(4√d), ε/√d", () => {
    expect(threeSigmaRule(1, 4)).toEqual([0.25, 0.375, 0.5]);
    const [a, b, c] = threeSigmaRule(0.3, 784);
    expect([a, b, c]).toEqual([0.3 / 56, (0.3 * 3) / 112, 0.3 / 28].map((v) => expect.closeTo(v, 15)));
  });

  it("reproduces the σ² the paper selected for the MNIST class logit (Table 3: 4.5e-5, 1.8e-4, 7.2e-4)", () => {
    const chosen = [4.5e-5, 1.8e-4, 7.2e-4];
    PERTURBATION_MSE_RADII.forEach((eps, i) => {
      const variances = threeSigmaRule(eps, 784).map((s) => Number((s * s).toPrecision(2)));
      expect(variances).toContain(chosen[i]);
    });
  });

  it("rejects ε ≤ 0 and bad dimensions", () => {
    expect(() => threeSigmaRule(0, 10)).toThrowError("epsilon: expected a finite number > 0, received 0");
    expect(() => threeSigmaRule(1, 0)).toThrowError("dim: expected an integer ≥ 1, received 0");
  });
});

describe("selectHyperparameter", () => {
  it("returns the best mean score and the whole validation curve with standard errors", async () => {
    const validation = [0, 1, 2, 3];
    const result = await selectHyperparameter({
      candidates: [0.5, 1.5, 2.5],
      validation,
      score: (c, p) => (c - 1.4) ** 2 + p, // same offset for every candidate: the best is 1.5
    });
    expect(result.best).toBe(1.5);
    expect(result.bestIndex).toBe(1);
    expect(result.bestScore).toBeCloseTo(0.01 + 1.5, 14);
    expect(result.curve.map((p) => p.value)).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(result.curve[0].scores)).toEqual([0, 1, 2, 3].map((p) => expect.closeTo(0.81 + p, 14)));
    expect(result.curve[0].standardError).toBeCloseTo(Math.sqrt(5 / 3 / 4), 14);
  });

  it("maximises on request, keeps the first candidate on ties, accepts async scores", async () => {
    const max = await selectHyperparameter({ candidates: [1, 3, 2], validation: ["a"], score: async (c) => c, goal: "maximize" });
    expect(max.best).toBe(3);
    expect(Number.isNaN(max.curve[0].standardError)).toBe(true);
    const tie = await selectHyperparameter({ candidates: [4, 5, 6], validation: [1, 2], score: () => 1 });
    expect(tie.best).toBe(4);
  });

  it("selects σ for SmoothGrad + SmoothHess by P_MSE on a shallow ReLU network (exact smoothed derivatives)", async () => {
    const d = 4;
    const net = randomDenseNetwork([d, 12, 1], { seed: 21, biasScale: 0.4 });
    const oracle = networkOracle(net);
    const validation = [Float64Array.of(0.3, -0.2, 0.5, 0.1), Float64Array.of(-0.4, 0.1, 0.2, 0.6)];
    const eps = 0.8;
    const candidates = threeSigmaRule(eps, d);
    const result = await selectHyperparameter({
      candidates,
      validation,
      score: async (sigma, x0) => {
        const exact = smoothedShallowRelu(net, x0, covariance({ sigma }, d));
        const value = oracle.evaluate(x0, 1).values[0];
        const model = taylorModel({ value, gradient: exact.gradient, hessian: exact.hessian, x0 });
        return (await perturbationMSE(oracle, model, { radius: eps, samples: 400, seed: 1 })).mean;
      },
    });
    expect(result.curve).toHaveLength(3);
    const means = result.curve.map((p) => p.mean);
    expect(result.bestScore).toBe(Math.min(...means));
    expect(result.best).toBe(candidates[means.indexOf(Math.min(...means))]);
  });

  it("rejects bad searches and non-finite scores with typed errors", async () => {
    await expect(selectHyperparameter({ candidates: [], validation: [1], score: () => 0 })).rejects.toThrowError(/search\.candidates: expected a non-empty array/);
    await expect(selectHyperparameter({ candidates: [Number.NaN], validation: [1], score: () => 0 })).rejects.toThrowError(/search\.candidates\[0\]/);
    await expect(selectHyperparameter({ candidates: [1], validation: [], score: () => 0 })).rejects.toThrowError(/search\.validation/);
    await expect(selectHyperparameter({ candidates: [1, 2], validation: [1, 2], score: (c, p) => (c === 2 && p === 2 ? Number.NaN : 0) })).rejects.toThrowError(
      "search.score: expected a finite number for every candidate and point, received NaN for candidate 2 at validation point 1",
    );
    await expect(selectHyperparameter({ candidates: [1], validation: [1], score: () => 0, goal: "best" as never })).rejects.toThrowError(/search\.goal/);
    const controller = new AbortController();
    controller.abort();
    await expect(selectHyperparameter({ candidates: [1], validation: [1], score: () => 0, signal: controller.signal })).rejects.toThrowError(AbortedError);
  });
});
