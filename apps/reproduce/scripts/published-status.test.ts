import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InvocationRecord } from "../src/invocation-log.js";
import { sealJson, writeSealedJson } from "../src/sealed-json.js";

const SCRIPT = fileURLToPath(new URL("./published-status.ts", import.meta.url));
const FINGERPRINT = "f5f1989bc4f3aeef";
const MACHINE = { host: "test", cores: 2, cpu: "test" };

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "smoothhess-status-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A ledger record starting `startSeconds` after 12:00 UTC. */
function record(startSeconds: number, wallSeconds: number, cpuSeconds: number, itemsComputed: number, argv: string[], finished = false): InvocationRecord {
  const startedAt = new Date(Date.UTC(2026, 11, 3, 12) + startSeconds * 1000).toISOString();
  return { startedAt, updatedAt: startedAt, wallSeconds, cpuSeconds, itemsComputed, finished, argv, machine: MACHINE };
}

/** Writes a shard's checkpoints (empty sealed values; only their names count) and its ledger. */
async function shard(experiment: string, name: string, items: string[], ledger: InvocationRecord[]): Promise<void> {
  const output = join(root, experiment, name, `${experiment}-authors`);
  await mkdir(join(output, "checkpoints", FINGERPRINT), { recursive: true });
  for (const item of items) await writeSealedJson(join(output, "checkpoints", FINGERPRINT, `${item}.json`), {});
  await mkdir(join(output, "invocations"), { recursive: true });
  await writeSealedJson(join(output, "invocations", `${FINGERPRINT}.json`), ledger, 1);
}

function status(): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, root], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const argv = (...rest: string[]) => ["cli.js", "attack", "--full", ...rest];

describe("published-status.ts", () => {
  it("counts checkpoints as the union over shards, imported ledger records once, and clock hours as the union of intervals", async () => {
    const shard0 = record(0, 3600, 3000, 30, argv("--dataset", "mnist", "--shard", "0/2"));
    // shard 1 ended on a pending stage: not finished, but closed (its record is final, not a heartbeat's)
    const shard1 = { ...record(0, 1800, 1700, 20, argv("--dataset", "mnist", "--shard", "1/2")), closed: true };
    // the second round: shard 1 imported shard 0's record with the merged checkpoints; it ran 1 h after both
    const round2 = record(7200, 900, 800, 10, argv("--dataset=fmnist", "--shard", "1/2"), true);
    const merge = record(3700, 36, 36, 0, ["cli.js", "merge", "a", "b"], true);
    await shard("attack", "shard-0", ["val-mnist-0-smoothhess-0", "val-mnist-0-softplus-0", "manifest"], [shard0, merge]);
    await shard("attack", "shard-1", ["val-mnist-1-smoothhess-0", "val-mnist-0-smoothhess-0", "test-fmnist-1"], [shard1, { ...shard0, importedFrom: "merged" }, merge, round2]);

    const { status: code, stdout } = status();
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    // 3 distinct val mnist items (one written by both shards), 1 test fmnist item; 4 distinct invocations, 1 not closed (shard 0's, cut off);
    // elapsed: [0, 1 h) ∪ [0, 0.5 h) ∪ [3700 s, 3736 s) ∪ [2 h, 2.25 h) = 1.26 h
    expect(lines).toContain("| attack | 2 shards/attack-authors | test fmnist 1, val mnist 3 | 4 (1 cut off or running) | 1.26 | 1.76 | 1.54 |");
    // per --dataset (both spellings of the option): merges apart, CPU-s per computed item
    expect(lines).toContain("| attack | fmnist | 1 | 10 | 0.25 | 0.25 | 0.22 | 80.0 |");
    expect(lines).toContain("| attack | merge | 1 | 0 | 0.01 | 0.01 | 0.01 | — |");
    expect(lines).toContain("| attack | mnist | 2 | 50 | 1.00 | 1.50 | 1.31 | 94.0 |");
  });

  it("splits each dataset's shard invocations into rounds at its first --from invocation; merges left out", async () => {
    const round1 = record(0, 3600, 3000, 300, argv("--dataset", "mnist", "--shard", "0/2"), true);
    const merge = record(3600, 36, 36, 0, ["cli.js", "merge", "a", "b"], true);
    const round2 = record(3700, 1800, 1600, 8, argv("--dataset", "mnist", "--from", "merged", "--shard", "0/2"));
    // a later round-1 command (no --from) after round 1 was complete computes test items: it counts to round 2
    const rerun = record(7200, 1800, 1600, 8, argv("--dataset", "mnist", "--shard", "0/2"), true);
    await shard("attack", "shard-0", ["val-mnist-0-smoothhess-0"], [round1, merge, round2, rerun]);
    await shard("attack", "shard-1", [], [merge]);

    const lines = status().stdout.trim().split("\n");
    const roundTable = lines.slice(lines.findIndex((line) => line.includes("| round |")) + 2);
    expect(roundTable).toEqual(["| attack | mnist | 1 | 1 | 300 | 1.00 | 0.83 | 10.00 |", "| attack | mnist | 2 | 2 | 16 | 1.00 | 0.89 | 200.00 |"]);
  });

  it("reads an unsharded experiment straight from its folder", async () => {
    const output = join(root, "nested", "nested");
    await mkdir(join(output, "checkpoints", FINGERPRINT), { recursive: true });
    for (const item of ["item-0", "item-1"]) await writeSealedJson(join(output, "checkpoints", FINGERPRINT, `${item}.json`), {});
    await mkdir(join(output, "invocations"), { recursive: true });
    await writeSealedJson(join(output, "invocations", `${FINGERPRINT}.json`), [record(0, 1800, 900, 2, ["cli.js", "nested", "--full"], true)], 1);

    const { status: code, stdout } = status();
    expect(code).toBe(0);
    expect(stdout).toContain("| nested | nested | items 2 | 1 (0 cut off or running) | 0.50 | 0.50 | 0.25 |");
    expect(stdout).not.toContain("`--dataset`"); // no sharded experiment, no second table
  });

  it("stops with one line naming a ledger that does not match its checksum, and prints no table", async () => {
    await shard("pmse", "shard-0", ["val-mnist-0-smoothhess"], [record(0, 60, 60, 1, argv("--dataset", "mnist"))]);
    const ledger = join(root, "pmse", "shard-0", "pmse-authors", "invocations", `${FINGERPRINT}.json`);
    const edited = sealJson([record(0, 60, 60, 1, argv("--dataset", "mnist"))]).replace('"cpuSeconds":60', '"cpuSeconds":6');
    await writeFile(ledger, edited);

    const { status: code, stdout, stderr } = status();
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trim()).toBe(`published-status: ${ledger}: does not match its SHA-256 (the file was changed or corrupted)`);
  });
});
