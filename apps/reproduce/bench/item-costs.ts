/**
 * CPU cost of each operation a `pmse --full` / `attack --full` item performs, on the ONNX engine with the paper
 * authors' MNIST MLP, and the per-item costs and full-run projections composed from them.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/item-costs.ts
 *
 * SAMPLES (default 100000) sets the SmoothHess sample size, REPEATS (default 12) the Hessians and ball scores timed.
 * Costs are CPU seconds of this process (`process.cpuUsage`, every thread), so they hold on a shared machine; all
 * ONNX Runtime sessions run one intra-op thread, the layout of one shard per core.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { hessianEigen, threeSigmaRule } from "@smoothhess/metrics";
import { loadOnnxModel, onnxOracle, onnxOuterProductKernel, onnxSurrogates, runForward } from "@smoothhess/onnx";
import { smoothHess } from "@smoothhess/stein";
import { useBackend } from "@smoothhess/tfjs";
import { PerturbationBall, hessianTensor } from "../src/perturbation-ball.js";

const samples = Number(process.env.SAMPLES ?? 100_000);
const repeats = Number(process.env.REPEATS ?? 12);
const fixture = (name: string) => fileURLToPath(new URL(`../../../packages/onnx/fixtures/${name}`, import.meta.url));

/** CPU seconds (user + system, all threads) of `work`. */
async function cpuSeconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

await useBackend("wasm");
const model = await loadOnnxModel(fixture("authors-mnist-mlp.onnx"));
const reference = JSON.parse(await readFile(fixture("authors-mnist-mlp.reference.json"), "utf8")) as { inputs: number[] };
const d = model.dim;
const x0 = Float64Array.from(reference.inputs.slice(0, d));
const outputs = Array.from(await runForward(model, x0, 1));
const k = outputs.indexOf(Math.max(...outputs));
const sigma = threeSigmaRule(0.5, d)[1];

const oracle = await onnxOracle(model, { target: { output: k }, threads: 1 });
const softmaxOracle = await onnxOracle(model, { target: { softmax: k }, threads: 1 });
const kernel = await onnxOuterProductKernel({ threads: 1 });
const surrogates = await onnxSurrogates(model, { threads: 1 });
const valueOracle = {
  dim: d,
  async evaluate(points: Float64Array, n: number) {
    const out = await runForward(model, points.subarray(0, n * d), n);
    return { values: Float64Array.from({ length: n }, (_, i) => out[i * 10 + k]) };
  },
};

const cost: Record<string, number> = {};
let estimate: Awaited<ReturnType<typeof smoothHess>> | undefined;
cost.smoothHessLogit = await cpuSeconds(async () => {
  estimate = await smoothHess(oracle, x0, { covariance: { sigma }, samples, seed: 1, kernel });
});
cost.smoothHessSoftmax = await cpuSeconds(() => smoothHess(softmaxOracle, x0, { covariance: { variance: 0.1 }, samples, seed: 2, kernel }));
const betas = Array.from({ length: repeats }, (_, i) => 2 + 8 * i);
let lastHessian: Float64Array | undefined;
for (const name of ["softplus", "swish"] as const) {
  cost[`${name}Hessian`] =
    (await cpuSeconds(async () => {
      for (const beta of betas) lastHessian = (await surrogates.surrogate({ name, beta }).hessians(x0, 1, { output: k })).hessians;
    })) / repeats;
}
let ball: PerturbationBall | undefined;
cost.ball1000 = await cpuSeconds(async () => {
  ball = await PerturbationBall.create(valueOracle, x0, { radius: 0.5, samples: 1000, seed: 3 });
});
cost.scoreWithHessian =
  (await cpuSeconds(() => {
    for (let r = 0; r < repeats; r++) {
      const h = hessianTensor(lastHessian!, d);
      ball!.score(estimate!.gradient, h);
      h.dispose();
    }
  })) / repeats;
cost.eigen = await cpuSeconds(() => hessianEigen(estimate!.hessian, d));
ball!.dispose();
await oracle.dispose();
await softmaxOracle.dispose();
kernel.dispose();
await surrogates.dispose();

// Items, in the experiments' own counts (pmse.ts, attack.ts; full preset).
const radii = 3, betaGrid = 114, sigmas = 7;
// Validation: 7 SmoothHess (the distinct σ of the three-σ rule over 3 radii), 114 β × 2 surrogate Hessians, 3 items
// × 3 radii balls, 9 SmoothHess models and 2 × 114 × 3 surrogate models scored with their Hessian.
const pmseValidationItem =
  sigmas * cost.smoothHessLogit + betaGrid * (cost.softplusHessian + cost.swishHessian) + 3 * radii * cost.ball1000 + (radii * 3 + 2 * betaGrid * radii) * cost.scoreWithHessian;
// Test: SmoothHess at the distinct chosen σ (1 to 3), surrogate Hessians at the chosen β (1 to 3 per family), two
// ball laws × 3 radii, three second-order models scored per ball.
const pmseTest = (distinct: number) =>
  distinct * cost.smoothHessLogit + distinct * (cost.softplusHessian + cost.swishHessian) + 2 * radii * cost.ball1000 + 2 * radii * 3 * cost.scoreWithHessian;
// Attack validation: 28 σ² (one SmoothHess and one eigendecomposition each), 46 β (one Hessian and one eigen each).
const attackValidation = 28 * (cost.smoothHessSoftmax + cost.eigen) + 46 * (cost.softplusHessian + cost.eigen);
// Attack test: SmoothHess at the distinct chosen σ² (1 to 5), SoftPlus at the chosen β (1 to 5), vanilla Hessian; one eigen each.
const attackTest = (distinct: number) => distinct * (cost.smoothHessSoftmax + cost.eigen) + distinct * (cost.softplusHessian + cost.eigen) + cost.eigen;

const pmseTotal = (distinct: number) => 2 * 2 * (200 * pmseValidationItem + 200 * pmseTest(distinct)); // 2 datasets × 2 functions
const attackTotal = (distinct: number) => 2 * (200 * attackValidation + 400 * attackTest(distinct));
const hours = (s: number) => (s / 3600).toFixed(1);
console.log(`samples ${samples}, d ${d}, one intra-op thread per session; CPU seconds:`);
for (const [name, value] of Object.entries(cost)) console.log(`  ${name.padEnd(18)} ${value.toFixed(3)}`);
console.log(`pmse validation item ${pmseValidationItem.toFixed(1)}, test item ${pmseTest(1).toFixed(1)}–${pmseTest(3).toFixed(1)}`);
console.log(`attack validation item ${attackValidation.toFixed(1)}, test item ${attackTest(1).toFixed(1)}–${attackTest(5).toFixed(1)}`);
for (const [label, low, high] of [
  ["pmse --full (2 datasets × 2 functions × 200 + 200 points)", pmseTotal(1), pmseTotal(3)],
  ["attack --full (2 datasets × 200 + 400 points)", attackTotal(1), attackTotal(5)],
  ["both", pmseTotal(1) + attackTotal(1), pmseTotal(3) + attackTotal(5)],
] as const) {
  console.log(`${label}: ${hours(low)}–${hours(high)} CPU-h → ${hours(low / 2)}–${hours(high / 2)} h on 2 cores, ${hours(low / 32)}–${hours(high / 32)} h on 32 cores (ideal shards)`);
}
