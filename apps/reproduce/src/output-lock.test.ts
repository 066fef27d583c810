import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCK_NAME, OWNER_NAME, lockOutputDirectory } from "./output-lock.js";
import { UsageError } from "./usage-error.js";

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "smoothhess-lock-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("lockOutputDirectory", () => {
  it("a second run on the same --out is refused in one line naming the holder, until the first releases", async () => {
    const release = await lockOutputDirectory(out);
    const error = await lockOutputDirectory(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(new RegExp(`is in use by another smoothhess-reproduce run \\(pid ${process.pid} on `));
    expect((error as Error).message.split("\n")).toHaveLength(1);
    await release();
    expect(await readdir(out)).toEqual([]);
    const again = await lockOutputDirectory(out);
    await again();
  });

  it("takes over a lock left by a run that was killed (its pid no longer exists)", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    await mkdir(join(out, LOCK_NAME));
    await writeFile(join(out, OWNER_NAME), JSON.stringify({ pid: dead, host: hostname(), startedAt: "2026-01-01T00:00:00Z", command: "four-quadrant" }));
    const release = await lockOutputDirectory(out);
    await release();
  });
});
