/**
 * CPU cost and arithmetic of each operation a `pmse --full` / `attack --full` item performs, on both engines of the
 * app (`src/engine.ts`: `--engine onnx` and `--engine tfjs`) with one of the paper authors' MLPs (MNIST's by
 * default), the rate each reaches as a fraction of this machine's limit (numpy/OpenBLAS float32 GEMM on one core,
 * measured in the same run), and the full runs composed from them per stage, with the wall time of N shards.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/item-costs.ts
 *
 * SAMPLES (default 100000) sets the SmoothHess sample size, REPEATS (default 12) the Hessians and ball scores timed,
 * ENGINES (default "onnx,tfjs") the engines, MODEL (default "mnist"; or "fmnist") the authors' checkpoint whose costs
 * stand for both datasets, SHARDS (default "2,32") the shard counts projected. Costs are CPU
 * seconds of this process (`process.cpuUsage`, every thread, the tfjs workers included), so they hold on a shared
 * machine; ONNX Runtime sessions run one intra-op thread (the engine's setting: one shard per core). FLOP counts:
 * `operation-flops.ts`; the composition: `full-run-stages.ts`; the peak: `gemm-peak.ts` (skipped without numpy); the
 * tables: `item-cost-report.ts`. The SoftMax SmoothHess (the attack's) draws its perturbations as the attack
 * experiment does (`ATTACK_NORMALS`), the logit's as pmse (Box–Muller).
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { krylovTrustRegion } from "@smoothhess/linalg";
import { perturbationBalls, threeSigmaRule, type PerturbationBalls } from "@smoothhess/metrics";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { predictedClasses, useBackend } from "@smoothhess/tfjs";
import { machineLine } from "../../../tools/bench-tools/src/index.js";
import { loadAuthorsModel } from "../src/authors-model.js";
import { openEngine, type EngineName } from "../src/engine.js";
import { ATTACK_NORMALS } from "../src/experiments/attack/config.js";
import { attackExperiment } from "../src/experiments/attack/experiment.js";
import { secondOrderPoints } from "../src/experiments/attack/outcomes.js";
import { configurePmse } from "../src/experiments/pmse/config.js";
import { sigmaCandidates } from "../src/experiments/pmse/explained.js";
import { OPERATION_NAMES, type Cost, type FullRunCounts, type OperationName } from "./full-run-stages.js";
import { bestPeak, measureGemmPeak, type GemmPeak } from "./gemm-peak.js";
import { printItemCostReport, type EngineMeasurement } from "./item-cost-report.js";
import * as flop from "./operation-flops.js";

const samples = Number(process.env.SAMPLES ?? 100_000);
const repeats = Number(process.env.REPEATS ?? 12);
const engines = (process.env.ENGINES ?? "onnx,tfjs").split(",") as EngineName[];
const shardCounts = (process.env.SHARDS ?? "2,32").split(",").map(Number);
const fixture = (name: string) => fileURLToPath(new URL(`../../../packages/onnx/fixtures/${name}`, import.meta.url));
const PEAK_SIZES = [784, 1024, 2048];
const BALL_POINTS = 1000;

/** CPU seconds (user + system, all threads) of `work`. */
async function cpuSeconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

console.log(`# item costs — ${machineLine()}`);
const peaks: GemmPeak[] = [measureGemmPeak(PEAK_SIZES)];

await useBackend("wasm");
const modelName = process.env.MODEL ?? "mnist";
if (modelName !== "mnist" && modelName !== "fmnist") throw new Error(`MODEL must be mnist or fmnist, got ${JSON.stringify(modelName)}`);
const authors = await loadAuthorsModel(modelName);
const shape = flop.mlpShape(authors.architecture);
const reference = JSON.parse(await readFile(fixture(`authors-${modelName}-mlp.reference.json`), "utf8")) as { inputs: number[] };
const d = authors.network.inputSize;
const x0 = Float64Array.from(reference.inputs.slice(0, d));
const k = predictedClasses(authors.network, x0, 1)[0];
const sigma = threeSigmaRule(0.5, d)[1];
const runOptions = { preset: "full", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true } as const;
const attackConfig = attackExperiment.configure(runOptions);
const pmseConfig = configurePmse(runOptions);
const counts: FullRunCounts = {
  pmse: {
    datasets: pmseConfig.datasets.length,
    targets: pmseConfig.targets.length,
    validationPoints: pmseConfig.validationPoints,
    testPoints: pmseConfig.testPoints,
    radii: pmseConfig.radii.length,
    sigmas: sigmaCandidates(pmseConfig.radii, d).sigmas.length,
    betas: pmseConfig.betas.length,
    samplings: pmseConfig.samplings.length,
  },
  attack: {
    datasets: attackConfig.datasets.length,
    validationPoints: attackConfig.validationPoints,
    testPoints: attackConfig.testPoints,
    radii: attackConfig.radii.length,
    variances: attackConfig.variances.length,
    betas: attackConfig.betas.length,
  },
};
if (pmseConfig.samples !== samples || attackConfig.samples !== samples) console.log(`note: SAMPLES = ${samples}, the --full configs use ${pmseConfig.samples} (pmse) and ${attackConfig.samples} (attack)`);

/** The operations' CPU seconds and FLOP on one engine. */
async function measureEngine(name: EngineName): Promise<EngineMeasurement> {
  const engine = await openEngine(name, { network: authors.network, onnx: authors.onnx });
  const cpu: Partial<Record<OperationName, number>> = {};
  const formulas: Partial<Record<OperationName, flop.FlopCount>> = {};
  try {
    const oracle = await engine.oracle({ output: k });
    const softmaxOracle = await engine.oracle({ softmax: k });

    // The oracle alone, on the batches smoothHess asks for (its batch size, the points' precision).
    const timeGradients = async (o: typeof oracle) => {
      const batch = o.maxBatchSize ?? 1024;
      const float32 = (o as { pointPrecision?: string }).pointPrecision === "float32";
      const draws = gaussianSampler(5).fillNormal(new Float64Array(batch * d));
      const points = float32 ? new Float32Array(batch * d) : new Float64Array(batch * d);
      for (let i = 0; i < batch * d; i++) points[i] = x0[i % d] + sigma * draws[i];
      await o.evaluate(points, batch); // warm-up
      const calls = Math.ceil(samples / batch);
      return (await cpuSeconds(async () => {
        for (let c = 0; c < calls; c++) await o.evaluate(points, batch);
      })) * (samples / (calls * batch));
    };
    cpu.gradientsLogit = await timeGradients(oracle);
    formulas.gradientsLogit = scaledCount(flop.gradientFlops(shape), samples, `n = ${samples} gradients`);
    cpu.gradientsSoftmax = await timeGradients(softmaxOracle);
    formulas.gradientsSoftmax = formulas.gradientsLogit;

    // The kernel alone, in smoothHess's blocks of 512 antithetic units (1,024 points).
    const units = 512;
    const a = gaussianSampler(6).fillNormal(new Float64Array(units * d));
    const b = gaussianSampler(7).fillNormal(new Float64Array(units * d));
    const sum = new Float64Array(d * d);
    await engine.kernel.addTransposedProduct(sum, a, b, units, d, d); // warm-up
    const blocks = Math.ceil(samples / 2 / units);
    cpu.outerProducts = (await cpuSeconds(async () => {
      for (let c = 0; c < blocks; c++) await engine.kernel.addTransposedProduct(sum, a, b, units, d, d);
    })) * (samples / 2 / (blocks * units));
    formulas.outerProducts = flop.outerProductFlops(d, samples);

    let estimate: Awaited<ReturnType<typeof smoothHess>> | undefined;
    await smoothHess(oracle, x0, { covariance: { sigma }, samples: 2000, seed: 9, kernel: engine.kernel }); // warm-up: sessions, workers
    cpu.smoothHessLogit = await cpuSeconds(async () => {
      estimate = await smoothHess(oracle, x0, { covariance: { sigma }, samples, seed: 1, kernel: engine.kernel });
    });
    formulas.smoothHessLogit = flop.smoothHessFlops(shape, samples);
    let softmaxEstimate: Awaited<ReturnType<typeof smoothHess>> | undefined;
    cpu.smoothHessSoftmax = await cpuSeconds(async () => {
      // drawn as the attack experiment draws (its configuration's normals); the logit's as pmse's (Box–Muller)
      softmaxEstimate = await smoothHess(softmaxOracle, x0, { covariance: { variance: 0.1 }, samples, seed: 2, kernel: engine.kernel, normals: ATTACK_NORMALS });
    });
    formulas.smoothHessSoftmax = formulas.smoothHessLogit;

    const betas = Array.from({ length: repeats }, (_, i) => 2 + 8 * i);
    let lastHessian: Float64Array | undefined;
    let softplusSoftmax: { gradient: Float64Array; hessian: Float64Array } | undefined;
    for (const [op, activation, target] of [
      ["softplusHessian", "softplus", { output: k }],
      ["swishHessian", "swish", { output: k }],
      ["softplusSoftmaxHessian", "softplus", { softmax: k }],
    ] as const) {
      await engine.surrogateHessian({ name: activation, beta: 1 }, x0, target); // warm-up: the family's graphs
      cpu[op] =
        (await cpuSeconds(async () => {
          for (const beta of betas) {
            const result = await engine.surrogateHessian({ name: activation, beta }, x0, target);
            if (op === "softplusSoftmaxHessian") softplusSoftmax = result;
            else lastHessian = result.hessian;
          }
        })) / repeats;
      formulas[op] = flop.surrogateHessianFlops(shape, name, op === "softplusSoftmaxHessian");
    }

    // The three balls of a point (ε = 0.25, 0.5, 1; 1,000 points each) as the app draws and evaluates them; per ball.
    const valueOracle = await engine.valueOracle({ output: k });
    let balls: PerturbationBalls | undefined;
    const specs = [0.25, 0.5, 1].map((radius, e) => ({ radius, seed: 3 + e }));
    cpu.ballValues =
      (await cpuSeconds(async () => {
        balls = await perturbationBalls(valueOracle, x0, { balls: specs, samples: BALL_POINTS, kernel: engine.quadraticFormKernel });
      })) / specs.length;
    formulas.ballValues = flop.ballValueFlops(shape, BALL_POINTS, name);
    await balls!.scoreMany([{ gradient: estimate!.gradient, hessian: lastHessian! }]); // warm-up
    cpu.ballScore =
      (await cpuSeconds(async () => {
        for (let r = 0; r < repeats; r++) await balls!.scoreMany([{ gradient: estimate!.gradient, hessian: lastHessian! }]);
      })) /
      (repeats * specs.length);
    formulas.ballScore = flop.ballScoreFlops(d, BALL_POINTS);
    await balls!.dispose();
    // the onnx engine's value oracle is its cached gradient oracle (the engine disposes it); tfjs makes a new one
    if (valueOracle !== oracle) await (valueOracle as { dispose?: () => unknown }).dispose?.();

    // The reduced and the exact attack at the five radii from one Hessian (secondOrderAttacks), on a SmoothHess and
    // on a SoftPlus Hessian of the SoftMax probability (their spectra, hence k(T) and the Krylov dimension, differ).
    for (const [suffix, h] of [
      ["SmoothHess", softmaxEstimate!],
      ["Softplus", softplusSoftmax!],
    ] as const) {
      // warm-up: the first solves of a process include the JIT compilation of the linear algebra
      const { ranks } = secondOrderPoints(x0, h.gradient, h.hessian, attackConfig, "reduced");
      secondOrderPoints(x0, h.gradient, h.hessian, attackConfig, "exact");
      cpu[`attackReduced${suffix}`] = await cpuSeconds(() => secondOrderPoints(x0, h.gradient, h.hessian, attackConfig, "reduced"));
      cpu[`attackExact${suffix}`] = await cpuSeconds(() => secondOrderPoints(x0, h.gradient, h.hessian, attackConfig, "exact"));
      const solver = krylovTrustRegion({ gradient: h.gradient, hessian: h.hessian });
      for (const radius of attackConfig.radii) solver.solve(radius);
      formulas[`attackReduced${suffix}`] = flop.reducedAttackFlops(d, Math.max(...ranks), attackConfig.radii.length);
      formulas[`attackExact${suffix}`] = flop.exactAttackFlops(d, solver.dimension, attackConfig.radii.length);
    }
  } finally {
    await engine.dispose();
  }
  const operations = Object.fromEntries(OPERATION_NAMES.map((op) => [op, { cpu: cpu[op]!, flops: formulas[op]!.flops }])) as Record<OperationName, Cost>;
  return { operations, formulas: formulas as Record<OperationName, flop.FlopCount> };
}

function scaledCount(count: flop.FlopCount, factor: number, what: string): flop.FlopCount {
  return { flops: count.flops * factor, formula: `${count.formula} × n (${what})`, source: count.source };
}

const measured = new Map<EngineName, EngineMeasurement>();
for (const name of engines) measured.set(name, await measureEngine(name));
peaks.push(measureGemmPeak(PEAK_SIZES));
const peak = bestPeak(peaks);

printItemCostReport({ measured, peak, peaks, counts, samples, ballPoints: BALL_POINTS, shape, model: modelName, shardCounts });
console.log(`\nload at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
authors.network.dispose();
