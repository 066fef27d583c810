/**
 * Does C-LIME's estimator variance grow with the input dimension d while SmoothGrad's does not? The Simulated task
 * of Agarwal et al. §6.1 (two clusters at ±(1, 1)) padded with d − 2 irrelevant N(0, 1) features, the same
 * two-layer ELU network (10-10, 15 epochs), explained at its class-1 probability with σ² = 1:
 *
 * - `v`: n · tr Cov(E_n(x)) at fixed x (variance per perturbation), from REPEATS seeds, mean over points;
 * - `rob`: the §6.3 robustness (max L1 over 10 neighbours x' ~ N(x, 0.01 I), fresh perturbations per explanation) at
 *   N perturbations, and the paired difference C-LIME − SmoothGrad ± its standard error over the points.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/unification-dimension.ts
 *
 * DIMS (2,5,10,15), POINTS (50), REPEATS (8), N (100), SIGMA2 (1), SEED (0).
 */
import { createDataset, subsetDataset } from "@smoothhess/datasets";
import { eluClassifier, eluProbabilityOracle, pairedDifference, trainEluClassifier, vectorExplanationDistance } from "@smoothhess/metrics";
import { covariance } from "@smoothhess/oracle";
import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import { cLime, smoothGrad } from "@smoothhess/stein";

const list = (v: string | undefined, fallback: number[]) => (v ? v.split(",").map(Number) : fallback);
const dims = list(process.env.DIMS, [2, 5, 10, 15]);
const points = Number(process.env.POINTS ?? 50);
const repeats = Number(process.env.REPEATS ?? 8);
const n = Number(process.env.N ?? 100);
const sigma2 = Number(process.env.SIGMA2 ?? 1);
const seed = Number(process.env.SEED ?? 0);
const neighbours = 10;

type Explain = (x: Float64Array, s: number) => Promise<Float64Array>;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const fmt = (v: number) => v.toExponential(2);

const before = process.cpuUsage();
console.log(`σ² = ${sigma2}, n = ${n}, ${points} test points, ${repeats} repeats for v`);
console.log("  d | test acc | v_SG      v_CL      ratio | rob SG    rob CL    | CL − SG (± SE)          z");
for (const d of dims) {
  const rng = gaussianSampler(deriveSeed(seed, d));
  const total = 1000;
  const x = new Float32Array(total * d), y = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    y[i] = rng.uniform() < 0.5 ? 0 : 1;
    for (let j = 0; j < d; j++) x[i * d + j] = (j < 2 ? (y[i] ? 1 : -1) : 0) + rng.normal();
  }
  const data = createDataset({ x, y, shape: [d], classes: ["0", "1"] });
  const train = subsetDataset(data, Array.from({ length: 800 }, (_, i) => i));
  const test = subsetDataset(data, Array.from({ length: 200 }, (_, i) => 800 + i));
  const net = eluClassifier([d, 10, 10, 2], deriveSeed(seed, 2));
  trainEluClassifier(net, train.x, train.y, { epochs: 15, seed: deriveSeed(seed, 3) });
  const oracle = eluProbabilityOracle(net, 1);
  let right = 0;
  const { values } = oracle.evaluate(Float64Array.from(test.x), test.n);
  for (let i = 0; i < test.n; i++) if ((values[i] > 0.5 ? 1 : 0) === test.y[i]) right++;

  const cov = covariance({ variance: sigma2 }, d);
  const options = (s: number) => ({ covariance: cov, samples: n, seed: s, antithetic: false });
  const methods: Record<"sg" | "cl", Explain> = {
    sg: async (p, s) => (await smoothGrad(oracle, p, options(s))).gradient,
    cl: async (p, s) => (await cLime(oracle, p, options(s))).coefficients,
  };
  const v = { sg: [] as number[], cl: [] as number[] }, rob = { sg: [] as number[], cl: [] as number[] };
  for (let i = 0; i < points; i++) {
    const point = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
    const nbrs = new Float64Array(neighbours * d);
    gaussianSampler(deriveSeed(seed, 50, i)).fillNormal(nbrs);
    for (let k = 0; k < nbrs.length; k++) nbrs[k] = point[k % d] + 0.1 * nbrs[k];
    for (const [m, explain] of Object.entries(methods) as ["sg" | "cl", Explain][]) {
      const base = deriveSeed(seed, 60, i, m === "sg" ? 0 : 1);
      const rows: Float64Array[] = [];
      for (let r = 0; r < repeats; r++) rows.push(await explain(point, deriveSeed(base, 2000 + r)));
      let trace = 0;
      for (let j = 0; j < d; j++) {
        const mu = mean(rows.map((row) => row[j]));
        trace += rows.reduce((s, row) => s + (row[j] - mu) ** 2, 0) / (repeats - 1);
      }
      v[m].push(n * trace);
      const at = await explain(point, deriveSeed(base, 0));
      let max = 0;
      for (let j = 0; j < neighbours; j++) {
        max = Math.max(max, vectorExplanationDistance(at, await explain(nbrs.slice(j * d, (j + 1) * d), deriveSeed(base, j + 1))).l1);
      }
      rob[m].push(max);
    }
  }
  const diff = pairedDifference(rob.cl, rob.sg);
  console.log(
    `${String(d).padStart(3)} | ${(100 * right / test.n).toFixed(1).padStart(6)} % | ${fmt(mean(v.sg))}  ${fmt(mean(v.cl))}  ${(mean(v.cl) / mean(v.sg)).toFixed(2).padStart(5)} | ${fmt(mean(rob.sg))}  ${fmt(mean(rob.cl))}  | ${fmt(diff.mean)} ± ${fmt(diff.standardError)} ${(diff.mean / diff.standardError).toFixed(1).padStart(5)}`,
  );
}
const used = process.cpuUsage(before);
console.log(`${((used.user + used.system) / 1e6).toFixed(1)} CPU-s`);
