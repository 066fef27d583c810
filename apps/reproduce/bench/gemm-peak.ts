/**
 * The reference for "fraction of peak": numpy/OpenBLAS float32 GEMM on one core, in GFLOP per CPU-second,
 * measured by `@smoothhess/linalg`'s numpy baseline (`packages/linalg/bench/numpy-baseline.py`, op "gemm": C = A·B
 * of n×n random matrices, 5 timed products after one warm-up) through Debian's `/usr/bin/python3` (or
 * `BENCH_PYTHON`). The child alone gets `OPENBLAS_NUM_THREADS=1` and loses `OPENBLAS_CORETYPE`/`OPENBLAS_L2_SIZE`
 * (set on the development machine, where they slow OpenBLAS about 2×). Without numpy (CI) there is no peak and the
 * bench prints a note instead of fractions.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../../../packages/linalg/bench/numpy-baseline.py", import.meta.url));

/** GFLOP per CPU-second of numpy's float32 GEMM at each size, or why there is none. */
export type GemmPeak = { readonly rates: ReadonlyMap<number, number>; readonly best: number } | { readonly skipped: string };

/** Measure float32 GEMM at the orders `sizes` in one child process. */
export function measureGemmPeak(sizes: readonly number[]): GemmPeak {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const probe = spawnSync(PYTHON, ["-c", "import numpy"], { env, stdio: "ignore" });
  if (probe.error || probe.status !== 0) return { skipped: `no numpy in ${PYTHON} (${probe.error?.message ?? `exit ${probe.status}`}): fractions of peak not printed` };
  const input = sizes.map((n) => JSON.stringify({ op: "gemm", n, dtype: "float32" })).join("\n") + "\n";
  const child = spawnSync(PYTHON, [SCRIPT], { env, input, encoding: "utf8" });
  if (child.error || child.status !== 0) return { skipped: `numpy baseline failed (${child.error?.message ?? `exit ${child.status}: ${child.stderr.trim().split("\n").pop()}`})` };
  const lines = child.stdout.trim().split("\n");
  if (lines.length !== sizes.length) return { skipped: `numpy baseline answered ${lines.length} lines for ${sizes.length} sizes` };
  const rates = new Map<number, number>();
  lines.forEach((line, i) => {
    const answer = JSON.parse(line) as { gflops?: number; error?: string };
    if (typeof answer.gflops === "number" && Number.isFinite(answer.gflops)) rates.set(sizes[i], answer.gflops);
  });
  if (rates.size === 0) return { skipped: "numpy baseline gave no GEMM rate" };
  return { rates, best: Math.max(...rates.values()) };
}

/** The best of several measurements of the same sizes (the least disturbed one on a shared machine). */
export function bestPeak(peaks: readonly GemmPeak[]): GemmPeak {
  const measured = peaks.filter((p): p is Extract<GemmPeak, { best: number }> => "best" in p);
  if (measured.length === 0) return peaks[0];
  const rates = new Map<number, number>();
  for (const p of measured) for (const [n, r] of p.rates) rates.set(n, Math.max(rates.get(n) ?? 0, r));
  return { rates, best: Math.max(...rates.values()) };
}
