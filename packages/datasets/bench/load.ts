/**
 * Load time and memory of the embedded MNIST and Fashion-MNIST loaders.
 *
 *   pnpm --filter @smoothhess/datasets bench            (or: cd packages/datasets && pnpm bench)
 *
 * Time: in one process, the loader is timed against a baseline that does the least any loader must do —
 * read each of the package's ten JSON files and `JSON.parse` it — and the ratio loader / baseline is
 * printed (medians of 3 alternating runs; the cores may be shared, ratios are steadier than seconds).
 * Memory: each loader runs once in a fresh child process, which reports its peak resident set size
 * (`process.resourceUsage().maxRSS`), the RSS of an idle process that imported the package, and what the
 * result retains after a forced GC.
 */
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Dataset, loadEmbeddedFashionMnist, loadEmbeddedMnist } from "../src/index.js";

const script = fileURLToPath(import.meta.url);
const MiB = 2 ** 20;

const sets = {
  mnist: { load: loadEmbeddedMnist, pkg: "mnist", folder: "digits" },
  "fashion-mnist": { load: loadEmbeddedFashionMnist, pkg: "fashion-mnist", folder: "clothes" },
} as const;
type Name = keyof typeof sets;

/** Baseline: read and JSON.parse the ten class files, keep nothing. */
async function parseOnly(name: Name): Promise<number> {
  const require = createRequire(script);
  const dir = join(dirname(require.resolve(sets[name].pkg)), sets[name].folder);
  let entries = 0;
  for (let c = 0; c < 10; c++) {
    const parsed = JSON.parse(await readFile(join(dir, `${c}.json`), "utf8")) as { data: unknown[] };
    entries += parsed.data.length;
  }
  return entries;
}

async function timeChild(name: Name): Promise<void> {
  const base: number[] = [];
  const load: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    let t = performance.now();
    await parseOnly(name);
    base.push(performance.now() - t);
    t = performance.now();
    const ds: Dataset = await sets[name].load();
    load.push(performance.now() - t);
    if (ds.n === 0) throw new Error("empty dataset");
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[1];
  console.log(JSON.stringify({ base: median(base), load: median(load) }));
}

async function memoryChild(name: Name | "idle"): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const idle = process.memoryUsage();
  let n = 0, bytes = 0;
  if (name !== "idle") {
    const ds = await sets[name].load();
    n = ds.n;
    bytes = ds.x.byteLength + ds.y.byteLength;
    gc();
    const after = process.memoryUsage();
    console.log(
      JSON.stringify({
        n,
        bytes,
        maxRss: process.resourceUsage().maxRSS * 1024,
        idleRss: idle.rss,
        retainedRss: after.rss,
        heapUsed: after.heapUsed,
        arrayBuffers: after.arrayBuffers,
      }),
    );
    return;
  }
  console.log(JSON.stringify({ maxRss: process.resourceUsage().maxRSS * 1024, idleRss: idle.rss }));
}

function child(args: string[]): Record<string, number> {
  const run = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", script, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`child ${args.join(" ")} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

async function main(): Promise<void> {
  const [mode, name] = process.argv.slice(2);
  if (mode === "--time") return timeChild(name as Name);
  if (mode === "--memory") return memoryChild(name as Name | "idle");

  const idle = child(["--memory", "idle"]);
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}; idle process with the package imported: peak RSS ${(idle.maxRss / MiB).toFixed(0)} MiB`);
  console.log("");
  console.log("| dataset | images | Float32 data | load (median of 3) | JSON.parse baseline | ratio | peak RSS | RSS after load + GC |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const name of Object.keys(sets) as Name[]) {
    const t = child(["--time", name]);
    const m = child(["--memory", name]);
    console.log(
      `| ${name} | ${m.n.toLocaleString("en-US")} | ${(m.bytes / MiB).toFixed(0)} MiB | ${(t.load / 1000).toFixed(2)} s | ` +
        `${(t.base / 1000).toFixed(2)} s | ${(t.load / t.base).toFixed(2)} | ${(m.maxRss / MiB).toFixed(0)} MiB | ` +
        `${(m.retainedRss / MiB).toFixed(0)} MiB |`,
    );
  }
}

await main();
