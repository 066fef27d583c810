import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../experiment.js";
import type { MethodSensitivity, RobustnessResults } from "./compute.js";
import type { RobustnessConfig } from "./config.js";
import { robustnessExperiment } from "./experiment.js";
import { robustnessReport } from "./report.js";
import { unshardedAndMerged } from "../resume-harness.test-helper.js";
import { IMAGE_DATA_SOURCES } from "../../image-classifier-task.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

function method(maxDistance: number, noise = 0): MethodSensitivity {
  return { maxDistance, meanDistance: maxDistance / 2, maxTopK: 0.25, meanTopK: 0.1, estimatorNoise: noise };
}

describe("robustness", () => {
  it("shares the pmse/attack classifiers and lets --points and --samples override", () => {
    const quick = robustnessExperiment.configure(options) as RobustnessConfig;
    expect(quick.tasks.map((t) => t.dataset)).toEqual(["mnist", "fmnist"]);
    expect(quick.tasks[0].epochs).toBe(2);
    const full = robustnessExperiment.configure({ ...options, preset: "full", points: 3, samples: 2000 }) as RobustnessConfig;
    expect([full.points, full.samples, full.radii]).toEqual([3, 2000, [0.25, 0.5, 1]]);
  });

  it("reports cells above a bound as violations (the report computes, it does not assert)", () => {
    const config = robustnessExperiment.configure(options) as RobustnessConfig;
    const results: RobustnessResults = {
      datasets: [
        {
          dataset: "mnist",
          testAccuracy: 0.9,
          points: [{ testIndex: 0, label: 7 }],
          gradMaxCertified: 100,
          gradMaxObserved: 3,
          cells: [
            { sigma2: 0.01, radius: 0.25, saliency: method(2), smoothGrad: method(0.5, 0.1), smoothHess: method(4, 1), bounds: { smoothGradCertified: 10, smoothGradObserved: 1, smoothHessCertified: 50, smoothHessObserved: 3 } },
            { sigma2: 0.01, radius: 1, saliency: method(3), smoothGrad: method(0.8), smoothHess: method(2), bounds: { smoothGradCertified: 20, smoothGradObserved: 2, smoothHessCertified: 90, smoothHessObserved: 8 } },
          ],
        },
      ],
    };
    const report = robustnessReport(config, results, ["figure-robustness.png"]);
    expect(report).toContain("above the certified bounds: 0 of 2 cells; above the bounds with the observed gradient norm: 1 of 2");
    expect(report).toContain("reaches 133.3 % of its bound");
    expect(report).toContain("SmoothGrad moves less than saliency in 2 of 2 cells");
  });

  it("two shards merged give the unsharded numbers; each shard computes only its explained points", async () => {
    const quick = robustnessExperiment.configure(options) as RobustnessConfig;
    const tiny: RobustnessConfig = {
      ...quick,
      tasks: [{ dataset: "mnist", data: IMAGE_DATA_SOURCES.mnist, seed: 4, backend: "wasm", epochs: 1, trainExamples: 256 }],
      points: 3,
      samples: 32,
      sigma2: [0.1],
      radii: [0.5],
      neighbours: 2,
    };
    const { unsharded, merged, rounds, shardItemsAfterRoundOne } = await unshardedAndMerged(robustnessExperiment, tiny, 2);
    expect(shardItemsAfterRoundOne).toEqual([2, 1]); // points 0 and 2 to shard 0, point 1 to shard 1
    expect(rounds).toBe(1);
    expect(merged).toBe(unsharded);
  }, 120_000);
});
