// Progress and measured cost of the published runs (apps/reproduce/published/): per experiment and shard, the
// checkpointed items by stage and dataset, and the sums of the invocation ledgers (wall and CPU seconds of every
// invocation, finished or cut off at its last heartbeat). Reads only what the runs wrote; prints Markdown.
//   node apps/reproduce/scripts/published-status.mjs [published-directory]
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = process.argv[2] ?? fileURLToPath(new URL("../published/", import.meta.url));
const sealed = (file) => JSON.parse(readFileSync(file, "utf8")).value;
const subdirectories = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : []);

const rows = [];
for (const experiment of subdirectories(root).sort()) {
  const shards = subdirectories(join(root, experiment)).filter((name) => name.startsWith("shard-")).sort();
  // unsharded experiments (nested, spirometry) write straight into <experiment>/
  for (const shard of shards.length > 0 ? shards : ["."]) {
    for (const output of subdirectories(join(root, experiment, shard))) {
      if (output === "models" || output.startsWith(".")) continue;
      const items = new Map();
      for (const fingerprint of subdirectories(join(root, experiment, shard, output, "checkpoints"))) {
        for (const file of readdirSync(join(root, experiment, shard, output, "checkpoints", fingerprint))) {
          if (file === "manifest.json") continue;
          const match = /^(val|test)-([a-z]+)-/.exec(file);
          const key = match ? `${match[1]} ${match[2]}` : "items";
          items.set(key, (items.get(key) ?? 0) + 1);
        }
      }
      let wall = 0, cpu = 0, invocations = 0, running = 0;
      const ledgers = join(root, experiment, shard, output, "invocations");
      for (const file of existsSync(ledgers) ? readdirSync(ledgers).filter((f) => f.endsWith(".json")) : []) {
        for (const entry of sealed(join(ledgers, file))) {
          wall += entry.wallSeconds;
          cpu += entry.cpuSeconds;
          invocations += 1;
          if (!entry.finished) running += 1;
        }
      }
      const counts = [...items].sort().map(([key, n]) => `${key} ${n}`).join(", ") || "none";
      rows.push(`| ${experiment} | ${shard}/${output} | ${counts} | ${invocations} (${running} cut off or running) | ${(wall / 3600).toFixed(2)} | ${(cpu / 3600).toFixed(2)} |`);
    }
  }
}
console.log("| experiment | shard | checkpointed items (stage dataset count) | invocations | wall h | CPU h |");
console.log("|---|---|---|---:|---:|---:|");
for (const row of rows) console.log(row);
