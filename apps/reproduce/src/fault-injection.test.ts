import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mlp, useBackend } from "@smoothhess/tfjs";
import type { Experiment, RunOptions } from "./experiment.js";
import { runExperiment } from "./run-experiment.js";
import { trainedNetwork } from "./trained-network.js";

// Fault injection: corrupt every kind of file the app writes and reads back, rerun, and check that the fault is
// reported (one warning line naming the file) and repaired — the item recomputed, the model retrained — and that
// the results equal those of the intact run bit for bit (never the corrupted value).

const counts = { trained: 0, computed: 0 };

/** A small experiment in the shape of the real ones: a cached trained model, then checkpointed items from it. */
const experiment: Experiment = {
  name: "toy",
  summary: "a toy experiment with a cached model",
  configure: (options: RunOptions) => ({ items: 4, seed: options.seed }),
  async run(context, config) {
    const n = 64;
    const data = () => {
      const x = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 0.7));
      const y = Float32Array.from({ length: n }, (_, i) => x[3 * i] * x[3 * i + 1] - x[3 * i + 2]);
      return { x, y, n };
    };
    const { network, record } = await trainedNetwork(
      { ...context, progress: (label, total) => (label.startsWith("training") && counts.trained++, context.progress(label, total)) },
      { toy: 1, seed: config.seed },
      () => mlp({ sizes: [3, 8, 1], seed: 7 }),
      data,
      { loss: "mse", epochs: 3, batchSize: 16, seed: 5, optimizer: { kind: "rmsprop", learningRate: 0.01 } },
    );
    const rows = [];
    for (let i = 0; i < (config.items as number); i++) {
      const { value } = await context.checkpoints.getOrCompute(`item-${i}`, async () => {
        counts.computed++;
        const output = tf.tidy(() => network.forward(tf.tensor2d([i / 4, -i / 3, 0.5], [1, 3])).output.dataSync()[0]);
        return { i, output, h12: output * 0.1 + 0.2 };
      });
      rows.push(value);
    }
    network.dispose();
    return { config, results: { rows, losses: record.losses, weights: record.weightsSha256 }, report: "toy\n", figures: [] };
  },
};

const options = (out: string): RunOptions => ({ preset: "quick", seed: 3, backend: "wasm", out, fresh: false, quiet: true });

let root: string;
let clean: string;
let cleanResults: string;
beforeAll(async () => {
  await useBackend("wasm");
  root = await mkdtemp(join(tmpdir(), "smoothhess-faults-"));
  clean = join(root, "clean");
  await runExperiment(experiment, options(clean));
  cleanResults = await results(clean);
  expect(counts).toEqual({ trained: 1, computed: 4 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function results(out: string): Promise<string> {
  return JSON.stringify(JSON.parse(await readFile(join(out, "toy", "results.json"), "utf8")).results);
}

/** Paths of the files the app wrote, by kind. */
async function files(out: string) {
  const models = join(out, "models");
  const key = (await readdir(models)).find((name) => /^[0-9a-f]{16}$/.test(name))!;
  const checkpoints = join(out, "toy", "checkpoints");
  const config = join(checkpoints, (await readdir(checkpoints))[0]);
  return {
    item: join(config, "item-2.json"),
    manifest: join(config, "manifest.json"),
    record: join(models, `${key}.json`),
    modelJson: join(models, key, "model.json"),
    modelWeights: join(models, key, "weights.bin"),
    trainingJson: join(models, `${key}.training`, "model.json"),
    trainingWeights: join(models, `${key}.training`, "weights.bin"),
    modelDir: join(models, key),
  };
}
type Kind = Exclude<keyof Awaited<ReturnType<typeof files>>, "modelDir">;

/** The corruptions: each returns the new bytes from the old ones. */
const corruptions: Record<string, (bytes: Buffer) => Buffer | string> = {
  truncated: (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2)),
  empty: () => "",
  null: () => "null",
  "valid JSON, one number changed": (bytes) => {
    const json = JSON.parse(bytes.toString("utf8"));
    const change = (node: unknown): boolean => {
      if (Array.isArray(node) || (node && typeof node === "object")) {
        for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
          if (typeof v === "number") {
            (node as Record<string, unknown>)[k] = v + 999;
            return true;
          }
          if (change(v)) return true;
        }
      }
      return false;
    };
    expect(change(json)).toBe(true);
    return JSON.stringify(json, null, 1);
  },
  "flipped bytes, same length": (bytes) => {
    const out = Buffer.from(bytes);
    for (let i = Math.floor(out.length / 2); i < Math.floor(out.length / 2) + 4; i++) out[i] ^= 0xff;
    return out;
  },
};

const json = ["truncated", "empty", "null", "valid JSON, one number changed"];
const binary = ["truncated", "empty", "flipped bytes, same length"];
const cases: [Kind, string, RegExp, { trained: number; computed: number }][] = [
  ...json.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["item", c, /item-2\.json: .*; recomputing this item/, { trained: 0, computed: 1 }]),
  ...json.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["manifest", c, /manifest\.json: .*; discarding the checkpoints/, { trained: 0, computed: 4 }]),
  ...json.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["record", c, /cached model [0-9a-f]{16}: .*[0-9a-f]{16}\.json: .*; retraining it/, { trained: 1, computed: 0 }]),
  ...json.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["modelJson", c, /cached model [0-9a-f]{16}: .*model\.json.*; retraining it/, { trained: 1, computed: 0 }]),
  ...binary.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["modelWeights", c, /cached model [0-9a-f]{16}: .*weight file.*; retraining it/, { trained: 1, computed: 0 }]),
  ...json.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["trainingJson", c, /training checkpoint of model [0-9a-f]{16}: .*model\.json.*; training from scratch/, { trained: 2, computed: 0 }]),
  ...binary.map((c): [Kind, string, RegExp, { trained: number; computed: number }] => ["trainingWeights", c, /training checkpoint of model [0-9a-f]{16}: .*weight file.*; training from scratch/, { trained: 2, computed: 0 }]),
];

describe("every file the app reads back is checked: corrupted → one-line warning naming it → repaired", () => {
  it.each(cases)("%s, %s", async (kind, corruption, warning, expected) => {
    const out = join(root, `${kind}-${corruption.replace(/\W+/g, "-")}`);
    await cp(clean, out, { recursive: true });
    const paths = await files(out);
    await writeFile(paths[kind], corruptions[corruption](await readFile(paths[kind])));
    if (kind.startsWith("training")) {
      // The training checkpoint is read only when the finished model is missing (an interrupted training).
      await rm(paths.modelDir, { recursive: true });
      await rm(paths.record);
    }
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    counts.trained = 0;
    counts.computed = 0;
    let warnings: string[];
    try {
      await runExperiment(experiment, options(out));
    } finally {
      warnings = stderr.mock.calls.map((call) => String(call[0]));
      stderr.mockRestore();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^smoothhess-reproduce: warning: /);
    expect(warnings[0]).toMatch(warning);
    expect(warnings[0]).toContain(kind.startsWith("training") || kind.startsWith("model") ? join(out, "models") : paths[kind]);
    expect(warnings[0].trimEnd().split("\n")).toHaveLength(1);
    // trained 2: the resumed training (one progress bar) failed its check, then the model was trained from scratch.
    expect(counts).toEqual(expected);
    expect(await results(out)).toBe(cleanResults);
  });

  it("results.json and report.md are covered by SHA256SUMS, and a rerun rewrites them from the checkpoints", async () => {
    const out = join(root, "outputs");
    await cp(clean, out, { recursive: true });
    const sums = await readFile(join(out, "toy", "SHA256SUMS"), "utf8");
    const check = async () => {
      for (const line of sums.trim().split("\n")) {
        const [digest, name] = line.split("  ");
        if (createHash("sha256").update(await readFile(join(out, "toy", name))).digest("hex") !== digest) return false;
      }
      return true;
    };
    expect(await check()).toBe(true);
    await writeFile(join(out, "toy", "results.json"), "{}");
    expect(await check()).toBe(false);
    counts.trained = 0;
    counts.computed = 0;
    await runExperiment(experiment, options(out));
    expect(counts).toEqual({ trained: 0, computed: 0 });
    expect(await results(out)).toBe(cleanResults);
  });
});
