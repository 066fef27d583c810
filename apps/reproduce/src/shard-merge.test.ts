import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunOptions } from "./experiment.js";
import { runExperiment } from "./run-experiment.js";
import { readShardRecords } from "./shard-record.js";
import { ShardMergeError } from "./shard-merge-error.js";
import { stagedToy } from "./shard-toy.test-helper.js";
import { StagePendingError } from "./stage-pending.js";

const execute = promisify(execFile);
const helper = fileURLToPath(new URL("./shard-toy.test-helper.ts", import.meta.url));

/** One shard as its own Node process, as a scheduler would start it. */
async function shardProcess(out: string, shard: string, from?: string): Promise<string> {
  const { stdout } = await execute(process.execPath, ["--import", "tsx", helper, out, shard, ...(from ? [from] : [])], { timeout: 60_000 });
  return stdout.trim();
}

/** What `reproduce merge` does: read the shards' records, then run with their options, importing and merging. */
async function merge(directories: string[], out: string): Promise<"done" | StagePendingError> {
  const records = await readShardRecords(directories);
  const options: RunOptions = { ...records.options, out, fresh: false, quiet: true, from: directories, merging: true };
  try {
    await runExperiment(stagedToy, options);
    return "done";
  } catch (error) {
    if (error instanceof StagePendingError) return error;
    throw error;
  }
}

const numbers = async (dir: string) => {
  const document = JSON.parse(await readFile(join(dir, stagedToy.name, "results.json"), "utf8"));
  return JSON.stringify({ config: document.config, results: document.results });
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "smoothhess-shards-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("shard and merge", () => {
  it("two shard processes, merged over two rounds, give byte-identical numbers to one unsharded run", async () => {
    await runExperiment(stagedToy, { preset: "quick", seed: 5, backend: "cpu", out: join(root, "whole"), fresh: false, quiet: true });
    const shards = [join(root, "s0"), join(root, "s1")];
    const merged = join(root, "merged");

    // Round 1: each shard computes its validation items (0, 2, 4, 6 / 1, 3, 5) of both parts and stops.
    const round1 = await Promise.all(shards.map((dir, k) => shardProcess(dir, `${k}/2`)));
    expect(round1).toEqual(["pending toy x validation:4/7,toy y validation:4/7", "pending toy x validation:3/7,toy y validation:3/7"]);
    expect((await readdir(join(root, "s0", stagedToy.name))).includes("results.json")).toBe(false);
    const first = await merge(shards, merged);
    expect(first).toBeInstanceOf(StagePendingError);
    expect((first as StagePendingError).stages).toEqual([
      { stage: "toy x test", present: 0, total: 5 },
      { stage: "toy y test", present: 0, total: 5 },
    ]);

    // Round 2: the shards continue from the merge and compute their test items; the second merge completes the run.
    const round2 = await Promise.all(shards.map((dir, k) => shardProcess(dir, `${k}/2`, merged)));
    expect(round2).toEqual(["pending toy x test:3/5,toy y test:3/5", "pending toy x test:2/5,toy y test:2/5"]);
    expect(await merge(shards, merged)).toBe("done");
    expect(await numbers(merged)).toBe(await numbers(join(root, "whole")));
    const report = (dir: string) => readFile(join(dir, stagedToy.name, "report.md"), "utf8").then((r) => r.split("\n").slice(5).join("\n"));
    expect(await report(merged)).toBe(await report(join(root, "whole")));
  });

  it("refuses a missing shard, a duplicated one, a tampered item and shards that disagree", async () => {
    const shards = [join(root, "s0"), join(root, "s1")];
    await Promise.all(shards.map((dir, k) => shardProcess(dir, `${k}/2`)));
    await expect(readShardRecords([shards[0]])).rejects.toThrow(/shard 1 of 2 missing/);
    await expect(readShardRecords([shards[0], shards[0]])).rejects.toThrow(/both shard 0\/2/);
    await expect(readShardRecords([root])).rejects.toThrow(/not a shard's output directory/);

    const folder = join(shards[1], stagedToy.name, "checkpoints");
    const [configuration] = await readdir(folder);
    const item = join(folder, configuration, "val-x-1.json");
    await writeFile(item, (await readFile(item, "utf8")).replace(/\d\d,/, "99,"));
    await expect(merge(shards, join(root, "m1"))).rejects.toThrow(ShardMergeError);
    await expect(merge(shards, join(root, "m1"))).rejects.toThrow(/val-x-1\.json: does not match its SHA-256/);

    // The same item with another (validly sealed) value in two shards: the shards did not compute the same numbers.
    const sealed = (value: unknown) => {
      const text = JSON.stringify(value);
      return `{"sha256":"${createHash("sha256").update(text).digest("hex")}","value":${text}}\n`;
    };
    await writeFile(item, sealed([1, 2, 3]));
    await writeFile(join(shards[0], stagedToy.name, "checkpoints", configuration, "val-x-1.json"), sealed([1, 2, 4]));
    await expect(merge(shards, join(root, "m2"))).rejects.toThrow(/differs from the same item/);
  });
});
