/**
 * P_MSE ball scoring at the paper's MNIST scale, in one process: 228 second-order Taylor models (the size of a
 * validation sweep: 114 β values × SoftPlus/Swish) scored on one ball of 1,000 points at d = 784, i.e. one
 * (1000×784)·(784×784) product per model, per second and per CPU-second (the cores are shared), for
 *
 *   - `PerturbationBall` of `@smoothhess/metrics/tfjs` on tfjs-wasm (the baseline: what apps/reproduce used),
 *   - `perturbationBalls` of `@smoothhess/metrics` with `tfjsQuadraticFormKernel`, `linalgQuadraticFormKernel`
 *     (float64 JavaScript; a subset of the models, rates scaled) and `onnxQuadraticFormKernel` (1 and all threads;
 *     also the kernel's `evaluate` alone, with float64 and float32 `H`, and three radii stacked in one call),
 *   - ONNX Runtime's bare `MatMul` of the same shapes (the kernel's ceiling on this engine),
 *   - numpy/OpenBLAS float32 through /usr/bin/python3 (one thread; the GEMM alone and the whole form), skipped with a
 *     note when absent.
 *
 *   pnpm --filter @smoothhess/onnx bench:balls
 *   MODELS=228 LINALG_MODELS=6 …        models per configuration; models of the slow float64 kernel
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machineLine, printTable } from "@smoothhess/bench-tools";
import { linalgQuadraticFormKernel, perturbationBalls, type BallModel, type PerturbationBalls, type QuadraticFormKernel } from "@smoothhess/metrics";
import { PerturbationBall, hessianTensor, tfjsQuadraticFormKernel } from "@smoothhess/metrics/tfjs";
import { gaussianSampler } from "@smoothhess/random";
import { useBackend } from "@smoothhess/tfjs";
import { loadOnnxModel, onnxOracle, onnxQuadraticFormKernel } from "../src/index.js";
import { OnnxGraphWriter } from "../src/onnx-graph-writer.js";
import { createSession, defaultRuntime } from "../src/runtime.js";

const N = 1000;
const D = 784;
const MODELS = Number(process.env.MODELS ?? 228);
const LINALG_MODELS = Number(process.env.LINALG_MODELS ?? 6);
/** Distinct Hessians in memory (4.9 MB each in float64); models cycle over them, one `scoreMany` call per chunk. */
const DISTINCT = 12;
const CORES = os.availableParallelism();
const PYTHON = "/usr/bin/python3";
const GFLOP_PER_MODEL = (2 * N * D * D) / 1e9;
const here = path.dirname(fileURLToPath(import.meta.url));

interface Timing {
  readonly models: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** Wall and CPU time (this process, all threads) of `run` after one untimed warm-up call of `warmup`. */
async function timed(models: number, run: () => Promise<void>, warmup: () => Promise<void>): Promise<Timing> {
  await warmup();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { models, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function symmetric(seed: number, scale: number): Float64Array {
  const raw = gaussianSampler(seed).fillNormal(new Float64Array(D * D));
  for (let i = 0; i < D; i++) {
    for (let j = i + 1; j < D; j++) {
      const v = (scale * (raw[i * D + j] + raw[j * D + i])) / 2;
      raw[i * D + j] = v;
      raw[j * D + i] = v;
    }
    raw[i * D + i] *= scale;
  }
  return raw;
}

const hessians = Array.from({ length: DISTINCT }, (_, k) => symmetric(100 + k, 0.01));
const gradients = Array.from({ length: DISTINCT }, (_, k) => gaussianSampler(200 + k).fillNormal(new Float64Array(D)).map((g) => 0.05 * g));
const modelAt = (m: number): BallModel => ({ gradient: gradients[m % DISTINCT], hessian: hessians[m % DISTINCT] });

/** `scoreMany` over `count` models, `DISTINCT` per call (each call's Hessians are distinct arrays). */
async function scoreModels(balls: PerturbationBalls, count: number): Promise<void> {
  for (let start = 0; start < count; start += DISTINCT) {
    const chunk = Array.from({ length: Math.min(DISTINCT, count - start) }, (_, k) => modelAt(start + k));
    await balls.scoreMany(chunk);
  }
}

/** ONNX Runtime's GEMM of the same shapes with nothing around it: the kernel's ceiling on this engine. */
async function bareMatMul(u: Float64Array): Promise<Timing> {
  const ort = await defaultRuntime();
  const graph = new OnnxGraphWriter("matmul");
  const a = graph.input("u", ["n", "d"]);
  const b = graph.input("h", ["d", "d"]);
  graph.reserve("y");
  graph.nodeWithOutputs("MatMul", [a, b], ["y"]);
  graph.output("y", ["n", "d"]);
  const owned = await createSession(ort, graph.encode("bench"), { threads: 1 });
  try {
    const feedsU = new ort.Tensor("float32", Float32Array.from(u), [N, D]);
    const hs = hessians.map((h) => new ort.Tensor("float32", Float32Array.from(h), [D, D]));
    const y = new ort.Tensor("float32", new Float32Array(N * D), [N, D]);
    const run = (m: number) => owned.session.run({ u: feedsU, h: hs[m % DISTINCT] }, { y });
    return await timed(MODELS, async () => { for (let m = 0; m < MODELS; m++) await run(m); }, async () => void (await run(0)));
  } finally {
    await owned.release();
  }
}

interface NumpyResult {
  gemm?: Timing;
  forms?: Timing;
  probe?: number[];
  note?: string;
}

function numpyBaseline(u: Float64Array): NumpyResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ball-scoring-"));
  try {
    writeFileSync(path.join(dir, "u.bin"), Float32Array.from(u));
    hessians.forEach((h, k) => writeFileSync(path.join(dir, `h${k}.bin`), Float32Array.from(h)));
    writeFileSync(path.join(dir, "spec.json"), JSON.stringify({ n: N, d: D, models: MODELS, hessians: DISTINCT }));
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1" };
    delete env.OPENBLAS_CORETYPE; // set on this machine; slows OpenBLAS ~2× (see the repository's NOTES)
    delete env.OPENBLAS_L2_SIZE;
    const child = spawnSync(PYTHON, [path.join(here, "numpy-quadratic-forms.py"), dir], { env, encoding: "utf8" });
    if (child.error) return { note: `numpy skipped: ${PYTHON} not runnable (${child.error.message})` };
    if (child.status === 3) return { note: `numpy skipped: ${JSON.parse(child.stdout).skipped}` };
    if (child.status !== 0) return { note: `numpy skipped: exit ${child.status}: ${child.stderr.trim().split("\n").pop()}` };
    const r = JSON.parse(child.stdout) as { gemm: { seconds: number; cpu_seconds: number }; forms: { seconds: number; cpu_seconds: number }; probe: number[] };
    return {
      gemm: { models: MODELS, seconds: r.gemm.seconds, cpuSeconds: r.gemm.cpu_seconds },
      forms: { models: MODELS, seconds: r.forms.seconds, cpuSeconds: r.forms.cpu_seconds },
      probe: r.probe,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`# P_MSE ball scoring: ${MODELS} second-order models on one ${N}-point ball at d = ${D}\n${machineLine()}\n`);
  await useBackend("wasm");
  const model = await loadOnnxModel(fileURLToPath(new URL("../fixtures/authors-mnist-mlp.onnx", import.meta.url)));
  const oracle = await onnxOracle(model, { target: { output: 3 }, threads: 1 });
  const x0 = gaussianSampler(1).fillUniform(new Float64Array(D));
  const ballSpec = { radius: 0.5, seed: 1 };
  const rows: [string, Timing][] = [];
  const forms: Record<string, Float64Array> = {};

  // Baseline: the tfjs PerturbationBall, one Hessian tensor per model, as apps/reproduce scored until now.
  const old = await PerturbationBall.create(oracle, x0, { ...ballSpec, samples: N });
  const scoreOld = async (m: number) => {
    const h = hessianTensor(hessians[m % DISTINCT], D);
    try {
      old.score(gradients[m % DISTINCT], h);
    } finally {
      h.dispose();
    }
  };
  rows.push(["tfjs-wasm `PerturbationBall` (baseline)", await timed(MODELS, async () => { for (let m = 0; m < MODELS; m++) await scoreOld(m); }, () => scoreOld(0))]);
  const u = old.displacements;
  old.dispose();

  const withKernel = async (label: string, kernel: QuadraticFormKernel, count: number, balls = [ballSpec]): Promise<PerturbationBalls> => {
    const scorer = await perturbationBalls(oracle, x0, { balls, samples: N, kernel });
    rows.push([label, await timed(count, () => scoreModels(scorer, count), async () => void (await scorer.score(modelAt(0))))]);
    return scorer;
  };
  await (await withKernel("`perturbationBalls` + `tfjsQuadraticFormKernel` (wasm)", tfjsQuadraticFormKernel(), MODELS)).dispose();
  await (await withKernel("`perturbationBalls` + `linalgQuadraticFormKernel` (float64 JS)", linalgQuadraticFormKernel(), LINALG_MODELS)).dispose();

  for (const threads of [...new Set([1, CORES])]) {
    const kernel = await onnxQuadraticFormKernel({ threads });
    try {
      await (await withKernel(`\`perturbationBalls\` + \`onnxQuadraticFormKernel\`, ${threads} thread${threads > 1 ? "s" : ""}`, kernel, MODELS)).dispose();
      const bound = await kernel.bind(u, N, D);
      forms[threads] = await bound.evaluate(hessians[0]);
      rows.push([
        `\`onnxQuadraticFormKernel\` \`evaluate\` alone, ${threads} thread${threads > 1 ? "s" : ""}`,
        await timed(MODELS, async () => { for (let m = 0; m < MODELS; m++) await bound.evaluate(hessians[m % DISTINCT]); }, async () => void (await bound.evaluate(hessians[1]))),
      ]);
      if (threads === 1) {
        // the same with H already float32 (numpy's input): isolates the float64 → float32 copy of each H
        const hessians32 = hessians.map((h) => Float32Array.from(h));
        rows.push([
          "`onnxQuadraticFormKernel` `evaluate` alone, 1 thread, H given as float32",
          await timed(MODELS, async () => { for (let m = 0; m < MODELS; m++) await bound.evaluate(hessians32[m % DISTINCT]); }, async () => void (await bound.evaluate(hessians32[1]))),
        ]);
      }
      bound.dispose();
      if (threads === 1) {
        // the three radii of the paper stacked: one (3000×784)·(784×784) run per Hessian; counted per model × ball
        const three = await perturbationBalls(oracle, x0, { balls: [0.25, 0.5, 1].map((radius, e) => ({ radius, seed: e })), samples: N, kernel });
        const t = await timed(MODELS, () => scoreModels(three, MODELS), async () => void (await three.score(modelAt(0))));
        rows.push(["`perturbationBalls` + `onnxQuadraticFormKernel`, 1 thread, 3 radii in one call (per model × ball)", { ...t, models: 3 * MODELS }]);
        await three.dispose();
      }
    } finally {
      await kernel.dispose();
    }
  }
  await oracle.dispose();
  rows.push(["ONNX Runtime `MatMul` alone (float32 inputs, preallocated output), 1 thread", await bareMatMul(u)]);

  const numpy = numpyBaseline(u);
  if (numpy.gemm && numpy.forms) {
    rows.push(["numpy/OpenBLAS float32 `U @ H` alone, 1 thread", numpy.gemm]);
    rows.push(["numpy/OpenBLAS float32 `((U @ H) * U).sum(1)`, 1 thread", numpy.forms]);
  }

  const perCpu = (t: Timing) => t.models / t.cpuSeconds;
  const baseline = perCpu(rows[0][1]);
  const gemm = numpy.gemm ? perCpu(numpy.gemm) : Number.NaN;
  printTable([
    ["configuration", "models", "s", "CPU-s", "models / s", "models / CPU-s", "GFLOP / CPU-s", "÷ tfjs PerturbationBall (CPU)", "÷ numpy GEMM (CPU)"],
    ...rows.map(([label, t]) => [label, t.models, t.seconds, t.cpuSeconds, t.models / t.seconds, perCpu(t), perCpu(t) * GFLOP_PER_MODEL, perCpu(t) / baseline, perCpu(t) / gemm]),
  ]);
  console.log(`\nGFLOP counts the GEMM only: 2·n·d² = ${GFLOP_PER_MODEL.toFixed(3)} GFLOP per model.`);
  if (numpy.note) console.log(numpy.note);
  if (numpy.probe) {
    let worst = 0;
    numpy.probe.forEach((v, p) => (worst = Math.max(worst, Math.abs(v - forms[1][p]) / Math.abs(v))));
    console.log(`check: ONNX Runtime and numpy forms of Hessian 0 agree to ${worst.toExponential(1)} relative (first 4 rows)`);
  }
}

await main();
