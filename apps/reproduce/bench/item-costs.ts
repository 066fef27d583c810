/**
 * CPU cost of each operation a `pmse --full` / `attack --full` item performs, on both engines of the app
 * (`src/engine.ts`: `--engine onnx` and `--engine tfjs`) with the paper authors' MNIST MLP, and the per-item costs
 * and full-run projections composed from them, with the ratio onnx / tfjs measured in the same process.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/item-costs.ts
 *
 * SAMPLES (default 100000) sets the SmoothHess sample size, REPEATS (default 12) the Hessians and ball scores timed,
 * ENGINES (default "onnx,tfjs") the engines. Costs are CPU seconds of this process (`process.cpuUsage`, every
 * thread, the tfjs workers included), so they hold on a shared machine; ONNX Runtime sessions run one intra-op
 * thread (the engine's setting: one shard per core).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { perturbationBalls, threeSigmaRule, type PerturbationBalls } from "@smoothhess/metrics";
import { smoothHess } from "@smoothhess/stein";
import { predictedClasses, useBackend } from "@smoothhess/tfjs";
import { loadAuthorsModel } from "../src/authors-model.js";
import { openEngine, type EngineName } from "../src/engine.js";
import { secondOrderPoints } from "../src/experiments/attack/outcomes.js";
import { attackExperiment } from "../src/experiments/attack/experiment.js";

const samples = Number(process.env.SAMPLES ?? 100_000);
const repeats = Number(process.env.REPEATS ?? 12);
const engines = (process.env.ENGINES ?? "onnx,tfjs").split(",") as EngineName[];
const fixture = (name: string) => fileURLToPath(new URL(`../../../packages/onnx/fixtures/${name}`, import.meta.url));

/** CPU seconds (user + system, all threads) of `work`. */
async function cpuSeconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

await useBackend("wasm");
const authors = await loadAuthorsModel("mnist");
const reference = JSON.parse(await readFile(fixture("authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
const d = authors.network.inputSize;
const x0 = Float64Array.from(reference.inputs.slice(0, d));
const k = predictedClasses(authors.network, x0, 1)[0];
const sigma = threeSigmaRule(0.5, d)[1];
const attackConfig = attackExperiment.configure({ preset: "full", seed: 0, backend: "wasm", out: "unused", fresh: false, quiet: true });

/** The operations' CPU seconds on one engine. */
async function operationCosts(name: EngineName): Promise<Record<string, number>> {
  const engine = await openEngine(name, { network: authors.network, onnx: authors.onnx });
  const cost: Record<string, number> = {};
  try {
    const oracle = await engine.oracle({ output: k });
    const softmaxOracle = await engine.oracle({ softmax: k });
    let estimate: Awaited<ReturnType<typeof smoothHess>> | undefined;
    await smoothHess(oracle, x0, { covariance: { sigma }, samples: 2000, seed: 9, kernel: engine.kernel }); // warm-up: sessions, workers
    cost.smoothHessLogit = await cpuSeconds(async () => {
      estimate = await smoothHess(oracle, x0, { covariance: { sigma }, samples, seed: 1, kernel: engine.kernel });
    });
    let softmaxEstimate: Awaited<ReturnType<typeof smoothHess>> | undefined;
    cost.smoothHessSoftmax = await cpuSeconds(async () => {
      softmaxEstimate = await smoothHess(softmaxOracle, x0, { covariance: { variance: 0.1 }, samples, seed: 2, kernel: engine.kernel });
    });
    const betas = Array.from({ length: repeats }, (_, i) => 2 + 8 * i);
    let lastHessian: Float64Array | undefined;
    for (const activation of ["softplus", "swish"] as const) {
      await engine.surrogateHessian({ name: activation, beta: 1 }, x0, { output: k }); // warm-up: the family's graphs
      cost[`${activation}Hessian`] =
        (await cpuSeconds(async () => {
          for (const beta of betas) lastHessian = (await engine.surrogateHessian({ name: activation, beta }, x0, { output: k })).hessian;
        })) / repeats;
    }
    // The three balls of a point (ε = 0.25, 0.5, 1; 1,000 points each) as the app draws and scores them; costs per ball.
    const valueOracle = await engine.valueOracle({ output: k });
    let balls: PerturbationBalls | undefined;
    const specs = [0.25, 0.5, 1].map((radius, e) => ({ radius, seed: 3 + e }));
    cost.ball1000 =
      (await cpuSeconds(async () => {
        balls = await perturbationBalls(valueOracle, x0, { balls: specs, samples: 1000, kernel: engine.quadraticFormKernel });
      })) / specs.length;
    await balls!.scoreMany([{ gradient: estimate!.gradient, hessian: lastHessian! }]); // warm-up
    cost.scoreWithHessian =
      (await cpuSeconds(async () => {
        for (let r = 0; r < repeats; r++) await balls!.scoreMany([{ gradient: estimate!.gradient, hessian: lastHessian! }]);
      })) /
      (repeats * specs.length);
    await balls!.dispose();
    // The reduced and the exact attack at the five radii from one SmoothHess Hessian (secondOrderAttacks).
    // warm-up: the first solves of a process include the JIT compilation of the linear algebra
    secondOrderPoints(x0, softmaxEstimate!.gradient, softmaxEstimate!.hessian, attackConfig, "reduced");
    secondOrderPoints(x0, softmaxEstimate!.gradient, softmaxEstimate!.hessian, attackConfig, "exact");
    cost.attackReduced = await cpuSeconds(() => secondOrderPoints(x0, softmaxEstimate!.gradient, softmaxEstimate!.hessian, attackConfig, "reduced"));
    cost.attackExact = await cpuSeconds(() => secondOrderPoints(x0, softmaxEstimate!.gradient, softmaxEstimate!.hessian, attackConfig, "exact"));
  } finally {
    await engine.dispose();
  }
  return cost;
}

const costs = new Map<EngineName, Record<string, number>>();
for (const name of engines) costs.set(name, await operationCosts(name));

// Items, in the experiments' own counts (full preset).
const radii = 3, betaGrid = 114, sigmas = 7;

/** The CPU seconds of one item of each kind, from the operations' costs. */
function items(cost: Record<string, number>) {
  // pmse validation point (3 items): 7 SmoothHess (the distinct σ of the three-σ rule over 3 radii), 114 β × 2
  // surrogate Hessians, 3 items × 3 radii balls, 9 SmoothHess models and 2 × 114 × 3 surrogate models scored with
  // their Hessian.
  const pmseValidation =
    sigmas * cost.smoothHessLogit + betaGrid * (cost.softplusHessian + cost.swishHessian) + 3 * radii * cost.ball1000 + (radii * 3 + 2 * betaGrid * radii) * cost.scoreWithHessian;
  // pmse test point: SmoothHess at the distinct chosen σ (1 to 3), surrogate Hessians at the chosen β (1 to 3 per
  // family), two ball laws × 3 radii, three second-order models scored per ball.
  const pmseTest = (distinct: number) =>
    distinct * cost.smoothHessLogit + distinct * (cost.softplusHessian + cost.swishHessian) + 2 * radii * cost.ball1000 + 2 * radii * 3 * cost.scoreWithHessian;
  // attack validation point: 28 σ² (one SmoothHess and one reduced attack each), 46 β (one Hessian and one reduced attack each).
  const attackValidation = 28 * (cost.smoothHessSoftmax + cost.attackReduced) + 46 * (cost.softplusHessian + cost.attackReduced);
  // attack test point: SmoothHess at the distinct chosen σ² (1 to 5), SoftPlus at the chosen β (1 to 5), each attacked
  // reduced and exact; the vanilla Hessian's attacks (rank ≤ 10) are negligible.
  const attackTest = (distinct: number) => distinct * (cost.smoothHessSoftmax + cost.softplusHessian + cost.attackReduced + cost.attackExact);
  const pmseTotal = (distinct: number) => 2 * 2 * (200 * pmseValidation + 200 * pmseTest(distinct)); // 2 datasets × 2 functions
  const attackTotal = (distinct: number) => 2 * (200 * attackValidation + 400 * attackTest(distinct));
  return { pmseValidation, pmseTest, attackValidation, attackTest, pmseTotal, attackTotal };
}

const hours = (s: number) => (s / 3600).toFixed(1);
const names = [...costs.keys()];
console.log(`samples ${samples}, d ${d}, authors' MNIST MLP; CPU seconds per operation (ONNX Runtime: one intra-op thread per session):`);
console.log(`  ${"operation".padEnd(18)} ${names.map((n) => n.padStart(9)).join(" ")}${names.length === 2 ? "   ratio" : ""}`);
for (const op of Object.keys(costs.get(names[0])!)) {
  const values = names.map((n) => costs.get(n)![op]);
  console.log(`  ${op.padEnd(18)} ${values.map((v) => v.toFixed(3).padStart(9)).join(" ")}${names.length === 2 ? `   ${(values[0] / values[1]).toFixed(2)}` : ""}`);
}
for (const name of names) {
  const i = items(costs.get(name)!);
  console.log(`${name}: pmse validation point ${i.pmseValidation.toFixed(1)} CPU-s, test point ${i.pmseTest(1).toFixed(1)}–${i.pmseTest(3).toFixed(1)}; attack validation point ${i.attackValidation.toFixed(1)}, test point ${i.attackTest(1).toFixed(1)}–${i.attackTest(5).toFixed(1)}`);
  for (const [label, low, high] of [
    ["pmse --full (2 datasets × 2 functions × 200 + 200 points)", i.pmseTotal(1), i.pmseTotal(3)],
    ["attack --full (2 datasets × 200 + 400 points)", i.attackTotal(1), i.attackTotal(5)],
    ["both", i.pmseTotal(1) + i.attackTotal(1), i.pmseTotal(3) + i.attackTotal(5)],
  ] as const) {
    console.log(`  ${label}: ${hours(low)}–${hours(high)} CPU-h → ${hours(low / 2)}–${hours(high / 2)} h on 2 cores, ${hours(low / 32)}–${hours(high / 32)} h on 32 cores (ideal shards)`);
  }
}
authors.network.dispose();
