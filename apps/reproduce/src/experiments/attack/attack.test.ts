import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Experiment, RunOptions } from "../../experiment.js";
import { runExperiment } from "../../run-experiment.js";
import { ATTACK_METHODS } from "../../paper-numbers/paper-layout.js";
import { UsageError } from "../../usage-error.js";
import type { AttackConfig } from "./config.js";
import { attackExperiment } from "./experiment.js";
import { SimulatedInterrupt, uninterruptedAndResumed, unshardedAndMerged } from "../resume-harness.test-helper.js";
import { IMAGE_DATA_SOURCES } from "../../image-classifier-task.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

/** Small enough for a unit test: 256 training examples, 1 validation and 1 test point, 64 gradient samples. */
const tiny: AttackConfig = {
  ...(attackExperiment.configure(options)),
  seed: 6,
  datasets: ["mnist"],
  models: { mnist: { dataset: "mnist", data: IMAGE_DATA_SOURCES.mnist, seed: 6, backend: "wasm", epochs: 1, trainExamples: 256 } },
  radii: [0.5, 1.75],
  validationPoints: 1,
  testPoints: 1,
  samples: 64,
  variances: [0.05],
  betas: [10],
};

describe("attack", () => {
  it("resumes after an interrupt with results identical to an uninterrupted run", async () => {
    // The 2 validation items (one σ², one β) are computed; the interrupt hits the test point.
    const { uninterrupted, resumed, interruptedError, itemsBeforeInterrupt } = await uninterruptedAndResumed(attackExperiment, tiny, 2);
    expect(interruptedError).toBeInstanceOf(SimulatedInterrupt);
    expect(itemsBeforeInterrupt).toBe(2);
    expect(resumed).toBe(uninterrupted);
    const { accuracy, points } = JSON.parse(uninterrupted).datasets[0];
    expect(points).toHaveLength(1);
    for (const method of ATTACK_METHODS) for (const a of accuracy[method].value) expect([0, 1]).toContain(a);
  }, 180_000); // ~20 s on a quiet machine; generous for shared cores

  it("two shards merged over two rounds give the unsharded numbers; round 1 computes only each shard's validation point", async () => {
    // --test-points first here (the resume test above has the seeded draw): the merge attacks the test set's first rows
    const config: AttackConfig = { ...tiny, validationPoints: 2, testPoints: 2, testPointOrder: "first" };
    const { unsharded, merged, rounds, shardItemsAfterRoundOne } = await unshardedAndMerged(attackExperiment, config, 2);
    expect(JSON.parse(merged).datasets[0].testRows).toEqual([0, 1]);
    // validation point i (one σ² and one β item) belongs to shard i mod 2; the test points wait for round 2
    expect(shardItemsAfterRoundOne).toEqual([2, 2]);
    expect(rounds).toBe(2);
    expect(merged).toBe(unsharded);
  }, 180_000);

  it("--test-points first reuses the seeded run's validation items in the same --out and computes only its test points", async () => {
    const root = await mkdtemp(join(tmpdir(), "reproduce-attack-first-"));
    try {
      const run = (config: AttackConfig, out: string) => {
        const experiment: Experiment<AttackConfig> = { ...attackExperiment, configure: () => config };
        return runExperiment(experiment, { ...options, out });
      };
      const results = async (out: string) => JSON.parse(await readFile(join(root, out, "attack", "results.json"), "utf8"));
      const first: AttackConfig = { ...tiny, testPointOrder: "first" };
      await run(tiny, join(root, "a")); // the seeded run: 2 validation items (one σ², one β) and 1 test point
      await run(first, join(root, "a"));
      await run(first, join(root, "b")); // the same configuration from nothing
      const reused = await results("a"), fresh = await results("b");
      // each configuration has its own ledger: the run beside the seeded one computed its test point alone
      expect(reused.timings.allInvocations.itemsComputed).toBe(1);
      expect(fresh.timings.allInvocations.itemsComputed).toBe(3);
      expect(JSON.stringify(reused.results)).toBe(JSON.stringify(fresh.results));
      expect(reused.results.datasets[0].testRows).toEqual([0]);
      expect(await readFile(join(root, "a", "attack", "report.md"), "utf8")).toContain("Test points: the first 1 images of the official test set");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 180_000);

  it.each([
    [{ samples: 7 }, /--samples must be even/],
    [{ dataDir: "/no/such/directory" }, /--data-dir "\/no\/such\/directory" does not exist/],
  ])("rejects bad options %j with a one-line UsageError", (override, message) => {
    const attempt = () => attackExperiment.configure({ ...options, ...override });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it("follows the paper's sizes and grids with --full", () => {
    const full = attackExperiment.configure({ ...options, preset: "full" });
    expect([full.validationPoints, full.testPoints, full.samples, full.energy]).toEqual([200, 400, 100_000, 0.98]);
    expect(full.normals).toBe("ziggurat");
    expect(full.radii).toEqual([0.25, 0.5, 0.75, 1.25, 1.75]);
    expect([full.variances.length, full.betas.length]).toEqual([28, 46]);
    // pinned: the checkpoint fingerprint of resumable --full runs covers these lists (numbers and order)
    const step = (a: number, b: number, c: number) => Array.from({ length: Math.round((b - a) / c) }, (_, i) => Number((a + i * c).toPrecision(12)));
    expect(full.variances).toEqual([0.001, 0.005, ...step(0.01, 0.1, 0.01), ...step(0.15, 1, 0.05)]);
    expect(full.betas).toEqual([...step(1, 20, 1), ...step(20, 100, 5), ...step(100, 210, 10)]);
    const quick = attackExperiment.configure(options);
    expect([quick.variances, quick.betas]).toEqual([[0.01, 0.1], [5, 20]]);
  });
});
