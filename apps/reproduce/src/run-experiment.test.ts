import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import type { Experiment, RunOptions } from "./experiment.js";
import { runExperiment } from "./run-experiment.js";

/** A small experiment in the shape of the real ones: seeded per item, checkpointed per item. */
/** The toy experiment's configuration. */
interface ToyConfig {
  readonly items: number;
  readonly seed: number;
}

function experiment(failAfter?: number): Experiment<ToyConfig> & { computed: number } {
  const state = {
    computed: 0,
    name: "toy",
    summary: "a seeded toy experiment",
    configure: (options: RunOptions) => ({ items: options.points ?? 6, seed: options.seed }),
    async run(context, config) {
      const rows = [];
      for (let i = 0; i < config.items; i++) {
        const { value } = await context.checkpoints.getOrCompute(`item-${i}`, async () => {
          if (failAfter !== undefined && state.computed >= failAfter) throw new Error("killed");
          state.computed++;
          const rng = gaussianSampler(deriveSeed(config.seed, i));
          return { i, draw: rng.normal(), mean: rng.fillNormal(new Float64Array(100)).reduce((a, b) => a + b) / 100 };
        });
        rows.push(value);
      }
      return { config, results: { rows }, report: "toy\n", figures: [] };
    },
  } satisfies Experiment<ToyConfig> & { computed: number };
  return state;
}

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "smoothhess-run-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

const options = (dir: string): RunOptions => ({ preset: "quick", seed: 3, backend: "wasm", out: dir, fresh: false, quiet: true });

describe("runExperiment", () => {
  it("an interrupted run resumes and writes byte-identical results to an uninterrupted one", async () => {
    const interrupted = experiment(4);
    await expect(runExperiment(interrupted, options(join(out, "a")))).rejects.toThrow("killed");
    expect(interrupted.computed).toBe(4);
    const resumed = experiment();
    await runExperiment(resumed, options(join(out, "a")));
    expect(resumed.computed).toBe(2); // only the missing items
    await runExperiment(experiment(), options(join(out, "b")));
    const numbers = async (dir: string) => JSON.stringify(JSON.parse(await readFile(join(out, dir, "toy", "results.json"), "utf8")).results);
    expect(await numbers("a")).toBe(await numbers("b"));
    const document = JSON.parse(await readFile(join(out, "a", "toy", "results.json"), "utf8"));
    expect(document).toMatchObject({ experiment: "toy", seed: 3, backend: "wasm", config: { items: 6, seed: 3 } });
    expect(document.packageVersions.node).toBe(process.version);
    // the onnx engine and its native runtime are named too: they decide the float32 kernels behind the numbers
    expect(document.packageVersions).toMatchObject({ "@smoothhess/onnx": expect.any(String), "onnxruntime-node": expect.any(String) });
    expect(await readFile(join(out, "a", "toy", "report.md"), "utf8")).toContain("# toy");
    // The ledger holds both invocations: the interrupted one (4 items, not finished) and the resuming one (2).
    const ledger = document.timings.allInvocations;
    expect(ledger).toMatchObject({ invocations: 2, itemsComputed: 6 });
    expect(ledger.wallSeconds).toBeGreaterThan(0);
    // and the report's header says so (the last invocation's wall time alone says little about a resumed run)
    expect(await readFile(join(out, "a", "toy", "report.md"), "utf8")).toMatch(
      /Compute over every invocation of this configuration \(its ledger, `invocations\/`\): 2 invocations, \d+ s CPU, \d+ s wall summed, 6 items computed\./,
    );
  });

  it("a failed run of one configuration neither blocks nor loses to a run of another; rerunning it resumes", async () => {
    await expect(runExperiment(experiment(3), options(out))).rejects.toThrow("killed");
    const other = experiment();
    await runExperiment(other, { ...options(out), seed: 4 }); // no --fresh needed
    expect(other.computed).toBe(6);
    const resumed = experiment();
    await runExperiment(resumed, options(out));
    expect(resumed.computed).toBe(3); // the failed run's three items were kept
  });

  it("--fresh recomputes only the current configuration", async () => {
    await runExperiment(experiment(), options(out));
    await runExperiment(experiment(), { ...options(out), seed: 4 });
    const fresh = experiment();
    await runExperiment(fresh, { ...options(out), fresh: true });
    expect(fresh.computed).toBe(6);
    const other = experiment();
    await runExperiment(other, { ...options(out), seed: 4 });
    expect(other.computed).toBe(0);
  });

  it("writes SHA256SUMS of results.json and report.md in sha256sum format", async () => {
    await runExperiment(experiment(), options(out));
    const sums = await readFile(join(out, "toy", "SHA256SUMS"), "utf8");
    const { createHash } = await import("node:crypto");
    const expected = await Promise.all(
      ["results.json", "report.md"].map(async (name) => `${createHash("sha256").update(await readFile(join(out, "toy", name))).digest("hex")}  ${name}\n`),
    );
    expect(sums).toBe(expected.join(""));
  });
});
