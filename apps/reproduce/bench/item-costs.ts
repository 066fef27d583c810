/**
 * CPU cost and arithmetic of each operation a `pmse --full` / `attack --full` item performs, on both engines of the
 * app (`src/engine.ts`: `--engine onnx` and `--engine tfjs`) with the paper authors' MNIST MLP, the rate each reaches
 * as a fraction of this machine's limit (numpy/OpenBLAS float32 GEMM on one core, measured in the same run), and
 * the full runs composed from them per stage, with the wall time of N shards.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/item-costs.ts
 *
 * SAMPLES (default 100000) sets the SmoothHess sample size, REPEATS (default 12) the Hessians and ball scores timed,
 * ENGINES (default "onnx,tfjs") the engines, SHARDS (default "2,32") the shard counts projected. Costs are CPU
 * seconds of this process (`process.cpuUsage`, every thread, the tfjs workers included), so they hold on a shared
 * machine; ONNX Runtime sessions run one intra-op thread (the engine's setting: one shard per core). FLOP counts:
 * `operation-flops.ts`; the composition: `full-run-stages.ts`; the peak: `gemm-peak.ts` (skipped without numpy).
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { krylovTrustRegion } from "@smoothhess/linalg";
import { perturbationBalls, threeSigmaRule, type PerturbationBalls } from "@smoothhess/metrics";
import { gaussianSampler } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { predictedClasses, useBackend } from "@smoothhess/tfjs";
import { machineLine, printTable } from "../../../tools/bench-tools/src/index.js";
import { loadAuthorsModel } from "../src/authors-model.js";
import { openEngine, type EngineName } from "../src/engine.js";
import { attackExperiment } from "../src/experiments/attack/experiment.js";
import { secondOrderPoints } from "../src/experiments/attack/outcomes.js";
import { configurePmse } from "../src/experiments/pmse/config.js";
import { sigmaCandidates } from "../src/experiments/pmse/explained.js";
import { OPERATION_NAMES, STAGES, fullRunTallies, itemTallies, shardedWall, tallyTotal, type Cost, type FullRunCounts, type OperationName, type Operations } from "./full-run-stages.js";
import { bestPeak, measureGemmPeak, type GemmPeak } from "./gemm-peak.js";
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
const authors = await loadAuthorsModel("mnist");
const shape = flop.mlpShape(authors.architecture);
const reference = JSON.parse(await readFile(fixture("authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
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

/** What one engine measured: each operation's CPU seconds and FLOP, and the formulas. */
interface EngineMeasurement {
  readonly operations: Operations;
  readonly formulas: Record<OperationName, flop.FlopCount>;
}

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
      softmaxEstimate = await smoothHess(softmaxOracle, x0, { covariance: { variance: 0.1 }, samples, seed: 2, kernel: engine.kernel });
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
const peakRate = "best" in peak ? peak.best : Number.NaN;

const LABELS: Record<OperationName, string> = {
  gradientsLogit: `${samples.toLocaleString("en")} input gradients, logit (the oracle alone)`,
  gradientsSoftmax: `${samples.toLocaleString("en")} input gradients, SoftMax probability`,
  outerProducts: `d×d accumulation of ${(samples / 2).toLocaleString("en")} antithetic units (the kernel alone)`,
  smoothHessLogit: `SmoothHess, n = ${samples.toLocaleString("en")}, logit (oracle + kernel + stein)`,
  smoothHessSoftmax: "the same for the SoftMax probability",
  softplusHessian: "SoftPlus Hessian 784×784, logit",
  swishHessian: "Swish Hessian 784×784, logit",
  softplusSoftmaxHessian: "SoftPlus Hessian 784×784, SoftMax probability",
  ballValues: `P_MSE ball: ${BALL_POINTS.toLocaleString("en")} points drawn and evaluated`,
  ballScore: "one second-order model scored on a ball",
  attackReducedSmoothHess: "reduced attack, 5 radii, SmoothHess Hessian",
  attackExactSmoothHess: "exact attack, 5 radii, SmoothHess Hessian",
  attackReducedSoftplus: "reduced attack, 5 radii, SoftPlus Hessian",
  attackExactSoftplus: "exact attack, 5 radii, SoftPlus Hessian",
};
const gflops = (c: Cost) => c.flops / c.cpu / 1e9;
const fraction = (rate: number) => (Number.isFinite(peakRate) ? (rate / peakRate).toFixed(3) : "—");
const hours = (s: number) => (s / 3600).toFixed(2);
const range = (low: number, high: number, f: (v: number) => string) => (f(low) === f(high) ? f(low) : `${f(low)}–${f(high)}`);

console.log(`\nsamples ${samples}, d ${d}, the authors' MNIST MLP ${authors.architecture}; load after the timings: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
if ("best" in peak) {
  console.log(`peak (numpy/OpenBLAS float32 GEMM, 1 thread, best of a run before and after the timings): ${peak.best.toFixed(1)} GFLOP per CPU-second`);
  console.log(`  by order n: ${[...peak.rates].map(([n, r]) => `${n}: ${r.toFixed(1)}`).join(", ")}; each measurement: ${peaks.map((p) => ("best" in p ? p.best.toFixed(1) : p.skipped)).join(" / ")}`);
} else {
  console.log(`peak: ${peak.skipped}`);
}

for (const [name, m] of measured) {
  console.log(`\n## ${name}: operations\n`);
  printTable([
    ["operation", "GFLOP", "CPU-s", "GFLOP per CPU-s", "of peak"],
    ...OPERATION_NAMES.map((op) => {
      const c = m.operations[op];
      return [LABELS[op], c.flops / 1e9, c.cpu, gflops(c), fraction(gflops(c))];
    }),
  ]);
}
const first = measured.values().next().value!;
console.log("\nFLOP formulas (d = input width, Σwₗwₗ₊₁ = the layers' multiply-adds per point, here " + flop.layerMacs(shape).toLocaleString("en") + "):\n");
for (const name of measured.keys()) {
  const m = measured.get(name)!;
  for (const op of OPERATION_NAMES) {
    if (name !== engines[0] && m.formulas[op].formula === first.formulas[op].formula) continue;
    console.log(`- ${name === engines[0] ? "" : `${name}: `}${LABELS[op]}: ${m.formulas[op].formula} — ${m.formulas[op].source}`);
  }
}
if (measured.size === 2) {
  const [a, b] = [...measured.keys()];
  console.log(`\n## CPU seconds, ${a} ÷ ${b}\n`);
  printTable([["operation", a, b, "ratio"], ...OPERATION_NAMES.map((op) => [LABELS[op], measured.get(a)!.operations[op].cpu, measured.get(b)!.operations[op].cpu, measured.get(a)!.operations[op].cpu / measured.get(b)!.operations[op].cpu])]);
}

for (const [name, m] of measured) {
  const items = itemTallies(m.operations, counts);
  const cpuOf = (t: Map<unknown, Cost>) => tallyTotal(t as never).cpu;
  console.log(`\n## ${name}: items (CPU-s)\n`);
  console.log(
    `pmse validation point ${cpuOf(items.pmseValidation).toFixed(1)}, test point ${range(cpuOf(items.pmseTest.low), cpuOf(items.pmseTest.high), (v) => v.toFixed(1))}; ` +
      `attack validation point ${cpuOf(items.attackValidation).toFixed(1)}, test point ${range(cpuOf(items.attackTest.low), cpuOf(items.attackTest.high), (v) => v.toFixed(1))}`,
  );
  const runs = fullRunTallies(items, counts);
  const stage = (which: "low" | "high", experiment: "pmse" | "attack" | "both", s: (typeof STAGES)[number]): Cost => {
    const of = (e: "pmse" | "attack") => runs[e][which].get(s) ?? { cpu: 0, flops: 0 };
    if (experiment !== "both") return of(experiment);
    return { cpu: of("pmse").cpu + of("attack").cpu, flops: of("pmse").flops + of("attack").flops };
  };
  const total = (which: "low" | "high", experiment: "pmse" | "attack" | "both"): Cost =>
    STAGES.map((s) => stage(which, experiment, s)).reduce((acc, c) => ({ cpu: acc.cpu + c.cpu, flops: acc.flops + c.flops }), { cpu: 0, flops: 0 });
  console.log(`\n## ${name}: pmse --full + attack --full, MNIST and FMNIST, per stage (low–high: distinct chosen σ, σ², β per test point)\n`);
  const row = (label: string, c: (which: "low" | "high", e: "pmse" | "attack" | "both") => Cost) => {
    const both = [c("low", "both"), c("high", "both")];
    const rate = both.map(gflops);
    return [
      label,
      range(both[0].flops / 1e15, both[1].flops / 1e15, (v) => v.toFixed(3)),
      range(c("low", "pmse").cpu, c("high", "pmse").cpu, hours),
      range(c("low", "attack").cpu, c("high", "attack").cpu, hours),
      range(both[0].cpu, both[1].cpu, hours),
      range(both[0].cpu / total("low", "both").cpu, both[1].cpu / total("high", "both").cpu, (v) => `${(100 * v).toFixed(0)} %`),
      both[0].flops > 0 ? range(rate[0], rate[1], (v) => v.toFixed(1)) : "—",
      both[0].flops > 0 ? range(rate[0], rate[1], fraction) : "—",
    ];
  };
  printTable([
    ["stage", "PFLOP", "pmse CPU-h", "attack CPU-h", "both CPU-h", "share of CPU", "GFLOP per CPU-s", "of peak"],
    ...STAGES.map((s) => row(s, (which, e) => stage(which, e, s))),
    row("all", total),
  ]);
  const arithmetic = [total("low", "both").flops, total("high", "both").flops];
  if (Number.isFinite(peakRate)) {
    console.log(
      `\narithmetic at the peak: ${range(arithmetic[0] / peakRate / 1e9, arithmetic[1] / peakRate / 1e9, hours)} core-hours ` +
        `(${range(arithmetic[0] / peakRate / 1e9 / 2, arithmetic[1] / peakRate / 1e9 / 2, hours)} h on 2 cores); measured CPU time ÷ that: ` +
        range(total("low", "both").cpu / (arithmetic[0] / peakRate / 1e9), total("high", "both").cpu / (arithmetic[1] / peakRate / 1e9), (v) => v.toFixed(2)),
    );
  }
  console.log("");
  printTable([
    ["shards (one per core)", "ideal h (total ÷ N)", "largest shard h (round-robin, 2 rounds per experiment)", "imbalance"],
    ...shardCounts.map((n) => {
      const [low, high] = [shardedWall(items, counts, n, "low"), shardedWall(items, counts, n, "high")];
      return [String(n), range(low.ideal, high.ideal, hours), range(low.largest, high.largest, hours), range(low.largest / low.ideal, high.largest / high.ideal, (v) => `${v.toFixed(3)}×`)];
    }),
  ]);
}
console.log(`\nload at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
authors.network.dispose();
