import { monteCarloNoise } from "@smoothhess/metrics";
import { networkOracle, type GradientOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import { rowVector } from "../../explained-points.js";
import type { PmseMethod } from "../../paper-numbers/paper-layout.js";
import { ACTIVATIONS, SEED_TAG, type SurrogateName } from "./config.js";
import { balls, explainedFunction, sumOfSquares } from "./explained.js";
import type { PmseTargetResults, PmseTestPoint } from "./results.js";
import type { TargetRun } from "./target-run.js";

/**
 * One test point (App. E.1): SmoothHess / SmoothGrad at the chosen σ, the surrogates at the chosen β, the exact
 * vanilla gradient, all scored on the same balls of every sampling law, with the Monte-Carlo noise floor of SH+SG
 * and SG. `j` is the point's position among the test points (it fixes the seeds).
 */
export async function testPoint(run: TargetRun, row: number, j: number, selection: PmseTargetResults["selection"]): Promise<PmseTestPoint> {
  const { config, task, neuron, engine, target, ds, tg, d, sigmas } = run;
  const fn = explainedFunction(task, neuron, target, rowVector(task.splits.test.x, row, d));
  const oracle: GradientOracle = await engine.oracle(fn.surrogateTarget);

  // SmoothHess / SmoothGrad at every σ some radius chose; the seed depends on σ's place among all candidates only.
  const smooth = new Map<number, { gradient: Float64Array; hessian?: Float64Array; gradientError: number; hessianError: number }>();
  const needHessian = new Set(selection["SH+SG"].map((s) => s.chosen));
  for (const sigma of new Set([...selection["SH+SG"], ...selection.SG].map((s) => s.chosen))) {
    const s = sigmas.findIndex((x) => x === sigma);
    const options = { covariance: { sigma }, samples: config.samples, seed: deriveSeed(config.seed, SEED_TAG.testSmoothHess, ds, tg, j, s) };
    if (needHessian.has(sigma)) {
      const estimate = await smoothHess(oracle, fn.x0, { ...options, kernel: engine.kernel });
      smooth.set(sigma, {
        gradient: estimate.gradient,
        hessian: estimate.hessian,
        gradientError: sumOfSquares(estimate.standardError.gradient),
        hessianError: estimate.standardError.hessianFrobenius ** 2,
      });
    } else {
      const estimate = await smoothGrad(oracle, fn.x0, options);
      smooth.set(sigma, { gradient: estimate.gradient, gradientError: sumOfSquares(estimate.standardError.gradient), hessianError: 0 });
    }
  }
  // Surrogates at every β some radius chose: a Hessian where H+G needs it, else the gradient alone.
  const surrogate: Record<SurrogateName, Map<number, { gradient: Float64Array; hessian?: Float64Array }>> = { softplus: new Map(), swish: new Map() };
  for (const name of ACTIVATIONS) {
    const [hgMethod, gMethod] = name === "softplus" ? (["SP (H+G)", "SP G"] as const) : (["SW (H+G)", "SW G"] as const);
    const hessianBetas = new Set(selection[hgMethod].map((s) => s.chosen));
    for (const beta of new Set([...selection[hgMethod], ...selection[gMethod]].map((s) => s.chosen))) {
      if (hessianBetas.has(beta)) {
        surrogate[name].set(beta, await engine.surrogateHessian({ name, beta }, fn.x0, fn.surrogateTarget));
      } else {
        surrogate[name].set(beta, { gradient: await engine.surrogateGradient({ name, beta }, fn.x0, fn.surrogateTarget) });
      }
    }
  }
  // The vanilla gradient, exact in float64.
  const vanilla = Float64Array.from(networkOracle(task.reference, fn.surrogateTarget as { output: number }).evaluate(fn.x0, 1).gradients);

  const pmse: Record<string, Record<PmseMethod, number[]>> = {};
  const noise: Record<string, { "SH+SG": number[]; SG: number[] }> = {};
  let value = Number.NaN;
  for (const sampling of config.samplings) {
    const ballsHere = await balls(config, engine, fn, config.testBallSamples, (e) => deriveSeed(config.seed, SEED_TAG.testBall, ds, tg, j, e), sampling);
    value = ballsHere.value;
    // Every method's model at every radius, scored on every ball in one call (a Hessian shared by several radii
    // is one kernel call); model m at radius e reads ball e.
    const methods = ["SH+SG", "SG", "SP (H+G)", "SP G", "SW (H+G)", "SW G", "G"] as const;
    const entryOf = (method: (typeof methods)[number], e: number): { gradient: Float64Array; hessian?: Float64Array } => {
      switch (method) {
        case "SH+SG":
          return smooth.get(selection["SH+SG"][e].chosen)!;
        case "SG":
          return { gradient: smooth.get(selection.SG[e].chosen)!.gradient };
        case "SP (H+G)":
          return surrogate.softplus.get(selection["SP (H+G)"][e].chosen)!;
        case "SP G":
          return { gradient: surrogate.softplus.get(selection["SP G"][e].chosen)!.gradient };
        case "SW (H+G)":
          return surrogate.swish.get(selection["SW (H+G)"][e].chosen)!;
        case "SW G":
          return { gradient: surrogate.swish.get(selection["SW G"][e].chosen)!.gradient };
        case "G":
          return { gradient: vanilla };
      }
    };
    const models = methods.flatMap((method) => config.radii.map((_, e) => entryOf(method, e)));
    let scored: Awaited<ReturnType<typeof ballsHere.scoreMany>>;
    try {
      scored = await ballsHere.scoreMany(models.map(({ gradient, hessian }) => (hessian ? { gradient, hessian } : { gradient })));
    } finally {
      await ballsHere.dispose();
    }
    const scores = Object.fromEntries(
      methods.map((method, m) => [method, config.radii.map((_, e) => scored[m * config.radii.length + e][e].mean)]),
    ) as Record<PmseMethod, number[]>;
    pmse[sampling] = scores;
    noise[sampling] = {
      "SH+SG": config.radii.map((radius) => monteCarloNoise(smooth.get(selection["SH+SG"][config.radii.indexOf(radius)].chosen)!, radius, d, sampling, true)),
      SG: config.radii.map((radius) => monteCarloNoise(smooth.get(selection.SG[config.radii.indexOf(radius)].chosen)!, radius, d, sampling, false)),
    };
  }
  return { row, predictedClass: fn.predicted, value, pmse, noise };
}
