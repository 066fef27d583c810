/**
 * Issue #14, published pmse on MNIST: under the authors' code's ball law (radius uniform in [0, ε]) SP (H+G) has a
 * lower P_MSE than SH+SG for the internal neuron at every ε, by 3–4 %. The report's measured fact is that SH+SG's
 * validation P_MSE (Eq. 11's law) still falls at the largest σ the three-σ rule allows (ε/√d). Does a σ beyond the
 * rule close the gap, and would a smaller one (¾·ε/√d, the paper's MNIST choice) do better under the code's law?
 *
 *   nice -n 10 pnpm --filter @smoothhess/reproduce exec tsx investigations/neuron-sigma/neuron-sigma.ts
 *   pnpm --filter @smoothhess/reproduce exec tsx investigations/neuron-sigma/neuron-sigma.ts --summarise
 *
 * It re-runs the published run's own test points of the neuron (the first POINTS of `testRows` in
 * `published/pmse/mnist/pmse-authors/results.json.gz`, default 20) with the published pipeline (ONNX engine, the same
 * seeds, 100,000 samples, 1,000 ball points per ε, both ball laws), adding SH+SG at σ = c·ε/√d for c in SCALES and
 * SP (H+G) at β = b·β̂ for b in ¾, 1, 4/3, 16/9, 64/27 (β̂ the published choice). At c = 1 and b = 1 the seeds are the published
 * ones, so those P_MSE must equal the published per-point numbers: the script checks it before it records a point.
 * Each point is appended to OUT (default results/points.jsonl beside this file) as one JSON line; a rerun skips the
 * points already there.
 */
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { BallSampling } from "@smoothhess/metrics";
import { deriveSeed } from "@smoothhess/random";
import { smoothHess } from "@smoothhess/stein";
import { predictedClasses, useBackend, type BackendName } from "@smoothhess/tfjs";
import { loadAuthorsModel } from "../../src/authors-model.js";
import { openEngine } from "../../src/engine.js";
import { rowVector } from "../../src/explained-points.js";
import { imageDatasetSplits } from "../../src/image-classifier-task.js";
import { SEED_TAG } from "../../src/experiments/pmse/config.js";
import { balls, sigmaCandidates } from "../../src/experiments/pmse/explained.js";
import { PUBLISHED_MNIST_PMSE, readJsonLines, readPublishedMnistPmse } from "../shared/published-mnist-pmse.js";

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const POINTS = Number(env.POINTS ?? 20);
/** σ = c·ε/√d for each c: the rule's ½, ¾ and 1, and two beyond it. */
const SCALES = (env.SCALES ?? "0.5,0.75,1,1.25,1.5").split(",").map(Number);
/** β = b·β̂ for each b (β̂ the published choice); the upper end stays inside App. E.2.1's grid (≤ 790). */
const BETA_SCALES = [0.75, 1, 4 / 3, 16 / 9, 64 / 27];
const OUT = env.OUT ?? `${here}/results/points.jsonl`;
const LAWS: readonly BallSampling[] = ["uniform-ball", "uniform-radius"];

/** One explained point: P_MSE of every model, keyed `law|ε|model`. */
interface PointRecord {
  readonly j: number;
  readonly row: number;
  readonly pmse: Record<string, number>;
}

const { config, dataset } = await readPublishedMnistPmse();
const neuronTarget = dataset.targets.find((t) => t.target === "neuron");
if (!neuronTarget) throw new Error(`${PUBLISHED_MNIST_PMSE} has no neuron target`);
const target = { layer: dataset.neuron.layer, unit: dataset.neuron.unit };
const ds = 0; // DATASET_KEYS.indexOf("mnist")
const tg = 1; // TARGET_KEYS.indexOf("neuron")
const d = 784;
const { sigmas } = sigmaCandidates(config.radii, d);
const modelName = (scale: number) => `SH+SG x${scale}`;
const spName = (scale: number) => `SP (H+G) x${scale.toFixed(3)}`;

const done = () => readJsonLines<PointRecord>(OUT);

if (process.argv.includes("--summarise")) {
  summarise(await done());
  process.exit(0);
}

const startCpu = process.cpuUsage();
await useBackend(config.backend as BackendName); // the run's tfjs backend (the network's forward pass: the predicted class)
const authors = await loadAuthorsModel("mnist");
const splits = await imageDatasetSplits("mnist", config.models.mnist.data, config.seed, undefined);
const engine = await openEngine("onnx", { network: authors.network, onnx: authors.onnx });
const oracle = await engine.oracle(target);
await mkdir(dirname(OUT), { recursive: true });
const have = new Set((await done()).map((p) => p.j));
try {
  for (let j = 0; j < Math.min(POINTS, neuronTarget.testRows.length); j++) {
    if (have.has(j)) continue;
    const row = neuronTarget.testRows[j];
    const x0 = rowVector(splits.test.x, row, d);
    const fn = { x0, predicted: predictedClasses(authors.network, x0, 1)[0], surrogateTarget: target };
    // SH+SG at c·ε/√d: the published seed where c·ε/√d is one of the rule's candidates, a new one otherwise.
    const smooth = new Map<number, { gradient: Float64Array; hessian: Float64Array }>();
    for (const [k, sigma] of [...new Set(config.radii.flatMap((radius) => SCALES.map((c) => (c * radius) / Math.sqrt(d))))].entries()) {
      const s = sigmas.findIndex((x) => Math.abs(x - sigma) <= 1e-12 * sigma);
      const seed = deriveSeed(config.seed, SEED_TAG.testSmoothHess, ds, tg, j, s >= 0 ? s : 1000 + k);
      const estimate = await smoothHess(oracle, x0, { covariance: { sigma: s >= 0 ? sigmas[s] : sigma }, samples: config.samples, seed, kernel: engine.kernel });
      smooth.set(sigma, { gradient: estimate.gradient, hessian: estimate.hessian });
    }
    const smoothAt = (radius: number, c: number) => {
      const sigma = (c * radius) / Math.sqrt(d);
      for (const [key, value] of smooth) if (Math.abs(key - sigma) <= 1e-12 * sigma) return value;
      throw new Error(`no SmoothHess at σ = ${sigma}`);
    };
    const chosenBeta = neuronTarget.selection["SP (H+G)"].map((s) => s.chosen);
    const softplus = new Map<number, { gradient: Float64Array; hessian: Float64Array }>();
    for (const beta of new Set(chosenBeta.flatMap((b) => BETA_SCALES.map((f) => b * f)))) {
      softplus.set(beta, await engine.surrogateHessian({ name: "softplus", beta }, x0, target));
    }
    const pmse: Record<string, number> = {};
    for (const law of LAWS) {
      const ballsHere = await balls(config, engine, fn, config.testBallSamples, (e) => deriveSeed(config.seed, SEED_TAG.testBall, ds, tg, j, e), law);
      try {
        const named: { name: string; e: number; model: { gradient: Float64Array; hessian: Float64Array } }[] = [];
        config.radii.forEach((radius, e) => {
          for (const c of SCALES) named.push({ name: modelName(c), e, model: smoothAt(radius, c) });
          for (const f of BETA_SCALES) named.push({ name: spName(f), e, model: softplus.get(chosenBeta[e] * f)! });
        });
        const scored = await ballsHere.scoreMany(named.map((n) => n.model));
        named.forEach((n, m) => (pmse[`${law}|${config.radii[n.e]}|${n.name}`] = scored[m][n.e].mean));
      } finally {
        await ballsHere.dispose();
      }
    }
    // The published pipeline's numbers, reproduced: SH+SG at the chosen σ (c = 1 here) and SP (H+G) at the chosen β.
    const point = neuronTarget.points[j];
    for (const law of LAWS) {
      config.radii.forEach((radius, e) => {
        const chosenScale = neuronTarget.selection["SH+SG"][e].chosen / (radius / Math.sqrt(d));
        const checks: [string, number][] = [[spName(1), point.pmse[law]["SP (H+G)"][e]]];
        if (SCALES.some((c) => Math.abs(c - chosenScale) < 1e-9)) checks.push([modelName(Math.round(chosenScale * 1e6) / 1e6), point.pmse[law]["SH+SG"][e]]);
        for (const [name, expected] of checks) {
          const got = pmse[`${law}|${radius}|${name}`];
          if (Math.abs(got - expected) > 1e-9 * Math.abs(expected)) throw new Error(`point ${j}, ${law}, ε=${radius}, ${name}: ${got} here, ${expected} published`);
        }
      });
    }
    await appendFile(OUT, `${JSON.stringify({ j, row, pmse } satisfies PointRecord)}\n`);
    const cpu = process.cpuUsage(startCpu);
    console.log(`point ${j} (row ${row}) done; ${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU-s so far`);
  }
} finally {
  await engine.dispose();
  authors.network.dispose();
}
summarise(await done());

/** Per law and ε: the mean P_MSE of each model ± SE, and its paired difference from SP (H+G) at the chosen β. */
function summarise(points: readonly PointRecord[]): void {
  if (points.length === 0) {
    console.log(`no points in ${OUT}`);
    return;
  }
  const names = [...SCALES.map(modelName), ...BETA_SCALES.map(spName)];
  const stats = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    return { mean, se: sd / Math.sqrt(values.length) };
  };
  const fmt = (v: number) => v.toExponential(2);
  console.log(`${points.length} test points of the published run (neuron unit ${target.unit}); model: mean P_MSE ± SE | paired difference from SP (H+G) x1.000 ± SE (negative: lower)`);
  for (const law of LAWS) {
    for (const radius of config.radii) {
      console.log(`\n${law}, ε = ${radius}`);
      const reference = points.map((p) => p.pmse[`${law}|${radius}|${spName(1)}`]);
      for (const name of names) {
        const values = points.map((p) => p.pmse[`${law}|${radius}|${name}`]);
        const own = stats(values);
        const diff = stats(values.map((v, i) => v - reference[i]));
        console.log(`  ${name.padEnd(20)} ${fmt(own.mean)} ± ${fmt(own.se)} | ${fmt(diff.mean)} ± ${fmt(diff.se)} (${(own.mean / stats(reference).mean).toFixed(3)}×)`);
      }
    }
  }
  // The paper's own Table 3 choices, not selected on these points: σ = ¾·ε/√d (its MNIST logit cells; the neuron's
  // are garbled in the text) and the neuron's β = 400, 200, 100, which are 4/3 of the published β̂ = 300, 150, 75.
  const paperSh = modelName(0.75);
  const paperSp = spName(4 / 3);
  if (!SCALES.includes(0.75)) return;
  console.log(`\nAt the paper's Table 3 values: ${paperSh} (σ = ¾·ε/√d) − ${paperSp} (β = 400, 200, 100), paired, ± SE:`);
  for (const law of LAWS) {
    const cells = config.radii.map((radius) => {
      const diff = stats(points.map((p) => p.pmse[`${law}|${radius}|${paperSh}`] - p.pmse[`${law}|${radius}|${paperSp}`]));
      const ratio = stats(points.map((p) => p.pmse[`${law}|${radius}|${paperSh}`])).mean / stats(points.map((p) => p.pmse[`${law}|${radius}|${paperSp}`])).mean;
      return `ε=${radius}: ${fmt(diff.mean)} ± ${fmt(diff.se)} (${ratio.toFixed(3)}×)`;
    });
    console.log(`  ${law}: ${cells.join("; ")}`);
  }
}
