#!/usr/bin/env node
// Compare the numbers of two reproduce output folders (e.g. `all --quick` before and after a refactoring):
// node apps/reproduce/scripts/compare-results.mjs BEFORE AFTER
// For every <experiment>/results.json of BEFORE, the AFTER file must hold the same JSON (key order ignored, numbers
// compared exactly) once the keys that describe the run, not its numbers, are removed: `timings` (wall time, finish
// date) and `packageVersions`. Everything else — experiment, config, seed, backend, results — is compared. Exits 1 on
// any difference.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const EXCLUDED = ["timings", "packageVersions"];
const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: compare-results.mjs BEFORE AFTER");
  process.exit(2);
}

function differences(a, b, path, out) {
  const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (kind(a) !== kind(b)) return out.push(`${path}: ${kind(a)} vs ${kind(b)}`);
  if (kind(a) === "array") {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${path}[${i}]`, out);
  } else if (kind(a) === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a)) out.push(`${path}.${k}: only after`);
      else if (!(k in b)) out.push(`${path}.${k}: only before`);
      else differences(a[k], b[k], `${path}.${k}`, out);
    }
  } else if (a !== b) out.push(`${path}: ${a} vs ${b}`);
}

const countNumbers = (v) => (typeof v === "number" ? 1 : v && typeof v === "object" ? Object.values(v).reduce((s, x) => s + countNumbers(x), 0) : 0);
let total = 0, failures = 0;
for (const name of readdirSync(before).sort()) {
  const file = join(before, name, "results.json");
  if (!existsSync(file)) continue;
  const other = join(after, name, "results.json");
  if (!existsSync(other)) {
    console.log(`${name}: no results.json after`);
    failures++;
    continue;
  }
  const [a, b] = [file, other].map((f) => JSON.parse(readFileSync(f, "utf8")));
  for (const k of EXCLUDED) delete a[k], delete b[k];
  const out = [];
  differences(a, b, name, out);
  const n = countNumbers(a);
  total += n;
  failures += out.length;
  console.log(`${name}: ${n} numbers compared, ${out.length} differences`);
  for (const line of out.slice(0, 20)) console.log(`    ${line}`);
}
console.log(`total: ${total} numbers, ${failures} differences`);
process.exit(failures ? 1 : 0);
