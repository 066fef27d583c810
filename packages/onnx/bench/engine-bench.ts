/**
 * The engine against today's fastest paths, in one process on the same weights (the paper's MNIST MLP,
 * 784-500-300-250-250-250-10, He-initialised by `paperMnistMlp(0)` of @smoothhess/tfjs and exported with
 * `networkToOnnx`), printing ratios per second and per CPU-second (the cores are shared):
 *
 *   gradients   input gradients of logit 3 at batch 1024: engine (1 thread, all threads), the tfjs-wasm fast path
 *               (calling thread, worker threads), PyTorch CPU through /usr/bin/python3 (skipped when absent)
 *   smoothhess  one SmoothHess point at d = 784, n = 100,000: engine oracle + engine kernel (on the calling thread,
 *               and on worker threads with `workerThread: true`) against the tfjs fast path (workers) +
 *               tfjsOuterProductKernel; then both with `normals: "ziggurat"` (other, equally Gaussian draws)
 *   surrogate   SoftPlus Hessian of the MLP at one point (median) and a 114-value β sweep, when the engine has them
 *
 *   pnpm --filter @smoothhess/onnx bench                 all sections
 *   pnpm --filter @smoothhess/onnx bench gradients       one section (also: smoothhess, surrogate)
 *   BENCH_SECONDS=5 ROUNDS=3 SAMPLES=20000 …            timing window per engine, rounds, SmoothHess samples
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { machineLine, printTable } from "@smoothhess/bench-tools";
import { type GradientOracle } from "@smoothhess/oracle";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess, type NormalDraws, type OuterProductKernel } from "@smoothhess/stein";
import { paperMnistMlp, tfjsOracle, tfjsOuterProductKernel, useBackend, type Network } from "@smoothhess/tfjs";
import { loadOnnxModel, networkToOnnx, onnxOracle, onnxOuterProductKernel, onnxSurrogates, type OnnxModel } from "../src/index.js";
import { BETA_GRIDS, BETAS_REPORTED_OUTSIDE_GRIDS, gridUnion } from "@smoothhess/metrics";
import { betaSweep } from "@smoothhess/surrogates";
import { tfjsSurrogates } from "@smoothhess/surrogates/tfjs";

const BATCH = 1024;
const TARGET_CLASS = 3;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SAMPLES = Number(process.env.SAMPLES ?? 100_000);
const CORES = os.availableParallelism();
const PYTHON = "/usr/bin/python3";
const here = path.dirname(fileURLToPath(import.meta.url));

interface Rate {
  /** Gradients per wall-clock second. */
  wall: number;
  /** Gradients per CPU-second of this process (all its threads, workers included). */
  cpu: number;
}

/** Run `call` (one batch) for SECONDS after a warm-up; gradients per second and per CPU-second. */
async function throughput(call: () => Promise<unknown>): Promise<Rate> {
  await call();
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    await call();
    calls++;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (calls * BATCH) / seconds, cpu: (calls * BATCH) / ((cpu.user + cpu.system) / 1e6) };
}

/** Best of the rounds (wall and CPU separately): the least disturbed measurement of each engine. */
function best(rates: Rate[]): Rate {
  return { wall: Math.max(...rates.map((r) => r.wall)), cpu: Math.max(...rates.map((r) => r.cpu)) };
}

function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, length = a.length): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** The MLP's weights and a batch as raw float32 files for the PyTorch child; its JSON lines back. */
function runTorch(net: Network, x: Float32Array): { rates: Map<number, Rate>; probe?: number[]; note?: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "smoothhess-onnx-bench-"));
  try {
    const sizes = (net.config as { sizes: number[] }).sizes;
    const layers = sizes.slice(0, -1).map((s, i) => [s, sizes[i + 1]]);
    layers.forEach((_, i) => {
      writeFileSync(path.join(dir, `kernel${i}.bin`), (net.weights.get(`dense${i}/kernel`) as { dataSync(): Float32Array }).dataSync());
      writeFileSync(path.join(dir, `bias${i}.bin`), (net.weights.get(`dense${i}/bias`) as { dataSync(): Float32Array }).dataSync());
    });
    writeFileSync(path.join(dir, "x.bin"), x);
    const threads = [...new Set([1, CORES])];
    writeFileSync(path.join(dir, "weights.json"), JSON.stringify({ layers, batch: BATCH, target: TARGET_CLASS, seconds: SECONDS, threads, probe_rows: 4 }));
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE; // set on this machine; slows OpenBLAS ~2× (see the repository's NOTES)
    delete env.OPENBLAS_L2_SIZE;
    const child = spawnSync(PYTHON, [path.join(here, "torch-mlp-gradients.py"), dir], { env, encoding: "utf8" });
    if (child.error) return { rates: new Map(), note: `PyTorch skipped: ${PYTHON} not runnable (${child.error.message})` };
    if (child.status === 3) return { rates: new Map(), note: `PyTorch skipped: ${JSON.parse(child.stdout).skipped}` };
    if (child.status !== 0) return { rates: new Map(), note: `PyTorch skipped: exit ${child.status}: ${child.stderr.trim().split("\n").pop()}` };
    const rates = new Map<number, Rate>();
    let probe: number[] | undefined;
    for (const line of child.stdout.trim().split("\n")) {
      const r = JSON.parse(line) as { threads: number; gradients_per_second: number; gradients_per_cpu_second: number; probe: number[] };
      rates.set(r.threads, { wall: r.gradients_per_second, cpu: r.gradients_per_cpu_second });
      probe = r.probe;
    }
    return { rates, probe };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function gradientsSection(net: Network, model: OnnxModel): Promise<void> {
  const rng = gaussianSampler(7);
  const x = rng.fillUniform(new Float32Array(BATCH * 784));
  const target = { output: TARGET_CLASS } as const;
  const engine1 = await onnxOracle(model, { target, threads: 1, batchSize: BATCH });
  const engineN = await onnxOracle(model, { target, threads: CORES, batchSize: BATCH });
  const fast1 = tfjsOracle(net, target, { engine: "fast", workers: 0 });
  const fastN = tfjsOracle(net, target, { engine: "fast", workers: CORES });
  const rows: Array<[string, () => Promise<unknown>]> = [
    ["engine, 1 thread", () => engine1.evaluate(x, BATCH)],
    [`engine, ${CORES} threads`, () => engineN.evaluate(x, BATCH)],
    ["tfjs fast path, calling thread", () => fast1.evaluate(x, BATCH)],
    [`tfjs fast path, ${CORES} workers`, () => fastN.evaluate(x, BATCH)],
  ];
  // Same numbers from every engine (float32 tolerance), so the comparison is between equal results.
  const reference = (await fast1.evaluate(x, BATCH)).gradients;
  const engineGradients = (await engine1.evaluate(x, BATCH)).gradients;
  console.log(`max |Δ gradient| engine vs tfjs fast path: ${maxRelativeDifference(engineGradients, reference).toExponential(2)} of max |gradient|`);

  const measured = new Map<string, Rate[]>(rows.map(([label]) => [label, []]));
  const torchRates = new Map<number, Rate[]>();
  let torchNote: string | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, call] of rows) (measured.get(label) as Rate[]).push(await throughput(call));
    const torch = runTorch(net, x);
    torchNote = torch.note;
    for (const [threads, rate] of torch.rates) torchRates.set(threads, [...(torchRates.get(threads) ?? []), rate]);
    if (round === 0 && torch.probe) {
      console.log(`max |Δ gradient| engine vs PyTorch (first 4 rows): ${maxRelativeDifference(engineGradients, torch.probe, torch.probe.length).toExponential(2)} of max |gradient|`);
    }
  }
  const results = new Map<string, Rate>([...measured].map(([label, rates]) => [label, best(rates)]));
  for (const [threads, rates] of torchRates) results.set(`PyTorch ${threads === 1 ? "1 thread" : `${threads} threads`} (child process)`, best(rates));

  const fastBest = Math.max(results.get("tfjs fast path, calling thread")!.cpu, results.get(`tfjs fast path, ${CORES} workers`)!.cpu);
  const torchBest = torchRates.size > 0 ? Math.max(...[...torchRates.values()].map((r) => best(r).cpu)) : Number.NaN;
  console.log(`\n## Input gradients, batch ${BATCH} (best of ${ROUNDS} rounds of ${SECONDS} s each)\n`);
  printTable([
    ["engine", "gradients/s", "per CPU-second", "÷ tfjs fast path (per CPU-s)", "÷ PyTorch (per CPU-s)"],
    ...[...results].map(([label, r]) => [label, Math.round(r.wall), Math.round(r.cpu), r.cpu / fastBest, r.cpu / torchBest]),
  ]);
  if (torchNote) console.log(`\n${torchNote}`);
  const engineBest = Math.max(results.get("engine, 1 thread")!.cpu, results.get(`engine, ${CORES} threads`)!.cpu);
  console.log(`\nengine ÷ tfjs fast path, per CPU-second (best of each): ${(engineBest / fastBest).toFixed(2)}× (target ≥ 2.5×)`);
  if (torchRates.size > 0) console.log(`engine ÷ PyTorch, per CPU-second (best of each): ${(engineBest / torchBest).toFixed(2)}× (target ≥ 1.0×)`);
  await Promise.all([engine1.dispose(), engineN.dispose(), fast1.dispose(), fastN.dispose()]);
}

async function smoothHessSection(net: Network, model: OnnxModel): Promise<void> {
  const x0 = gaussianSampler(11).fillUniform(new Float64Array(784));
  const options = { covariance: { sigma: 0.1 }, samples: SAMPLES, seed: 0 };
  const target = { output: TARGET_CLASS } as const;
  const tfjsConfiguration = async () => ({ oracle: tfjsOracle(net, target, { engine: "fast", workers: CORES }) as GradientOracle & { dispose(): Promise<void> }, kernel: tfjsOuterProductKernel() });
  const workerConfiguration = (threads: number) => async () => ({
    oracle: await onnxOracle(model, { target, threads, workerThread: true }),
    kernel: await onnxOuterProductKernel({ threads, workerThread: true }),
  });
  // The first row is the baseline (today's fastest configuration, Box–Muller draws as every earlier version).
  // The ziggurat rows draw other (equally Gaussian) perturbations: the engine's with `normals: "ziggurat"`, and the
  // baseline's too, to show what the same change gives the tfjs configuration.
  const configurations: { label: string; engine: boolean; normals: NormalDraws; make: () => Promise<{ oracle: GradientOracle & { dispose(): Promise<void> }; kernel: OuterProductKernel }> }[] = [
    { label: `tfjs fast path (${CORES} workers) + tfjsOuterProductKernel (wasm)`, engine: false, normals: "box-muller", make: tfjsConfiguration },
    ...[...new Set([1, CORES])].map((threads) => ({
      label: `engine oracle + onnxOuterProductKernel (${threads} thread${threads > 1 ? "s" : ""} each)`,
      engine: true,
      normals: "box-muller" as const,
      make: async () => ({ oracle: await onnxOracle(model, { target, threads }), kernel: await onnxOuterProductKernel({ threads }) }),
    })),
    ...[...new Set([1, CORES])].map((threads) => ({
      label: `engine oracle + onnxOuterProductKernel on worker threads (${threads} thread${threads > 1 ? "s" : ""} each)`,
      engine: true,
      normals: "box-muller" as const,
      make: workerConfiguration(threads),
    })),
    { label: `the same on worker threads (1 thread each), normals: "ziggurat"`, engine: true, normals: "ziggurat", make: workerConfiguration(1) },
    { label: `tfjs fast path (${CORES} workers) + tfjsOuterProductKernel, normals: "ziggurat"`, engine: false, normals: "ziggurat", make: tfjsConfiguration },
  ];
  // Totals only: the estimator asks for batch k+1 before it handles batch k, so an oracle that leaves the thread
  // free (tfjs workers, the engine on worker threads) overlaps the kernel and stein's own JavaScript, and wrapping
  // the calls would count the same seconds twice. `bench/profile-smoothhess.ts` splits the calling-thread case.
  const rows: (string | number)[][] = [["configuration", "seconds", "CPU-s", "÷ tfjs (wall)", "÷ tfjs (CPU)"]];
  let baseline: { wall: number; cpu: number } | undefined;
  const hessians: Float64Array[] = [];
  const engineRatios: { wall: number; cpu: number }[] = [];
  for (const { label, engine, normals, make } of configurations) {
    const { oracle, kernel } = await make();
    await oracle.evaluate(new Float32Array(BATCH * 784), BATCH); // warm-up (worker start, session)
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const result = await smoothHess(oracle, x0, { ...options, kernel, normals });
    const wall = (performance.now() - start) / 1000;
    const usage = process.cpuUsage(cpu0);
    const cpu = (usage.user + usage.system) / 1e6;
    baseline ??= { wall, cpu };
    hessians.push(result.hessian);
    rows.push([label, wall, cpu, wall / baseline.wall, cpu / baseline.cpu]);
    if (engine) engineRatios.push({ wall: wall / baseline.wall, cpu: cpu / baseline.cpu });
    await oracle.dispose();
    if ("dispose" in kernel) await (kernel as { dispose(): Promise<void> }).dispose();
  }
  console.log(`\n## One SmoothHess point, d = 784, n = ${SAMPLES.toLocaleString("en")} (antithetic, σ = 0.1)\n`);
  printTable(rows);
  console.log(`\nmax |H_engine − H_tfjs| = ${maxRelativeDifference(hessians[1], hessians[0]).toExponential(2)} of max |H| (float32 gradients and products on both sides)`);
  const bestWall = Math.min(...engineRatios.map((r) => r.wall)), bestCpu = Math.min(...engineRatios.map((r) => r.cpu));
  console.log(`engine time ÷ tfjs time (best engine row): ${bestWall.toFixed(3)} wall, ${bestCpu.toFixed(3)} CPU (target ≤ 0.25)`);
}

/** Median wall and CPU seconds of `repeats` calls after one warm-up. */
async function medianTime(call: () => Promise<unknown>, repeats: number): Promise<{ wall: number; cpu: number }> {
  await call();
  const walls: number[] = [], cpus: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    await call();
    const usage = process.cpuUsage(cpu0);
    walls.push((performance.now() - start) / 1000);
    cpus.push((usage.user + usage.system) / 1e6);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return { wall: median(walls), cpu: median(cpus) };
}

async function surrogateSection(net: Network, model: OnnxModel): Promise<void> {
  const x0 = gaussianSampler(11).fillUniform(new Float64Array(784));
  const target = { output: TARGET_CLASS } as const;
  const softplus = { name: "softplus", beta: 10 } as const;
  const betas = gridUnion(BETA_GRIDS.perturbationMSE.mnist, BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist);
  const repeats = Number(process.env.HESSIAN_REPEATS ?? 7);
  console.log(`\n## SoftPlus Hessian (β = 10, logit ${TARGET_CLASS}) of the MNIST MLP at one point; β sweep over the ${betas.length}-value P_MSE grid\n`);
  const rows: (string | number)[][] = [["configuration", "Hessian ms (median)", "CPU ms", "÷ tfjs (wall)", `sweep of ${betas.length} β: s`, "CPU-s"]];

  const tfjs = tfjsSurrogates(net);
  const tfjsHessian = await medianTime(() => tfjs.surrogate(softplus).hessians(x0, 1, target), Math.min(repeats, 5));
  const reference = (await tfjs.surrogate(softplus).hessians(x0, 1, target)).hessians;
  rows.push(["tfjs surrogates (wasm) — baseline", tfjsHessian.wall * 1000, tfjsHessian.cpu * 1000, 1, "—", "—"]);
  tfjs.dispose();

  for (const threads of [...new Set([1, CORES])]) {
    const network = await onnxSurrogates(model, { threads });
    const hessian = await medianTime(() => network.surrogate(softplus).hessians(x0, 1, target), repeats);
    const engineHessian = (await network.surrogate(softplus).hessians(x0, 1, target)).hessians;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let steps = 0;
    for await (const step of betaSweep(network, x0, target, { betas })) if (step.hessian.length === 784 * 784) steps++;
    const sweepWall = (performance.now() - start) / 1000;
    const usage = process.cpuUsage(cpu0);
    if (steps !== betas.length) throw new Error(`sweep produced ${steps} of ${betas.length} Hessians`);
    rows.push([`engine, ${threads} thread${threads > 1 ? "s" : ""}`, hessian.wall * 1000, hessian.cpu * 1000, hessian.wall / tfjsHessian.wall, sweepWall, (usage.user + usage.system) / 1e6]);
    if (threads === 1) console.log(`max |H_engine − H_tfjs| = ${maxRelativeDifference(engineHessian, reference).toExponential(2)} of max |H|`);
    await network.dispose();
  }
  printTable(rows);
  console.log("targets: Hessian ≤ 50 ms (median), sweep ≤ 6 s");
}

async function main(): Promise<void> {
  const sections = process.argv.slice(2);
  const wanted = (name: string) => sections.length === 0 || sections.includes(name);
  await useBackend("wasm");
  const net = paperMnistMlp(0);
  const model = await loadOnnxModel(networkToOnnx(net));
  console.log(`# @smoothhess/onnx engine bench — MNIST MLP 784-500-300-250-250-250-10 (paperMnistMlp(0), exported by networkToOnnx)`);
  console.log(machineLine());
  if (wanted("gradients")) await gradientsSection(net, model);
  if (wanted("smoothhess")) await smoothHessSection(net, model);
  if (wanted("surrogate")) await surrogateSection(net, model);
  console.log(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  net.dispose();
}

await main();
