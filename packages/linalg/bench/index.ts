/**
 * Benchmarks of @smoothhess/linalg. Run with `pnpm --filter @smoothhess/linalg bench` (routine set), or name
 * cases: `pnpm --filter @smoothhess/linalg bench dense-784 factored-3072`. The ImageNet-sized factored case
 * (d = 150,528, several minutes, ~5 GB) runs only when named or with `BENCH_IMAGENET=1`; the dense d = 3072
 * comparison (minutes) only with `BENCH_DENSE_3072=1`.
 *
 * Every case runs in its own child process so that its peak memory (`maxRSS`) is its own; each reports a ratio
 * against a baseline measured in that same process.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { machineLine, printTable } from "@smoothhess/bench-tools";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import {
  addTransposedProduct,
  eigenFromFactors,
  matVec,
  reducedTrustRegionStep,
  symmetricEigen,
  symmetrizeInPlace,
  trustRegionStep,
} from "../src/index.js";
import { uniformGenerator } from "../src/random.js";
import { lapackComparison } from "./lapack-comparison.js";

type Row = (string | number)[];
interface CaseResult {
  readonly title: string;
  readonly rows: Row[];
  readonly notes: string[];
}

const MB = 2 ** 20;

function filled(n: number, seed: number): Float64Array {
  const next = uniformGenerator(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * next() - 1;
  return out;
}

function randomSymmetric(d: number, seed: number): Float64Array {
  const a = filled(d * d, seed);
  return symmetrizeInPlace(a, d);
}

function seconds(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Peak resident memory of this process so far, bytes. */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

const cases: Record<string, () => CaseResult | Promise<CaseResult>> = {
  lapack: lapackComparison,

  "dense-784": () => {
    const d = 784;
    const a = randomSymmetric(d, 1);
    const before = process.memoryUsage.rss();
    const ours = seconds(() => symmetricEigen(a, d));
    const oursPeak = peakRss() - before;
    const rows = Array.from({ length: d }, (_, i) => Array.from(a.subarray(i * d, i * d + d)));
    const baseline = seconds(() => new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }));
    return {
      title: `Dense symmetric eigendecomposition, d = ${d} (all pairs)`,
      rows: [
        ["method", "seconds", "ratio to ml-matrix", "extra peak RSS (MiB)"],
        ["ml-matrix EigenvalueDecomposition (baseline)", baseline, 1, "-"],
        ["symmetricEigen", ours, ours / baseline, oursPeak / MB],
      ],
      notes: [],
    };
  },

  "factored-3072": () => factored(3072, 1000, 100, process.env.BENCH_DENSE_3072 === "1"),
  "factored-150528": () => factored(150_528, 1000, 100, false),

  "trust-region-784": () => {
    const d = 784;
    const h = randomSymmetric(d, 2);
    const g = filled(d, 3);
    const eigen = symmetricEigen(h, d);
    const reps = 200;
    const x = filled(d, 4);
    const baseline = seconds(() => {
      for (let r = 0; r < reps; r++) matVec(h, d, x);
    }) / reps;
    const full = seconds(() => {
      for (let r = 0; r < reps; r++) trustRegionStep({ gradient: g, eigen, radius: 0.5 });
    }) / reps;
    let rank = 0;
    const reduced = seconds(() => {
      for (let r = 0; r < reps; r++) rank = reducedTrustRegionStep({ gradient: g, eigen, radius: 0.5, energy: 0.98 }).rank;
    }) / reps;
    const dense = seconds(() => trustRegionStep({ gradient: g, hessian: h, radius: 0.5 }));
    const denseEigen = seconds(() => trustRegionStep({ gradient: g, hessian: h, radius: 0.5, method: "eigen" }));
    return {
      title: `Exact trust-region step (the second-order attack), d = ${d}, random indefinite H, r = 0.5`,
      rows: [
        ["what", "seconds per step", "ratio to one d×d mat-vec"],
        ["one dense mat-vec H·x (baseline)", baseline, 1],
        ["trustRegionStep from all d eigenpairs", full, full / baseline],
        [`reducedTrustRegionStep, T = 0.98 (k = ${rank})`, reduced, reduced / baseline],
        ["trustRegionStep from the dense H (method auto: Krylov subspace)", dense, dense / baseline],
        ["trustRegionStep from the dense H, method eigen (includes symmetricEigen)", denseEigen, denseEigen / baseline],
      ],
      notes: ["The paper's implementation solves the reduced problem with a generic SDP solver, about 2 s per point."],
    };
  },
};

/**
 * eigenFromFactors on m×d factors (float64), top k pairs. Baseline in the same process: forming H = sym(AᵀB)/m
 * densely with addTransposedProduct (d²·m multiply-adds, the least any dense method pays), when d² fits in memory;
 * otherwise a calibration loop of plain 4×4-tiled multiply-adds.
 */
function factored(d: number, m: number, k: number, withDenseEigen: boolean): CaseResult {
  const a = filled(m * d, 5);
  const b = filled(m * d, 6);
  const inputBytes = (a.byteLength + b.byteLength) / MB;
  const before = process.memoryUsage.rss();
  let topValue = 0;
  const ours = seconds(() => {
    topValue = eigenFromFactors(a, b, m, d, { k }).values[0];
  });
  const oursPeak = peakRss() - before;
  const madds = d * (2 * m) ** 2; // the QR's multiply-adds, the dominant term
  const rows: Row[] = [["what", "seconds", "ratio to baseline", "extra peak RSS (MiB)", "note"]];
  const notes = [
    `Inputs: two ${m}×${d} float64 factors (${inputBytes.toFixed(0)} MiB). H itself would take d²·8 B = ${((d * d * 8) / MB).toFixed(0)} MiB.`,
    `Largest |λ| = ${topValue.toPrecision(6)}.`,
  ];
  if (d * d * 8 <= 2 ** 31) {
    const h = new Float64Array(d * d);
    const form = seconds(() => {
      addTransposedProduct(h, a, b, m, d, d, 1 / m);
      symmetrizeInPlace(h, d);
    });
    rows.push(["baseline: form H = sym(AᵀB)/m densely (d²·m multiply-adds)", form, 1, "-", `${((d * d * m) / form / 1e9).toFixed(2)} G multiply-adds/s`]);
    rows.push([`eigenFromFactors, top ${k} pairs`, ours, ours / form, oursPeak / MB, `${(madds / ours / 1e9).toFixed(2)} G QR multiply-adds/s`]);
    if (withDenseEigen) {
      const dense = seconds(() => symmetricEigen(h, d, { k }));
      rows.push([`symmetricEigen of the formed H, top ${k} pairs`, dense, dense / form, "-", "dense alternative: form + this"]);
    }
  } else {
    const calibration = calibrate();
    rows.push(["baseline: 1e10 multiply-adds in 4×4 register tiles", calibration, 1, "-", `${(1e10 / calibration / 1e9).toFixed(2)} G multiply-adds/s`]);
    rows.push([`eigenFromFactors, top ${k} pairs`, ours, ours / calibration, oursPeak / MB, `${(madds / ours / 1e9).toFixed(2)} G QR multiply-adds/s`]);
  }
  return { title: `Factored eigenpairs, H = sym(AᵀB)/m, d = ${d}, m = ${m}`, rows, notes };
}

/** 1e10 multiply-adds of the kind the QR's kernels do, on data that stays in cache. */
function calibrate(): number {
  const n = 1024;
  const x = filled(8 * n, 7);
  const out = new Float64Array(16);
  return seconds(() => {
    for (let rep = 0; rep < 1e10 / (16 * n); rep++) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let t = 0; t < n; t++) {
        const p0 = x[t], p1 = x[n + t], p2 = x[2 * n + t], p3 = x[3 * n + t];
        const q0 = x[4 * n + t], q1 = x[5 * n + t], q2 = x[6 * n + t], q3 = x[7 * n + t];
        s00 += p0 * q0; s01 += p0 * q1; s02 += p0 * q2; s03 += p0 * q3;
        s10 += p1 * q0; s11 += p1 * q1; s12 += p1 * q2; s13 += p1 * q3;
        s20 += p2 * q0; s21 += p2 * q1; s22 += p2 * q2; s23 += p2 * q3;
        s30 += p3 * q0; s31 += p3 * q1; s32 += p3 * q2; s33 += p3 * q3;
      }
      out[0] += s00 + s01 + s02 + s03 + s10 + s11 + s12 + s13 + s20 + s21 + s22 + s23 + s30 + s31 + s32 + s33;
    }
  });
}

const ROUTINE = ["lapack", "dense-784", "trust-region-784", "factored-3072"];

if (process.argv[2] === "--case") {
  const result = await cases[process.argv[3]]();
  process.stdout.write(JSON.stringify(result));
} else {
  const named = process.argv.slice(2);
  const selected = named.length > 0 ? named : [...ROUTINE, ...(process.env.BENCH_IMAGENET === "1" ? ["factored-150528"] : [])];
  for (const name of selected) {
    if (!(name in cases)) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(", ")}`);
  }
  console.log(`# @smoothhess/linalg benchmarks\n${machineLine()}\n`);
  for (const name of selected) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--case", name], {
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`case ${name} failed with status ${child.status}`);
    const result = JSON.parse(child.stdout.toString()) as CaseResult;
    console.log(`## ${result.title}\n`);
    printTable(result.rows);
    for (const note of result.notes) console.log(`\n${note}`);
    console.log("");
  }
}
