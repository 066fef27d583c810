// Progress and measured cost of the published runs (apps/reproduce/published/): per experiment, the checkpointed
// items by stage and dataset (the union over its shards), and the invocation ledgers (every invocation, finished or
// cut off at its last heartbeat): elapsed hours (the union of their time intervals — the clock time the experiment
// took, shards side by side counted once), and summed wall and CPU hours. A second table splits the same ledgers by
// the `--dataset` each invocation was given (the ledger is per configuration, which covers both datasets, so this is
// how one dataset's cost is read), with the CPU seconds per computed item. Reads only what the runs wrote; prints
// Markdown. Every ledger is checked against its SHA-256 as the app's own reader does (src/sealed-json.ts): a damaged
// one stops the script with a one-line message naming the file, rather than counting wrong hours.
//   node apps/reproduce/scripts/published-status.mjs [published-directory]
//
// A shard's second round imports the merged checkpoints and ledgers (`--from`), so every shard's ledger then also
// lists the other shards' invocations: they are counted once, by start time and command line.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = process.argv[2] ?? fileURLToPath(new URL("../published/", import.meta.url));
/** The value of a sealed JSON file (`{ sha256, value }`); exits with a one-line message when it does not check. */
function sealed(file) {
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    fail(`${file} is not valid JSON (${error.message})`);
  }
  if (typeof parsed?.sha256 !== "string" || !("value" in parsed)) fail(`${file} is not a sealed file ({ sha256, value })`);
  const actual = createHash("sha256").update(JSON.stringify(parsed.value)).digest("hex");
  if (actual !== parsed.sha256) fail(`${file} does not match its SHA-256 (the file was changed or corrupted)`);
  return parsed.value;
}

function fail(message) {
  console.error(`published-status: ${message}`);
  process.exit(1);
}
const subdirectories = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);

/** The `--dataset` an invocation was given; merges and runs without one are counted apart (as `invocationDataset`
 * of src/invocation-log.ts names them). */
function datasetOf(record) {
  const { argv } = record;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--dataset" && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith("--dataset=")) return argv[i].slice("--dataset=".length);
  }
  return argv.includes("merge") ? "merge" : "all";
}

/** One row per `--dataset` of an experiment's invocations: their count, items computed, hours and CPU-s per item. */
function datasetRows(experiment, records) {
  const groups = new Map();
  for (const record of records) {
    const key = datasetOf(record);
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([dataset, group]) => {
    const sum = (field) => group.reduce((total, record) => total + record[field], 0);
    const intervals = group.map((record) => [Date.parse(record.startedAt), Date.parse(record.startedAt) + record.wallSeconds * 1000]);
    const items = sum("itemsComputed");
    const perItem = items > 0 ? (sum("cpuSeconds") / items).toFixed(1) : "—";
    return `| ${experiment} | ${dataset} | ${group.length} | ${items} | ${unionHours(intervals).toFixed(2)} | ${(sum("wallSeconds") / 3600).toFixed(2)} | ${(sum("cpuSeconds") / 3600).toFixed(2)} | ${perItem} |`;
  });
}

/** Hours covered by the union of [start, end) intervals (milliseconds). */
function unionHours(intervals) {
  let total = 0, end = -Infinity;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total / 3.6e6;
}

const rows = [];
const byDataset = [];
for (const experiment of subdirectories(root).sort()) {
  const shards = subdirectories(join(root, experiment)).filter((name) => name.startsWith("shard-")).sort();
  // unsharded experiments (nested, spirometry) write straight into <experiment>/
  const outputs = new Map();
  for (const shard of shards.length > 0 ? shards : ["."]) {
    for (const output of subdirectories(join(root, experiment, shard))) {
      if (output === "models" || output.startsWith(".")) continue;
      const entry = outputs.get(output) ?? { files: new Set(), invocations: new Map() };
      outputs.set(output, entry);
      for (const fingerprint of subdirectories(join(root, experiment, shard, output, "checkpoints"))) {
        for (const file of readdirSync(join(root, experiment, shard, output, "checkpoints", fingerprint))) {
          if (file !== "manifest.json") entry.files.add(`${fingerprint}/${file}`);
        }
      }
      const ledgers = join(root, experiment, shard, output, "invocations");
      for (const file of existsSync(ledgers) ? readdirSync(ledgers).filter((f) => f.endsWith(".json")) : []) {
        for (const record of sealed(join(ledgers, file))) entry.invocations.set(`${record.startedAt} ${record.argv.join(" ")}`, record);
      }
    }
  }
  for (const [output, { files, invocations }] of outputs) {
    const items = new Map();
    for (const file of files) {
      const match = /\/(val|test)-([a-z]+)-/.exec(file);
      const key = match ? `${match[1]} ${match[2]}` : "items";
      items.set(key, (items.get(key) ?? 0) + 1);
    }
    let wall = 0, cpu = 0, running = 0;
    const intervals = [];
    for (const record of invocations.values()) {
      wall += record.wallSeconds;
      cpu += record.cpuSeconds;
      if (!record.finished) running += 1;
      const start = Date.parse(record.startedAt);
      intervals.push([start, start + record.wallSeconds * 1000]);
    }
    const counts = [...items].sort().map(([key, n]) => `${key} ${n}`).join(", ") || "none";
    const where = shards.length > 0 ? `${shards.length} shards/${output}` : output;
    rows.push(`| ${experiment} | ${where} | ${counts} | ${invocations.size} (${running} cut off or running) | ${unionHours(intervals).toFixed(2)} | ${(wall / 3600).toFixed(2)} | ${(cpu / 3600).toFixed(2)} |`);
    if (shards.length > 0) byDataset.push(...datasetRows(experiment, invocations.values()));
  }
}
console.log("| experiment | output | checkpointed items (stage dataset count) | invocations | elapsed h | wall h (sum) | CPU h |");
console.log("|---|---|---|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
if (byDataset.length > 0) {
  console.log("");
  console.log("| experiment | `--dataset` | invocations | items computed | elapsed h | wall h (sum) | CPU h | CPU-s per item |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|");
  for (const row of byDataset) console.log(row);
}
