import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-write.js";
import { CheckpointStore } from "./checkpoint-store.js";
import { UsageError } from "./usage-error.js";

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

  it("refuses to resume checkpoints of another configuration unless told to start fresh", async () => {
    const store = await CheckpointStore.open(dir, "config-a");
    await store.put("point-0", 1);
    await expect(CheckpointStore.open(dir, "config-b")).rejects.toThrow(UsageError);
    const fresh = await CheckpointStore.open(dir, "config-b", { fresh: true });
    expect(await fresh.get("point-0")).toBeUndefined();
  });

  it("rejects keys that are not safe file names", async () => {
    const store = await CheckpointStore.open(dir, "c");
    await expect(store.put("../escape", 1)).rejects.toThrow(/checkpoint key/);
  });
});
