import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-write.js";
import { CheckpointStore } from "./checkpoint-store.js";
import { ShardMergeError } from "./shard-merge-error.js";
import { StagePendingError } from "./stage-pending.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "smoothhess-ckpt-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("writes the whole file and leaves no temporary file behind", async () => {
    const path = join(dir, "nested", "a.json");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, "second");
    expect(await readFile(path, "utf8")).toBe("second");
    expect(await readdir(join(dir, "nested"))).toEqual(["a.json"]);
  });
});

describe("CheckpointStore", () => {
  it("keeps finished items across reopenings and computes only the missing ones", async () => {
    const first = await CheckpointStore.open(dir, "config-a");
    let computed = 0;
    const compute = async () => {
      computed++;
      return { value: 0.1 + 0.2, vector: [1 / 3, Math.PI] };
    };
    const a = await first.getOrCompute("point-0", compute);
    expect(a.resumed).toBe(false);
    const again = await CheckpointStore.open(dir, "config-a");
    const b = await again.getOrCompute("point-0", compute);
    expect(b.resumed).toBe(true);
    expect(computed).toBe(1);
    // float64 values survive exactly
    expect(b.value).toEqual({ value: 0.1 + 0.2, vector: [1 / 3, Math.PI] });
  });

  it("keeps each configuration's checkpoints apart: another configuration neither blocks nor deletes them", async () => {
    const a = await CheckpointStore.open(dir, "config-a".padEnd(64, "0"));
    await a.put("point-0", 1);
    const b = await CheckpointStore.open(dir, "config-b".padEnd(64, "0"));
    expect(await b.get("point-0")).toBeUndefined();
    await b.put("point-0", 2);
    expect(await (await CheckpointStore.open(dir, "config-a".padEnd(64, "0"))).get("point-0")).toBe(1);
  });

  it("fresh removes only the checkpoints of the configuration it opens", async () => {
    const a = await CheckpointStore.open(dir, "config-a".padEnd(64, "0"));
    await a.put("point-0", 1);
    const b = await CheckpointStore.open(dir, "config-b".padEnd(64, "0"));
    await b.put("point-0", 2);
    const freshA = await CheckpointStore.open(dir, "config-a".padEnd(64, "0"), { fresh: true });
    expect(await freshA.get("point-0")).toBeUndefined();
    expect(await (await CheckpointStore.open(dir, "config-b".padEnd(64, "0"))).get("point-0")).toBe(2);
  });

  it.each([
    ["truncated", (text: string) => text.slice(0, text.length - 9)],
    ["empty", () => ""],
    ["null", () => "null"],
    ["valid JSON with one number changed", (text: string) => text.replace("0.30000000000000004", "999")],
    ["an unsealed value (an older version's file)", () => JSON.stringify({ value: 0.1 + 0.2 })],
  ])("a %s checkpoint is reported in one line naming the file and recomputed, never used", async (_, corrupt) => {
    const warnings: string[] = [];
    const store = await CheckpointStore.open(dir, "c".repeat(64), { warn: (m) => warnings.push(m) });
    await store.put("point-0", { value: 0.1 + 0.2 });
    const file = join(store.directory, "point-0.json");
    const text = await readFile(file, "utf8");
    expect(text).toContain("0.30000000000000004");
    await writeFile(file, corrupt(text));
    let computed = 0;
    const again = await CheckpointStore.open(dir, "c".repeat(64), { warn: (m) => warnings.push(m) });
    const { value, resumed } = await again.getOrCompute("point-0", async () => {
      computed++;
      return { value: 0.1 + 0.2 };
    });
    expect({ value, resumed, computed }).toEqual({ value: { value: 0.1 + 0.2 }, resumed: false, computed: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(/recomputing this item$/);
    expect(warnings[0].split("\n")).toHaveLength(1);
    expect((await again.get("point-0")) as unknown).toEqual({ value: 0.1 + 0.2 }); // repaired on disk
  });

  it("a corrupted manifest discards that configuration's items with a warning", async () => {
    const warnings: string[] = [];
    const store = await CheckpointStore.open(dir, "d".repeat(64), { warn: (m) => warnings.push(m) });
    await store.put("point-0", 1);
    await writeFile(join(store.directory, "manifest.json"), "{");
    const again = await CheckpointStore.open(dir, "d".repeat(64), { warn: (m) => warnings.push(m) });
    expect(await again.get("point-0")).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/manifest\.json: is not valid JSON .*discarding the checkpoints/)]);
  });

  it("bind: items computed from other weights are discarded when the dependency's digest changes", async () => {
    const warnings: string[] = [];
    const store = await CheckpointStore.open(dir, "e".repeat(64), { warn: (m) => warnings.push(m) });
    await store.bind("model-x", "digest-1");
    await store.put("point-0", 1);
    const same = await CheckpointStore.open(dir, "e".repeat(64), { warn: (m) => warnings.push(m) });
    await same.bind("model-x", "digest-1");
    expect(await same.get("point-0")).toBe(1);
    const changed = await CheckpointStore.open(dir, "e".repeat(64), { warn: (m) => warnings.push(m) });
    await changed.bind("model-x", "digest-2");
    expect(await changed.get("point-0")).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/model-x changed .* discarding 1 of them/)]);
  });

  it("importFrom with shared copies the selected items of another configuration, checked against its fingerprint and model", async () => {
    const seeded = await CheckpointStore.open(dir, "s".repeat(64));
    await seeded.bind("model-x", "digest-1");
    await seeded.put("val-0", 1);
    await seeded.put("test-0", 2);
    const first = await CheckpointStore.open(dir, "f".repeat(64));
    const source = join(dir, "s".repeat(16));
    expect(await first.importFrom(source, { fingerprint: "s".repeat(64), shares: (key) => key.startsWith("val-") })).toBe(1);
    expect(await first.get("val-0")).toBe(1);
    expect(await first.get("test-0")).toBeUndefined();
    // another configuration's folder, a missing one, and items bound to other weights
    await expect(first.importFrom(source, { fingerprint: "t".repeat(64), shares: () => true })).rejects.toThrow(ShardMergeError);
    expect(await first.importFrom(join(dir, "nothing"), { fingerprint: "s".repeat(64), shares: () => true })).toBe(0);
    const retrained = await CheckpointStore.open(dir, "g".repeat(64));
    await retrained.bind("model-x", "digest-2");
    await expect(retrained.importFrom(source, { fingerprint: "s".repeat(64), shares: () => true })).rejects.toThrow(/model-x: .* weights digest-1/);
  });

  it("rejects keys that are not safe file names", async () => {
    const store = await CheckpointStore.open(dir, "c");
    await expect(store.put("../escape", 1)).rejects.toThrow(/checkpoint key/);
  });
});

describe("CheckpointStore stages", () => {
  it("a shard computes its own items, defers the others', and completeStage refuses to go on", async () => {
    const root = await mkdtemp(join(tmpdir(), "smoothhess-stage-"));
    try {
      const store = await CheckpointStore.open(root, "f".repeat(64), { shard: { index: 1, count: 3 } });
      const computed: number[] = [];
      const results = [];
      for (let i = 0; i < 7; i++) results.push(await store.getOrCompute(`item-${i}`, async () => (computed.push(i), i * 10), { stage: "s", item: i }));
      expect(computed).toEqual([1, 4]);
      expect(results.map((r) => r.deferred)).toEqual([true, false, true, true, false, true, true]);
      expect(() => store.completeStage("s")).toThrow(StagePendingError);
      // Items without a placement are computed by every shard.
      expect((await store.getOrCompute("summary", async () => 1)).deferred).toBe(false);
      // A merge computes no staged item, and treats other weights as an error, not as a reason to recompute.
      const merging = await CheckpointStore.open(root, "f".repeat(64), { merging: true });
      expect((await merging.getOrCompute("item-0", async () => 0, { stage: "s", item: 0 })).deferred).toBe(true);
      expect((await merging.getOrCompute("item-4", async () => 0, { stage: "s", item: 4 })).value).toBe(40);
      await merging.bind("model", "a".repeat(64));
      await expect(merging.bind("model", "b".repeat(64))).rejects.toThrow(ShardMergeError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
