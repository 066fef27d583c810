import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { RunOptions } from "../../experiment.js";
import { UsageError } from "../../usage-error.js";
import type { PmseConfig } from "./config.js";
import { pmseExperiment } from "./experiment.js";
import { SimulatedInterrupt, uninterruptedAndResumed, unshardedAndMerged } from "../resume-harness.test-helper.js";
import { IMAGE_DATA_SOURCES } from "../../image-classifier-task.js";

const options: RunOptions = { preset: "quick", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true };

/** A configuration small enough for a unit test: 256 training examples, 2 + 2 points, 64 gradient samples. */
const tiny: PmseConfig = {
  ...(pmseExperiment.configure(options)),
  seed: 5,
  datasets: ["mnist"],
  models: { mnist: { dataset: "mnist", data: IMAGE_DATA_SOURCES.mnist, seed: 5, backend: "wasm", epochs: 1, trainExamples: 256 } },
  radii: [0.5],
  validationPoints: 2,
  testPoints: 2,
  samples: 64,
  validationBallSamples: 16,
  testBallSamples: 16,
  betas: [5, 50],
};

describe("pmse", () => {
  it("resumes after an interrupt with results identical to an uninterrupted run", async () => {
    const { uninterrupted, resumed, interruptedError, itemsBeforeInterrupt } = await uninterruptedAndResumed(pmseExperiment, tiny, 7);
    expect(interruptedError).toBeInstanceOf(SimulatedInterrupt);
    expect(itemsBeforeInterrupt).toBe(7); // all 6 validation items of the logit and its first test point
    expect(resumed).toBe(uninterrupted);
    const results = JSON.parse(uninterrupted);
    const logit = results.datasets[0].targets[0];
    expect(logit.points).toHaveLength(2);
    for (const method of ["SH+SG", "SG", "SP (H+G)", "SP G", "SW (H+G)", "SW G", "G"]) {
      const mean = logit.summary["uniform-ball"][method].mean[0];
      expect(mean).toBeGreaterThan(0);
      expect(Number.isFinite(mean)).toBe(true);
    }
  }, 180_000); // ~20 s on a quiet machine; generous for shared cores

  it("two shards merged over two rounds give the unsharded numbers; round 1 computes only each shard's validation points", async () => {
    // --test-points first here (the resume test above has the seeded draw): the merge scores the test set's first rows
    const { unsharded, merged, rounds, shardItemsAfterRoundOne } = await unshardedAndMerged(pmseExperiment, { ...tiny, testPointOrder: "first" }, 2);
    for (const target of JSON.parse(merged).datasets[0].targets) expect(target.testRows).toEqual([0, 1]);
    // per target: validation point i belongs to shard i mod 2 (its 3 items: SmoothHess, SoftPlus, Swish); the test
    // points wait for the σ and β chosen on both validation points, i.e. for round 2
    const itemsPerShard = 3 * tiny.targets.length;
    expect(shardItemsAfterRoundOne).toEqual([itemsPerShard, itemsPerShard]);
    expect(rounds).toBe(2);
    expect(merged).toBe(unsharded);
  }, 180_000);

  it.each([
    [{ samples: 101 }, /--samples must be even/],
    [{ dataDir: "/no/such/directory" }, /--data-dir "\/no\/such\/directory" does not exist/],
  ])("rejects bad options %j with a one-line UsageError", (override, message) => {
    const attempt = () => pmseExperiment.configure({ ...options, ...override });
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
  });

  it("follows the paper's sizes with --full and lets --points and --samples override them", () => {
    const full = pmseExperiment.configure({ ...options, preset: "full" });
    expect([full.validationPoints, full.testPoints, full.samples]).toEqual([200, 200, 100_000]);
    expect(full.radii).toEqual([0.25, 0.5, 1]);
    // pinned: the checkpoint fingerprint of resumable --full runs covers this list (numbers and order)
    const step = (a: number, b: number, c: number) => Array.from({ length: Math.round((b - a) / c) }, (_, i) => Number((a + i * c).toPrecision(12)));
    expect(full.betas).toEqual([...step(0.1, 1, 0.1), ...step(1, 20, 1), ...step(20, 100, 5), ...step(100, 800, 10)]);
    expect([full.betas.length, full.betas[0], full.betas[full.betas.length - 1]]).toEqual([114, 0.1, 790]);
    expect(full.betas).toContain(95); // Table 3's choice, outside App. E.2's [20 : 95 : 5]
    const quick = pmseExperiment.configure(options);
    expect(quick.betas).toEqual([2, 5, 10, 20, 50, 100, 200, 400]);
    const overridden = pmseExperiment.configure({ ...options, points: 7, samples: 500 });
    expect([overridden.testPoints, overridden.samples]).toEqual([7, 500]);
  });
});

describe("the CLI on bad pmse / attack options", () => {
  const cli = fileURLToPath(new URL("../../cli.ts", import.meta.url));
  it.each([
    [["pmse", "--data-dir", "/no/such/cifar"], /--data-dir "\/no\/such\/cifar" does not exist/],
    [["attack", "--data-dir", "/no/such/cifar"], /--data-dir "\/no\/such\/cifar" does not exist/],
    [["pmse", "--samples", "1001"], /--samples must be even/],
  ])("%j → one line on stderr, exit code 2", async (args, message) => {
    const result = await promisify(execFile)(process.execPath, ["--import", "tsx", cli, ...args], { timeout: 60_000 }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
