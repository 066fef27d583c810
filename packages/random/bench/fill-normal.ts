/**
 * Bulk draws of @smoothhess/random against the reference path they must reproduce bit for bit (`pure-rand`'s
 * xoroshiro128+ object, one `normal()` / `uniform()` call per entry), in one process, per CPU-second: 784 draws
 * per call (one MNIST-sized perturbation, as the Stein estimators draw them) and one call for everything; then the
 * ziggurat's normals (`zigguratSampler`, other numbers) against Box–Muller's bulk fill in the same run.
 *
 *   pnpm --filter @smoothhess/random bench            DRAWS=20000000 ROUNDS=3 to change the size
 */
import { machineLine, printTable } from "@smoothhess/bench-tools";
import { gaussianSampler, zigguratSampler } from "../src/index.js";
import { ReferenceSampler } from "../src/reference-sampler.js";

const DRAWS = Number(process.env.DRAWS ?? 10_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BLOCK = 784;

interface Filler {
  fillNormal(out: Float64Array, start?: number, end?: number): Float64Array;
  fillUniform(out: Float64Array, start?: number, end?: number): Float64Array;
}

/** Least CPU-seconds over the rounds (the least disturbed on a shared machine) of drawing DRAWS numbers. */
function cpuSeconds(run: () => number): { seconds: number; check: number } {
  let best = Infinity, check = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    check = run();
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / 1e6);
  }
  return { seconds: best, check };
}

function blocks(make: () => Filler, method: "fillNormal" | "fillUniform"): () => number {
  return () => {
    const rng = make(), out = new Float64Array(BLOCK);
    let check = 0;
    for (let done = 0; done < DRAWS; done += BLOCK) check += rng[method](out)[BLOCK - 1];
    return check;
  };
}

function whole(make: () => Filler, method: "fillNormal" | "fillUniform", out: Float64Array): () => number {
  return () => make()[method](out)[DRAWS - 1];
}

const reference = () => new ReferenceSampler(1) as Filler;
const fast = () => gaussianSampler(1) as Filler;
const big = new Float64Array(DRAWS);
console.log(`# @smoothhess/random: bulk draws, ${DRAWS.toLocaleString("en")} per run (least CPU-s of ${ROUNDS} rounds)\n${machineLine()}\n`);
const rows: (string | number)[][] = [["what", "reference CPU-s", "fill CPU-s", "reference ÷ fill", "fill: millions per CPU-s"]];
for (const [label, method, layout] of [
  [`normals, ${BLOCK} per call`, "fillNormal", "blocks"],
  ["normals, one call", "fillNormal", "whole"],
  [`uniforms, ${BLOCK} per call`, "fillUniform", "blocks"],
] as const) {
  const make = (f: () => Filler) => (layout === "blocks" ? blocks(f, method) : whole(f, method, big));
  const a = cpuSeconds(make(reference)), b = cpuSeconds(make(fast));
  if (!Object.is(a.check, b.check)) throw new Error(`${label}: the fill differs from the reference (${b.check} ≠ ${a.check})`);
  rows.push([label, a.seconds, b.seconds, a.seconds / b.seconds, DRAWS / b.seconds / 1e6]);
}
printTable(rows);

console.log("");
const ziggurat = () => zigguratSampler(1) as Filler;
const methodRows: (string | number)[][] = [["normals", "Box–Muller fill CPU-s", "ziggurat fill CPU-s", "Box–Muller ÷ ziggurat", "ziggurat: millions per CPU-s"]];
for (const [label, layout] of [[`${BLOCK} per call`, "blocks"], ["one call", "whole"]] as const) {
  const make = (f: () => Filler) => (layout === "blocks" ? blocks(f, "fillNormal") : whole(f, "fillNormal", big));
  const a = cpuSeconds(make(fast)), b = cpuSeconds(make(ziggurat));
  methodRows.push([label, a.seconds, b.seconds, a.seconds / b.seconds, DRAWS / b.seconds / 1e6]);
}
printTable(methodRows);
