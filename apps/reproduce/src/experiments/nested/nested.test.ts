import { describe, expect, it } from "vitest";
import { nestedInteractionsSmoothedHessianAtOrigin } from "@smoothhess/datasets";
import type { RunOptions } from "../../experiment.js";
import { logGrid } from "../../log-grid.js";
import { UsageError } from "../../usage-error.js";
import type { SmoothHessRow } from "./results.js";
import type { NestedConfig } from "./config.js";
import { nestedExperiment } from "./experiment.js";
import { summariseNested } from "./summary.js";
import { SimulatedInterrupt, uninterruptedAndResumed, unshardedAndMerged } from "../resume-harness.test-helper.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

/** 41×41 grid points, 81 training steps, three σ², 2,000 gradient samples: a few seconds. */
const tiny: NestedConfig = {
  ...(nestedExperiment.configure(options)),
  seed: 3,
  gridSpacing: 0.1,
  iterations: 60,
  sigma2: [1e-3, 1e-1, 1],
  samples: 2000,
  betas: [1, 100],
};

function truthRow(sigma2: number, offset = 0): SmoothHessRow {
  const h = nestedInteractionsSmoothedHessianAtOrigin(sigma2);
  return { sigma2, h11: h[0] + offset, h12: h[1] + offset, h22: h[3] + offset, h11StandardError: 0.01, h12StandardError: 0.01, h22StandardError: 0.01 };
}

describe("nested", () => {
  it("resumes after an interrupt with results identical to an uninterrupted run", async () => {
    const { uninterrupted, resumed, interruptedError, itemsBeforeInterrupt } = await uninterruptedAndResumed(nestedExperiment, tiny, 1);
    expect(interruptedError).toBeInstanceOf(SimulatedInterrupt);
    expect(itemsBeforeInterrupt).toBe(1);
    expect(resumed).toBe(uninterrupted);
    const results = JSON.parse(uninterrupted);
    expect(results.smoothHess.map((r: SmoothHessRow) => r.sigma2)).toEqual(tiny.sigma2);
    expect(results.softplus).toHaveLength(2);
    expect(results.trainingSteps).toBe(81); // ⌈60 / ⌈1681 / 64⌉⌉ = 3 epochs of 27 steps
    for (const row of results.smoothHess) {
      expect(row.h12StandardError).toBeGreaterThan(0);
      // a symmetric estimate: H₁₂ = H₂₁ is stored once; all entries finite
      expect([row.h11, row.h12, row.h22].every(Number.isFinite)).toBe(true);
    }
  }, 60_000);

  it("two shards merged give the unsharded numbers; each shard computes only its σ² (the shared toy-MLP sweep)", async () => {
    const { unsharded, merged, rounds, shardItemsAfterRoundOne } = await unshardedAndMerged(nestedExperiment, tiny, 2);
    expect(shardItemsAfterRoundOne).toEqual([2, 1]); // σ² 0 and 2 to shard 0, σ² 1 to shard 1
    expect(rounds).toBe(1);
    expect(merged).toBe(unsharded);
  }, 60_000);

  it("uses the paper's grids with --full, 200,000 iterations, and lets --points and --samples override", () => {
    const full = nestedExperiment.configure({ ...options, preset: "full" });
    expect([full.iterations, full.samples, full.sigma2.length, full.betas.length]).toEqual([200_000, 100_000, 71, 101]);
    expect(full.sigma2[0]).toBeCloseTo(1e-6, 18);
    expect(full.sigma2.at(-1)).toBeCloseTo(10, 12);
    expect([full.betas[0], full.betas.at(-1)]).toEqual([0.1, expect.closeTo(1e4, 8)]);
    const quick = nestedExperiment.configure({ ...options, points: 8, samples: 500 });
    expect([quick.sigma2.length, quick.samples]).toEqual([8, 500]);
  });

  it("rejects an odd --samples with a one-line UsageError", () => {
    const attempt = () => nestedExperiment.configure({ ...options, samples: 101 });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/--samples must be even/);
  });
});

describe("summariseNested", () => {
  const grid = logGrid(1e-6, 10, 22);

  it("finds full agreement and the exact transitions when SmoothHess equals the smoothed target", () => {
    const s = summariseNested(grid.map((x) => truthRow(x)), [{ beta: 1, h11: 0, h12: 0, h22: 0 }]);
    expect(s.smoothHessShareWithinTolerance).toBe(1);
    expect(s.agreementFrom).toBeCloseTo(1e-4, 12); // the first grid point of the comparison range
    expect(s.agreementFromByEntry.h12).toBeCloseTo(1e-4, 12);
    expect(s.byDecade.every((d) => d.maxError.h11 === 0 && d.maxError.h12 === 0 && d.maxError.h22 === 0)).toBe(true);
    // the sampled curve crosses where the exact one does, up to the interpolation error of a 3-per-decade grid
    expect(Math.log10(s.transitions.h11Half.smoothHess!)).toBeCloseTo(Math.log10(s.transitions.h11Half.target), 1);
    expect(Math.log10(s.transitions.h12Midway.smoothHess!)).toBeCloseTo(Math.log10(s.transitions.h12Midway.target), 1);
    // the exact target: H₁₁ = 0.5 near σ² = 0.057, H₁₂ = −2 near σ² = 0.27 (App. F.3's radii 0.6 and 1.2)
    expect(s.transitions.h11Half.target).toBeCloseTo(0.0574, 3);
    expect(s.transitions.h12Midway.target).toBeCloseTo(0.269, 2);
    // a constant SoftPlus Hessian (0, 0, 0) is within tolerance only where the target is too
    expect(s.softplusShareWithinTolerance).toBeLessThan(0.5);
  });

  it("narrows the agreement band to where the estimate is within ±0.25", () => {
    const rows = grid.map((x) => truthRow(x, x < 1e-2 ? -1 : 0.2));
    const s = summariseNested(rows, [{ beta: 1, h11: 0, h12: 0, h22: 0 }]);
    expect(s.agreementFrom).toBeCloseTo(grid.find((x) => x >= 1e-2)!, 12);
    expect(s.agreementFromByEntry.h22).toBeCloseTo(grid.find((x) => x >= 1e-2)!, 12);
    expect(s.smoothHessShareWithinTolerance).toBeCloseTo(6 / 12, 12); // grid points 1e-4 … 0.46: 12, of which 6 at ≥ 1e-2
  });
});
