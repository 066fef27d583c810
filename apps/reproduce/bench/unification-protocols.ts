/**
 * Why is "SmoothGrad more robust than C-LIME at equal n" (Agarwal et al. §6.3) close to a coin flip on the Simulated
 * dataset? Decomposes the robustness distance of the unification experiment per (σ², n) cell:
 *
 * - `indep`: max L1 distance over 10 neighbours x' ~ N(x, 0.01 I) with a fresh Monte-Carlo sample for every
 *   explanation (each explanation computed on its own, as §6.3 describes);
 * - `crn`: the same with common random numbers (the same standard-normal draws at x and at every x');
 * - `map`: the distance of the smoothed map itself, E(x') − E(x), estimated with CRN at MAP_SAMPLES perturbations;
 * - `v`: n · tr Cov(E_n(x)) at fixed x (the estimator's variance per perturbation), from REPEATS seeds;
 * - C-LIME as stein's `cLime` (OLS with intercept), and `C-LIME₀`: OLS without intercept on the centred design
 *   x − x₀ (also equal to SmoothGrad in expectation, Thm. 1, but it keeps f(x)'s level in its noise).
 *
 * Per cell: means over the explained test points and the paired difference C-LIME − SmoothGrad ± its standard error.
 *
 *   pnpm --filter @smoothhess/reproduce exec tsx bench/unification-protocols.ts
 *
 * POINTS (default 200, the whole test split), REPEATS (16), MAP_SAMPLES (20000), SIGMA2 (0.01,0.1,1), N
 * (10,30,100,300,1000), SEED (0), EPOCHS (15), JSON (write the rows there).
 */
import { writeFile } from "node:fs/promises";
import { vectorExplanationDistance, pairedDifference } from "@smoothhess/metrics";
import { covariance, type SyncGradientOracle } from "@smoothhess/oracle";
import { deriveSeed, gaussianSampler } from "@smoothhess/random";
import { cLime, smoothGrad } from "@smoothhess/stein";
import { prepareUnificationDataset } from "../src/experiments/unification/dataset.js";

const list = (v: string | undefined, fallback: number[]) => (v ? v.split(",").map(Number) : fallback);
const seed = Number(process.env.SEED ?? 0);
const pointsWanted = Number(process.env.POINTS ?? 200);
const repeats = Number(process.env.REPEATS ?? 16);
const mapSamples = Number(process.env.MAP_SAMPLES ?? 20000);
const sigma2s = list(process.env.SIGMA2, [0.01, 0.1, 1]);
const ns = list(process.env.N, [10, 30, 100, 300, 1000]);
const neighbours = 10;

type Method = "sg" | "cl" | "cl0";
type Explain = (x: Float64Array, seed: number) => Promise<Float64Array>;

/** OLS of f(x₀ + δ) on δ without intercept (centred design), from the same draws stein's samplers would use. */
function cLimeNoIntercept(oracle: SyncGradientOracle, sigma2: number, n: number): Explain {
  return async (x, s) => {
    const d = x.length;
    const rng = gaussianSampler(s);
    const delta = new Float64Array(n * d);
    rng.fillNormal(delta);
    const sigma = Math.sqrt(sigma2);
    const pts = new Float64Array(n * d);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) pts[r * d + i] = x[i] + (delta[r * d + i] *= sigma);
    const { values } = oracle.evaluate(pts, n);
    // d = 2 in this bench: solve the 2×2 normal equations in closed form
    if (d !== 2) throw new Error("cLimeNoIntercept of this bench handles d = 2 only");
    let a = 0, b = 0, c = 0, u = 0, v = 0;
    for (let r = 0; r < n; r++) {
      const p = delta[2 * r], q = delta[2 * r + 1], y = values[r];
      a += p * p; b += p * q; c += q * q; u += p * y; v += q * y;
    }
    const det = a * c - b * b;
    return Float64Array.from([(c * u - b * v) / det, (a * v - b * u) / det]);
  };
}

function explainers(oracle: SyncGradientOracle, d: number, sigma2: number, n: number): Record<Method, Explain> {
  const cov = covariance({ variance: sigma2 }, d);
  const options = (s: number) => ({ covariance: cov, samples: n, seed: s, antithetic: false });
  return {
    sg: async (x, s) => (await smoothGrad(oracle, x, options(s))).gradient,
    cl: async (x, s) => (await cLime(oracle, x, options(s))).coefficients,
    cl0: cLimeNoIntercept(oracle, sigma2, n),
  };
}

/** `neighbours` points x' ~ N(x, 0.01 I), row-major. */
function neighbourPoints(x: Float64Array, s: number): Float64Array {
  const d = x.length;
  const out = new Float64Array(neighbours * d);
  gaussianSampler(s).fillNormal(out);
  for (let k = 0; k < out.length; k++) out[k] = x[k % d] + 0.1 * out[k];
  return out;
}

const l1 = (a: Float64Array, b: Float64Array) => vectorExplanationDistance(a, b).l1;

async function maxDistance(explain: Explain, x: Float64Array, others: Float64Array, d: number, seeds: (j: number) => number): Promise<number> {
  const base = await explain(x, seeds(0));
  let max = 0;
  for (let j = 0; j < neighbours; j++) max = Math.max(max, l1(base, await explain(others.slice(j * d, (j + 1) * d), seeds(j + 1))));
  return max;
}

/** n · tr Cov of the estimator at x, from `repeats` independent seeds. */
async function variancePerSample(explain: Explain, x: Float64Array, n: number, base: number): Promise<number> {
  const d = x.length;
  const rows: Float64Array[] = [];
  for (let r = 0; r < repeats; r++) rows.push(await explain(x, deriveSeed(base, r)));
  let trace = 0;
  for (let i = 0; i < d; i++) {
    const mean = rows.reduce((s, row) => s + row[i], 0) / repeats;
    trace += rows.reduce((s, row) => s + (row[i] - mean) ** 2, 0) / (repeats - 1);
  }
  return n * trace;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const fmt = (v: number) => v.toExponential(2);

async function main(): Promise<void> {
  const before = process.cpuUsage();
  const { test, oracle } = await prepareUnificationDataset({ name: "simulated", epochs: Number(process.env.EPOCHS ?? 15) }, { seed, hidden: [10, 10] });
  const d = test.d;
  const points = Math.min(pointsWanted, test.n);
  const methods: Method[] = ["sg", "cl", "cl0"];
  const rows: Record<string, unknown>[] = [];
  console.log(`Simulated, ${points} points, ${neighbours} neighbours x' ~ N(x, 0.01 I), ${repeats} repeats for v, map at n = ${mapSamples} (CRN)`);
  for (const sigma2 of sigma2s) {
    // the map's own change: CRN at a large n (SmoothGrad; the same map as C-LIME in expectation)
    const big = explainers(oracle, d, sigma2, mapSamples);
    const map: number[] = [];
    const xs: Float64Array[] = [], nbrs: Float64Array[] = [];
    for (let i = 0; i < points; i++) {
      const x = Float64Array.from(test.x.subarray(i * d, (i + 1) * d));
      xs.push(x);
      nbrs.push(neighbourPoints(x, deriveSeed(seed, 50, i)));
      map.push(await maxDistance(big.sg, x, nbrs[i], d, () => deriveSeed(seed, 51, i)));
    }
    console.log(`\nσ² = ${sigma2}: map change (max L1 over neighbours, mean over points) ${fmt(mean(map))}`);
    console.log("   n | protocol | SG        C-LIME    C-LIME₀  | C-LIME − SG (± SE)      z    | C-LIME₀ − SG (± SE)     z    | v_SG      v_CL      v_CL₀");
    for (const n of ns) {
      const e = explainers(oracle, d, sigma2, n);
      const result: Record<string, Record<Method, number[]>> = { indep: { sg: [], cl: [], cl0: [] }, crn: { sg: [], cl: [], cl0: [] } };
      const v: Record<Method, number[]> = { sg: [], cl: [], cl0: [] };
      for (let i = 0; i < points; i++) {
        for (const [k, m] of methods.entries()) {
          const base = deriveSeed(seed, 60, i, n, Math.round(sigma2 * 1e6), k);
          result.indep[m].push(await maxDistance(e[m], xs[i], nbrs[i], d, (j) => deriveSeed(base, j)));
          result.crn[m].push(await maxDistance(e[m], xs[i], nbrs[i], d, () => deriveSeed(base, 1000)));
          v[m].push(await variancePerSample(e[m], xs[i], n, deriveSeed(base, 2000)));
        }
      }
      for (const protocol of ["indep", "crn"] as const) {
        const r = result[protocol];
        const dc = pairedDifference(r.cl, r.sg), d0 = pairedDifference(r.cl0, r.sg);
        const vs = protocol === "indep" ? `${fmt(mean(v.sg))}  ${fmt(mean(v.cl))}  ${fmt(mean(v.cl0))}` : "";
        console.log(
          `${String(n).padStart(4)} | ${protocol.padEnd(8)} | ${fmt(mean(r.sg))}  ${fmt(mean(r.cl))}  ${fmt(mean(r.cl0))} | ${fmt(dc.mean)} ± ${fmt(dc.standardError)} ${(dc.mean / dc.standardError).toFixed(1).padStart(5)} | ${fmt(d0.mean)} ± ${fmt(d0.standardError)} ${(d0.mean / d0.standardError).toFixed(1).padStart(5)} | ${vs}`,
        );
        rows.push({ sigma2, n, protocol, sg: mean(r.sg), cl: mean(r.cl), cl0: mean(r.cl0), clMinusSg: dc, cl0MinusSg: d0, map: mean(map), v: { sg: mean(v.sg), cl: mean(v.cl), cl0: mean(v.cl0) } });
      }
    }
  }
  const used = process.cpuUsage(before);
  console.log(`\n${((used.user + used.system) / 1e6).toFixed(1)} CPU-s`);
  if (process.env.JSON) await writeFile(process.env.JSON, JSON.stringify(rows, null, 1));
}

await main();
