/**
 * `bench lapack`: symmetricEigen (all pairs, eigenvalues only), the second-order attack per point (five radii) and
 * the GEMM kernel against numpy/LAPACK on the same matrices in the same run. The cores are shared, so both sides are
 * measured in CPU seconds, interleaved (ours, numpy, ours, numpy, …), and the medians are compared. numpy runs in
 * `/usr/bin/python3` (or `BENCH_PYTHON`) with one OpenBLAS thread; without numpy only our times are printed.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  addTransposedProduct,
  kernelBackend,
  krylovTrustRegion,
  reducedTrustRegionStep,
  symmetricEigen,
  symmetricEigenvalues,
  symmetrizeInPlace,
  trustRegionStep,
} from "../src/index.js";
import { createWasmKernels } from "../src/kernels/wasm-kernels.js";
import { jsKernels } from "../src/kernels/js-kernels.js";
import { uniformGenerator } from "../src/random.js";

type Row = (string | number)[];
export interface CaseResult {
  readonly title: string;
  readonly rows: Row[];
  readonly notes: string[];
}

const RADII = [0.25, 0.5, 0.75, 1.25, 1.75];
const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";

function filled(n: number, seed: number): Float64Array {
  const next = uniformGenerator(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * next() - 1;
  return out;
}

/** CPU seconds (user + system) of this process spent in `fn`. */
function cpuSeconds(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};

/** The numpy side, one long-lived process answering JSON commands. */
class NumpyBaseline {
  private readonly child;
  private readonly lines: AsyncIterableIterator<string>;
  private constructor() {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const script = fileURLToPath(new URL("./numpy-baseline.py", import.meta.url));
    this.child = spawn(PYTHON, [script], { env, stdio: ["pipe", "pipe", "inherit"] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  /** The baseline, or null when the interpreter has no numpy. */
  static start(): NumpyBaseline | null {
    const probe = spawnSync(PYTHON, ["-c", "import numpy"], { stdio: "ignore" });
    return probe.status === 0 ? new NumpyBaseline() : null;
  }

  async run(command: object): Promise<{ seconds: number; gflops?: number }> {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error("the numpy baseline exited");
    const answer = JSON.parse(value) as { seconds: number; gflops?: number; error?: string };
    if (answer.error) throw new Error(answer.error);
    return answer;
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

/** A Monte-Carlo-like attack Hessian `sym(AᵀB)/m` (indefinite, spread spectrum) and a small gradient. */
function attackProblem(d: number): { h: Float64Array; g: Float64Array } {
  const m = 1000;
  const a = filled(m * d, 21);
  const b = filled(m * d, 22);
  const h = symmetrizeInPlace(addTransposedProduct(new Float64Array(d * d), a, b, m, d, d, 1 / m), d);
  const g = filled(d, 23).map((v) => 0.01 * v);
  return { h, g };
}

export async function lapackComparison(): Promise<CaseResult> {
  const numpy = NumpyBaseline.start();
  const dir = mkdtempSync(join(tmpdir(), "linalg-bench-"));
  const rows: Row[] = [["what", "ours (CPU s, median)", "numpy (CPU s, median)", "ratio ours/numpy", "repeats"]];
  const notes: string[] = [];
  const write = (name: string, data: Float64Array): string => {
    const file = join(dir, name);
    writeFileSync(file, data);
    return file;
  };
  const compare = async (what: string, repeats: number, ours: () => unknown, theirs: object | null): Promise<void> => {
    ours(); // warm-up (JIT, wasm compilation)
    const mine: number[] = [];
    const their: number[] = [];
    for (let r = 0; r < repeats; r++) {
      mine.push(cpuSeconds(ours));
      if (numpy && theirs) their.push((await numpy.run(theirs)).seconds);
    }
    const m = median(mine);
    const t = their.length ? median(their) : NaN;
    rows.push([what, m, their.length ? t : "-", their.length ? m / t : "-", repeats]);
  };
  try {
    for (const d of [784, 1500]) {
      const a = symmetrizeInPlace(filled(d * d, d), d);
      const file = write(`a${d}.bin`, a);
      const repeats = d === 784 ? 7 : 3;
      await compare(`symmetricEigen, all pairs, d = ${d} (numpy eigh)`, repeats, () => symmetricEigen(a, d), { op: "eigh", file, n: d });
      await compare(`symmetricEigenvalues, d = ${d} (numpy eigvalsh)`, repeats, () => symmetricEigenvalues(a, d), { op: "eigvalsh", file, n: d });
    }
    {
      const d = 784;
      const { h, g } = attackProblem(d);
      const file = write("h784.bin", h);
      const gradient = write("g784.bin", g);
      const numpyAttack = { op: "attack", file, gradient, n: d, radii: RADII };
      await compare("attack per point, 5 radii, exact: one Krylov subspace (numpy eigh + secular equation)", 7, () => {
        const solver = krylovTrustRegion({ gradient: g, hessian: h });
        for (const radius of RADII) solver.solve(radius);
      }, numpyAttack);
      await compare("attack per point, 5 radii, reduced T = 0.98: symmetricEigen({ energy }) + secular equation", 5, () => {
        const eigen = symmetricEigen(h, d, { energy: 0.98 });
        for (const radius of RADII) reducedTrustRegionStep({ gradient: g, eigen, radius, energy: 0.98 });
      }, numpyAttack);
      await compare("attack per point, 5 radii, exact via all eigenpairs (the reference path)", 5, () => {
        const eigen = symmetricEigen(h, d);
        for (const radius of RADII) trustRegionStep({ gradient: g, eigen, radius });
      }, numpyAttack);
      const solver = krylovTrustRegion({ gradient: g, hessian: h });
      for (const radius of RADII) solver.solve(radius);
      notes.push(`Krylov subspace dimension for the five radii at d = ${d}: ${solver.dimension}.`);
    }
    if (process.env.BENCH_SKIP_3072 !== "1") {
      const d = 3072;
      const a = symmetrizeInPlace(filled(d * d, d), d);
      const file = write(`a${d}.bin`, a);
      const mine = cpuSeconds(() => symmetricEigen(a, d));
      const theirs = numpy ? (await numpy.run({ op: "eigh", file, n: d })).seconds : NaN;
      rows.push([`symmetricEigen, all pairs, d = ${d} (numpy eigh), one run`, mine, numpy ? theirs : "-", numpy ? mine / theirs : "-", 1]);
    }
    // the GEMM kernel: C += A·B at n = 784 in the kernel's own memory, against numpy float64 and float32 GEMM
    {
      const n = 784;
      const wasm = createWasmKernels();
      const kernels = wasm ?? jsKernels;
      const [a, b, c] = kernels.workspace([n * n, n * n, n * n]);
      a.set(filled(n * n, 1));
      b.set(filled(n * n, 2));
      const gemm = () => kernels.gemm(n, n, n, 1, a, 0, n, b, 0, n, c, 0, n);
      gemm();
      const seconds = median(Array.from({ length: 5 }, () => cpuSeconds(gemm)));
      const ours = (2 * n ** 3) / seconds / 1e9;
      rows.push([`GEMM ${n}³ float64, ${kernels.name} kernel (GFLOP/s in the seconds column's place)`, ours, "-", "-", 5]);
      if (numpy) {
        const f64 = (await numpy.run({ op: "gemm", n, dtype: "float64" })).gflops!;
        const f32 = (await numpy.run({ op: "gemm", n, dtype: "float32" })).gflops!;
        notes.push(
          `GEMM at n = ${n}, one thread, GFLOP/s per CPU-second: ours (float64, ${kernels.name}) ${ours.toFixed(1)}; numpy/OpenBLAS float64 ${f64.toFixed(1)}, float32 ${f32.toFixed(1)}. ` +
            `Ours reaches ${((100 * ours) / f64).toFixed(0)} % of OpenBLAS float64 and ${((100 * ours) / f32).toFixed(0)} % of its float32 GEMM on one core.`,
        );
      }
      kernels.release();
    }
  } finally {
    numpy?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (!numpy) notes.push(`numpy not found in ${PYTHON}: only our times are shown.`);
  notes.push(`Kernel backend: ${kernelBackend()}. CPU seconds of each process (user + system), medians over the repeats, measured interleaved.`);
  return { title: "symmetricEigen and the attack against numpy/LAPACK (one thread), same matrices, same run", rows, notes };
}
