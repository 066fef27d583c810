// Progress and measured cost of the published runs (apps/reproduce/published/): per experiment, the checkpointed
// items by stage and dataset (the union over its shards), and the invocation ledgers (every invocation, finished or
// cut off at its last heartbeat): elapsed hours (the union of their time intervals — the clock time the experiment
// took, shards side by side counted once), and summed wall and CPU hours. A second table splits the same ledgers by
// the `--dataset` each invocation was given (the ledger is per configuration, which covers both datasets, so this is
// how one dataset's cost is read), with the CPU seconds per computed item; a third splits each dataset's shard
// invocations into the two rounds (validation items, then test items). Reads only what the runs wrote; prints
// Markdown. Every ledger is read with the app's own checked reader: a damaged one stops the script with a one-line
// message naming the file, rather than counting wrong hours.
//   pnpm -s published-status [published-directory]        (from the repository root)
//
// A shard's second round imports the merged checkpoints and ledgers (`--from`), so every shard's ledger then also
// lists the other shards' invocations: they are counted once, by start time and command line.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CorruptFileError } from "../src/corrupt-file-error.js";
import { invocationDataset, type InvocationRecord } from "../src/invocation-log.js";
import { readSealedJson } from "../src/sealed-json.js";

type Interval = readonly [start: number, end: number];

const subdirectories = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];

/** The [start, end) milliseconds an invocation covered. */
const interval = (record: InvocationRecord): Interval => {
  const start = Date.parse(record.startedAt);
  return [start, start + record.wallSeconds * 1000];
};

/** Hours covered by the union of [start, end) intervals (milliseconds). */
function unionHours(intervals: readonly Interval[]): number {
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total / 3.6e6;
}

const hours = (seconds: number) => (seconds / 3600).toFixed(2);
const total = (records: readonly InvocationRecord[], field: "wallSeconds" | "cpuSeconds" | "itemsComputed") =>
  records.reduce((sum, record) => sum + record[field], 0);

/** One row per `--dataset` of an experiment's invocations: their count, items computed, hours and CPU-s per item. */
function datasetRows(experiment: string, records: readonly InvocationRecord[]): string[] {
  const groups = new Map<string, InvocationRecord[]>();
  for (const record of records) groups.set(invocationDataset(record), [...(groups.get(invocationDataset(record)) ?? []), record]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([dataset, group]) => {
    const items = total(group, "itemsComputed");
    const perItem = items > 0 ? (total(group, "cpuSeconds") / items).toFixed(1) : "—";
    return `| ${experiment} | ${dataset} | ${group.length} | ${items} | ${unionHours(group.map(interval)).toFixed(2)} | ${hours(total(group, "wallSeconds"))} | ${hours(total(group, "cpuSeconds"))} | ${perItem} |`;
  });
}

/**
 * One row per `--dataset` and round of a sharded experiment's shard invocations: round 2 (test items) begins with the
 * dataset's first invocation run `--from` a merge, and every later invocation of that dataset counts to it (a round-1
 * command rerun after round 1 is complete computes test items too). Merges and `all` invocations are left out.
 */
function roundRows(experiment: string, records: readonly InvocationRecord[]): string[] {
  const rows: string[] = [];
  const datasets = [...new Set(records.map(invocationDataset))].filter((d) => d !== "merge" && d !== "all").sort();
  for (const dataset of datasets) {
    const group = records.filter((r) => invocationDataset(r) === dataset);
    const secondStarts = group.filter((r) => r.argv.includes("--from")).map((r) => Date.parse(r.startedAt));
    const split = secondStarts.length > 0 ? Math.min(...secondStarts) : Infinity;
    for (const [round, members] of [["1", group.filter((r) => Date.parse(r.startedAt) < split)], ["2", group.filter((r) => Date.parse(r.startedAt) >= split)]] as const) {
      if (members.length === 0) continue;
      const items = total(members, "itemsComputed");
      const perItem = items > 0 ? (total(members, "cpuSeconds") / items).toFixed(2) : "—";
      rows.push(`| ${experiment} | ${dataset} | ${round} | ${members.length} | ${items} | ${unionHours(members.map(interval)).toFixed(2)} | ${hours(total(members, "cpuSeconds"))} | ${perItem} |`);
    }
  }
  return rows;
}

/** The status tables of every experiment under `root`, as Markdown lines. */
async function statusTables(root: string): Promise<string[]> {
  const rows: string[] = [];
  const byDataset: string[] = [];
  const byRound: string[] = [];
  for (const experiment of subdirectories(root).sort()) {
    const shards = subdirectories(join(root, experiment)).filter((name) => name.startsWith("shard-")).sort();
    // unsharded experiments (nested, spirometry) write straight into <experiment>/
    const outputs = new Map<string, { files: Set<string>; invocations: Map<string, InvocationRecord> }>();
    for (const shard of shards.length > 0 ? shards : ["."]) {
      for (const output of subdirectories(join(root, experiment, shard))) {
        if (output === "models" || output.startsWith(".")) continue;
        const entry = outputs.get(output) ?? { files: new Set<string>(), invocations: new Map<string, InvocationRecord>() };
        outputs.set(output, entry);
        for (const fingerprint of subdirectories(join(root, experiment, shard, output, "checkpoints"))) {
          for (const file of readdirSync(join(root, experiment, shard, output, "checkpoints", fingerprint))) {
            if (file !== "manifest.json") entry.files.add(`${fingerprint}/${file}`);
          }
        }
        const ledgers = join(root, experiment, shard, output, "invocations");
        for (const file of existsSync(ledgers) ? readdirSync(ledgers).filter((f) => f.endsWith(".json")) : []) {
          const records = (await readSealedJson<InvocationRecord[]>(join(ledgers, file))) ?? [];
          for (const record of records) entry.invocations.set(`${record.startedAt} ${record.argv.join(" ")}`, record);
        }
      }
    }
    for (const [output, { files, invocations }] of outputs) {
      const items = new Map<string, number>();
      for (const file of files) {
        const match = /\/(val|test)-([a-z]+)-/.exec(file);
        const key = match ? `${match[1]} ${match[2]}` : "items";
        items.set(key, (items.get(key) ?? 0) + 1);
      }
      const records = [...invocations.values()];
      // a record its process did not close is a heartbeat's: the process was killed (a session's end) or still runs
      const running = records.filter((record) => !(record.closed ?? record.finished)).length;
      const counts = [...items].sort().map(([key, n]) => `${key} ${n}`).join(", ") || "none";
      const where = shards.length > 0 ? `${shards.length} shards/${output}` : output;
      rows.push(
        `| ${experiment} | ${where} | ${counts} | ${records.length} (${running} cut off or running) | ${unionHours(records.map(interval)).toFixed(2)} | ${hours(total(records, "wallSeconds"))} | ${hours(total(records, "cpuSeconds"))} |`,
      );
      if (shards.length > 0) byDataset.push(...datasetRows(experiment, records));
      if (shards.length > 0) byRound.push(...roundRows(experiment, records));
    }
  }
  const lines = ["| experiment | output | checkpointed items (stage dataset count) | invocations | elapsed h | wall h (sum) | CPU h |", "|---|---|---|---:|---:|---:|---:|", ...rows];
  if (byDataset.length > 0) {
    lines.push("", "| experiment | `--dataset` | invocations | items computed | elapsed h | wall h (sum) | CPU h | CPU-s per item |", "|---|---|---:|---:|---:|---:|---:|---:|", ...byDataset);
  }
  if (byRound.length > 0) {
    lines.push("", "| experiment | `--dataset` | round | invocations | items computed | elapsed h | CPU h | CPU-s per item |", "|---|---|---:|---:|---:|---:|---:|---:|", ...byRound);
  }
  return lines;
}

const root = process.argv[2] ?? fileURLToPath(new URL("../published/", import.meta.url));
try {
  console.log((await statusTables(root)).join("\n"));
} catch (error) {
  if (!(error instanceof CorruptFileError)) throw error;
  console.error(`published-status: ${error.message}`);
  process.exit(1);
}
