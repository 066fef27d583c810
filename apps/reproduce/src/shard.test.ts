import { describe, expect, it } from "vitest";
import { ownsItem, parseShard } from "./shard.js";
import { UsageError } from "./usage-error.js";

describe("parseShard", () => {
  it("reads k/N, 0-based, and every item belongs to exactly one shard", () => {
    expect(parseShard("1/3", {})).toEqual({ index: 1, count: 3 });
    const shards = [0, 1, 2].map((k) => parseShard(`${k}/3`, {}));
    for (let item = 0; item < 20; item++) expect(shards.filter((s) => ownsItem(s, item))).toHaveLength(1);
  });

  it("auto/N takes the index from a Kubernetes Indexed Job or a SLURM array (relative to its first task)", () => {
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "3" })).toEqual({ index: 3, count: 4 });
    expect(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "2" })).toEqual({ index: 2, count: 4 });
    expect(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 3, count: 4 });
  });

  it.each([
    ["2/2", {}, /0 ≤ k < 2, got 2/],
    ["1/0", {}, /N must be an integer ≥ 1/],
    ["a/2", {}, /--shard must be k\/N/],
    ["auto/2", {}, /needs JOB_COMPLETION_INDEX .* or SLURM_ARRAY_TASK_ID/],
    ["auto/2", { JOB_COMPLETION_INDEX: "x" }, /JOB_COMPLETION_INDEX must be a non-negative integer, got "x"/],
    ["auto/2", { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "1" }, /0 ≤ k < 2, got 4/],
  ])("%s with %j → UsageError", (value, env, message) => {
    expect(() => parseShard(value, env)).toThrow(UsageError);
    expect(() => parseShard(value, env)).toThrow(message);
  });
});
