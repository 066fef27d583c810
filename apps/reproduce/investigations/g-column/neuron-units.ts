/**
 * Companion of g-column.ts for the internal-neuron column: the paper does not name its neuron's index, only how it
 * was chosen ("maximally activated on average over the train data by the three"). For every unit of the authors'
 * last hidden layer this measures, on the same explained digits, the P_MSE of the zero-gradient model
 * E[(n_u(x₀+δ) − n_u(x₀))²] under both ball laws, so one can see which units (if any) give the paper's G numbers.
 *
 *   nice -n 10 pnpm --filter @smoothhess/reproduce exec tsx investigations/g-column/neuron-units.ts
 *
 * POINTS (default 24) and SEED (default 14) pick the same digits as g-column.ts; BALL (default 2000) points per ball.
 */
import { fileURLToPath } from "node:url";
import { loadEmbeddedMnist } from "@smoothhess/datasets";
import { ballSampler, type BallSampling } from "@smoothhess/metrics";
import { loadOnnxModel, runForward } from "@smoothhess/onnx";
import { deriveSeed, seededPermutation } from "@smoothhess/random";

const env = process.env;
const POINTS = Number(env.POINTS ?? 24);
const BALL = Number(env.BALL ?? 2000);
const SEED = Number(env.SEED ?? 14);
const RADII = [0.25, 0.5, 1.0] as const;
const LAWS: readonly BallSampling[] = ["uniform-ball", "uniform-radius"];
/** Paper Table 1, MNIST internal neuron, G row; and the logit's G row. */
const PAPER_NEURON_G = [2.0e-3, 7.0e-3, 2.9e-2];
const PAPER_LOGIT_G = [4.2e-3, 1.7e-2, 6.7e-2];
const fixture = (name: string) => fileURLToPath(new URL(`../../../../packages/onnx/fixtures/${name}`, import.meta.url));

const data = await loadEmbeddedMnist();
const model = await loadOnnxModel(fixture("authors-mnist-mlp.onnx"));
const d = model.dim;
const lastHidden = model.hiddenTensors[model.hiddenTensors.length - 1];

// the unit g-column.ts explains: largest mean ReLU activation over the embedded (training) threes
const threes: number[] = [];
for (let i = 0; i < data.n; i++) if (data.y[i] === 3) threes.push(i);
const threeRows = new Float64Array(threes.length * d);
threes.forEach((row, k) => threeRows.set(data.x.subarray(row * d, (row + 1) * d), k * d));
const pre = await runForward(model, threeRows, threes.length, lastHidden);
const width = pre.length / threes.length;
const meanReLU = new Float64Array(width);
for (let k = 0; k < threes.length; k++) for (let u = 0; u < width; u++) meanReLU[u] += Math.max(0, pre[k * width + u]) / threes.length;
const byActivation = Array.from({ length: width }, (_, u) => u).sort((a, b) => meanReLU[b] - meanReLU[a]);
const chosen = byActivation[0];

const rows = Array.from(seededPermutation(data.n, SEED).subarray(0, POINTS));
// sums[law][e][u] = Σ over points of the per-point P_MSE of the zero-gradient model, and the same for the logit
const sums = LAWS.map(() => RADII.map(() => new Float64Array(width)));
const logitSums = LAWS.map(() => RADII.map(() => 0));
const block = 500;
for (const row of rows) {
  const x0 = Float64Array.from(data.x.subarray(row * d, (row + 1) * d));
  const h0 = await runForward(model, x0, 1, lastHidden);
  const z0 = await runForward(model, x0, 1);
  let k = 0;
  for (let j = 1; j < z0.length; j++) if (z0[j] > z0[k]) k = j;
  for (const [l, law] of LAWS.entries()) {
    for (const [e, eps] of RADII.entries()) {
      const sampler = ballSampler(d, eps, { seed: deriveSeed(SEED, row, 20 + l, e), sampling: law });
      const points = new Float64Array(block * d);
      for (let done = 0; done < BALL; done += block) {
        const n = Math.min(block, BALL - done);
        sampler.fill(points, n);
        for (let i = 0; i < n * d; i++) points[i] += x0[i % d];
        const h = await runForward(model, points.subarray(0, n * d), n, lastHidden);
        const z = await runForward(model, points.subarray(0, n * d), n);
        for (let p = 0; p < n; p++) {
          for (let u = 0; u < width; u++) sums[l][e][u] += (h[p * width + u] - h0[u]) ** 2 / BALL / POINTS;
          logitSums[l][e] += (z[p * z0.length + k] - z0[k]) ** 2 / BALL / POINTS;
        }
      }
    }
  }
}

const fmt = (x: number) => x.toExponential(2);
console.log(`${POINTS} points, BALL=${BALL}; unit explained by g-column.ts: ${chosen} (mean ReLU on threes ${meanReLU[chosen].toFixed(3)})`);
for (const [l, law] of LAWS.entries()) {
  console.log(`\n### ${law}: P_MSE of G = 0 (mean over points)\n`);
  console.log("| quantity | ε=0.25 | ε=0.5 | ε=1.0 |\n|---|---|---|---|");
  console.log(`| predicted-class logit | ${RADII.map((_, e) => fmt(logitSums[l][e])).join(" | ")} |`);
  console.log(`| unit ${chosen} (top mean activation on threes) | ${RADII.map((_, e) => fmt(sums[l][e][chosen])).join(" | ")} |`);
  for (const rank of [1, 2, 4, 9]) {
    const u = byActivation[rank];
    console.log(`| unit ${u} (rank ${rank + 1} on threes) | ${RADII.map((_, e) => fmt(sums[l][e][u])).join(" | ")} |`);
  }
  for (const q of [0, 0.5, 0.9, 1]) {
    const cells = RADII.map((_, e) => {
      const sorted = Array.from(sums[l][e]).sort((a, b) => a - b);
      return fmt(sorted[Math.min(width - 1, Math.floor(q * (width - 1)))]);
    });
    console.log(`| all ${width} units, ${q === 0 ? "min" : q === 1 ? "max" : `${q * 100}th percentile`} | ${cells.join(" | ")} |`);
  }
  const near = Array.from({ length: width }, (_, u) => u).filter((u) => RADII.every((_, e) => Math.abs(Math.log(sums[l][e][u] / PAPER_NEURON_G[e])) < Math.log(1.5)));
  console.log(`| units within a factor 1.5 of the paper's neuron G at every ε | ${near.length ? near.map((u) => `${u} (activation rank ${byActivation.indexOf(u) + 1})`).join(", ") : "none"} | | |`);
  console.log(`| paper: neuron G / logit G | ${PAPER_NEURON_G.map((v, e) => `${fmt(v)} / ${fmt(PAPER_LOGIT_G[e])}`).join(" | ")} |`);
}
