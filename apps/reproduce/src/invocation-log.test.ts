import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CorruptFileError } from "./corrupt-file-error.js";
import { InvocationLog, invocationDataset, type InvocationRecord } from "./invocation-log.js";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";

const FINGERPRINT = "0123456789abcdef0123456789abcdef";
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "smoothhess-ledger-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ledgerPath = (root: string) => join(root, "invocations", `${FINGERPRINT.slice(0, 16)}.json`);

describe("InvocationLog", () => {
  it("writes its record at the start (so a killed process leaves one) and appends later invocations", async () => {
    const first = await InvocationLog.open(dir, FINGERPRINT, ["cli.js", "pmse"]);
    const early = await readSealedJson<InvocationRecord[]>(ledgerPath(dir));
    expect(early).toHaveLength(1);
    expect(early?.[0]).toMatchObject({ finished: false, itemsComputed: 0, argv: ["cli.js", "pmse"] });
    expect(early?.[0]).not.toHaveProperty("closed"); // a heartbeat's record: what a killed process leaves
    first.itemComputed();
    first.itemComputed();
    await first.close(false);

    const second = await InvocationLog.open(dir, FINGERPRINT);
    second.itemComputed();
    let spin = 0;
    for (let i = 0; i < 2e6; i++) spin += Math.sqrt(i); // some CPU time to record
    expect(spin).toBeGreaterThan(0);
    await second.close(true);
    const records = (await readSealedJson<InvocationRecord[]>(ledgerPath(dir)))!;
    // the first ended on an error (or a pending stage): not finished, but its record is final and exact
    expect(records.map((r) => [r.itemsComputed, r.finished, r.closed])).toEqual([
      [2, false, true],
      [1, true, true],
    ]);
    expect(records[1].cpuSeconds).toBeGreaterThan(0);
    expect(records[1].wallSeconds).toBeGreaterThan(0);
    expect(second.totals()).toMatchObject({ invocations: 2, itemsComputed: 3 });
    expect(second.totals().wallSeconds).toBeCloseTo(records[0].wallSeconds + second.current().wallSeconds, 1);
  });

  it("imports a shard's records once, marked with their origin, however often a merge runs", async () => {
    const shard = join(dir, "shard-0");
    const shardLog = await InvocationLog.open(shard, FINGERPRINT);
    shardLog.itemComputed();
    await shardLog.close(true);
    const merged = join(dir, "merged");
    for (let run = 0; run < 2; run++) {
      const log = await InvocationLog.open(merged, FINGERPRINT);
      await log.importFrom(shard, FINGERPRINT);
      await log.close(true);
    }
    const records = (await readSealedJson<InvocationRecord[]>(ledgerPath(merged)))!;
    expect(records.filter((r) => r.importedFrom === shard)).toHaveLength(1);
    expect(records.filter((r) => r.importedFrom === undefined)).toHaveLength(2);
  });

  it("keeps two shards' records that started in the same millisecond (told apart by their command lines)", async () => {
    const merged = join(dir, "merged");
    const log = await InvocationLog.open(merged, FINGERPRINT, ["cli.js", "merge"]);
    const machine = { host: "h", cores: 2, cpu: "c" };
    const record = (shard: number): InvocationRecord => ({
      startedAt: "2026-12-03T11:48:25.370Z",
      updatedAt: "2026-12-03T12:48:25.370Z",
      wallSeconds: 3600,
      cpuSeconds: 3500,
      itemsComputed: 200,
      finished: false,
      argv: ["cli.js", "pmse", "--shard", `${shard}/2`],
      machine,
    });
    for (const shard of [0, 1]) {
      const source = join(dir, `shard-${shard}`);
      await mkdir(join(source, "invocations"), { recursive: true });
      await writeSealedJson(ledgerPath(source), [record(shard)], 1);
      await log.importFrom(source, FINGERPRINT);
      await log.importFrom(source, FINGERPRINT);
    }
    await log.close(true);
    expect(log.totals()).toMatchObject({ invocations: 3, itemsComputed: 400 });
  });

  it("splits the totals by the --dataset of each invocation's command line (one dataset's cost)", async () => {
    const runs: [string[], number][] = [
      [["cli.js", "pmse", "--full", "--dataset", "mnist", "--shard", "0/2"], 3],
      [["cli.js", "pmse", "--full", "--dataset=fmnist"], 2],
      [["cli.js", "pmse", "--full", "--dataset", "mnist", "--shard", "1/2"], 4],
      [["cli.js", "merge", "s0", "s1", "--out", "merged"], 0],
      [["cli.js", "pmse", "--full"], 1],
    ];
    let log: InvocationLog | undefined;
    for (const [argv, items] of runs) {
      log = await InvocationLog.open(dir, FINGERPRINT, argv);
      for (let i = 0; i < items; i++) log.itemComputed();
      await log.close(true);
    }
    const byDataset = log!.totalsByDataset();
    expect(Object.keys(byDataset)).toEqual(["all", "fmnist", "merge", "mnist"]);
    expect(byDataset.mnist).toMatchObject({ invocations: 2, itemsComputed: 7 });
    expect(byDataset.fmnist).toMatchObject({ invocations: 1, itemsComputed: 2 });
    expect(byDataset.merge).toMatchObject({ invocations: 1, itemsComputed: 0 });
    expect(byDataset.all).toMatchObject({ invocations: 1, itemsComputed: 1 });
    const parts = Object.values(byDataset);
    expect(parts.reduce((s, t) => s + t.cpuSeconds, 0)).toBeCloseTo(log!.totals().cpuSeconds, 9);
    expect(invocationDataset({ argv: ["cli.js", "attack", "--dataset"] })).toBe("all");
  });

  it("refuses a ledger whose checksum does not match, naming the file", async () => {
    const log = await InvocationLog.open(dir, FINGERPRINT);
    await log.close(true);
    const text = await readFile(ledgerPath(dir), "utf8");
    await writeFile(ledgerPath(dir), text.replace(/"itemsComputed": ?0/, '"itemsComputed": 9'));
    await expect(InvocationLog.open(dir, FINGERPRINT)).rejects.toThrow(CorruptFileError);
    await expect(InvocationLog.open(dir, FINGERPRINT)).rejects.toThrow(/invocations/);
  });
});
