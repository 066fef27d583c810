import { firstOrderAttack, randomAttack, type HessianInput } from "@smoothhess/metrics";
import { networkOracle } from "@smoothhess/oracle";
import { deriveSeed } from "@smoothhess/random";
import { smoothGrad, smoothHess } from "@smoothhess/stein";
import { referenceSurrogates, softmaxHessian } from "@smoothhess/surrogates";
import { classesAndProbability, predictedClasses } from "@smoothhess/tfjs";
import { rowVector } from "../../explained-points.js";
import type { AttackMethod } from "../../paper-numbers/paper-layout.js";
import { SECOND_ORDER_METHODS, SEED_TAG, type SecondOrderMethod } from "./config.js";
import type { DatasetRun } from "./dataset-run.js";
import { outcomes, secondOrderPoints } from "./outcomes.js";
import type { AttackDatasetResults, AttackOutcome, AttackTestPoint } from "./results.js";

/**
 * One attacked test point (App. E.1): every method at its chosen σ² / β and every radius, the second-order attacks
 * both reduced and exact. `j` is the point's position among the test points (it fixes the random attack's seeds).
 */
export async function testPoint(run: DatasetRun, selection: AttackDatasetResults["selection"], j: number, row: number): Promise<AttackTestPoint> {
  const { config, task, ds, engine } = run;
  const d = task.network.inputSize;
  const x0 = rowVector(task.splits.test.x, row, d);
  const k = predictedClasses(task.network, x0, 1)[0];
  const oracle = await engine.oracle({ softmax: k });
  const byRadius = <T>(choose: (e: number) => T): T[] => config.radii.map((_, e) => choose(e));
  const reduced: Record<string, Float64Array[]> = {};
  const exact: Record<string, Float64Array[]> = {};
  const ranks: Record<string, number[]> = {};
  // Every radius that chose the same σ² / β shares one Hessian: attack at all of them in one call.
  const attackWith = (method: SecondOrderMethod, radiusIndices: readonly number[], gradient: ArrayLike<number>, hessian: HessianInput) => {
    const radii = { ...config, radii: radiusIndices.map((e) => config.radii[e]) };
    const r = secondOrderPoints(x0, gradient, hessian, radii, "reduced");
    const x = secondOrderPoints(x0, gradient, hessian, radii, "exact");
    radiusIndices.forEach((e, i) => {
      (reduced[method] ??= [])[e] = r.points[i];
      (ranks[method] ??= [])[e] = r.ranks[i];
      (exact[method] ??= [])[e] = x.points[i];
    });
  };
  const radiiChoosing = (choices: readonly { chosen: number }[], value: number) => choices.flatMap((s, e) => (s.chosen === value ? [e] : []));

  // SH+SG and SG at their chosen σ² per radius; one SmoothHess (and one eigendecomposition) per distinct σ².
  const variances = [...new Set([...selection["SH+SG"], ...selection.SG].map((s) => s.chosen))];
  const smooth = new Map<number, { gradient: Float64Array; hessian?: Float64Array }>();
  for (const variance of variances) {
    const options = { covariance: { variance }, samples: config.samples, normals: config.normals, seed: deriveSeed(config.seed, SEED_TAG.testSmoothHess, ds, j, config.variances.indexOf(variance)) };
    if (selection["SH+SG"].some((s) => s.chosen === variance)) {
      const estimate = await smoothHess(oracle, x0, { ...options, kernel: engine.kernel });
      smooth.set(variance, { gradient: estimate.gradient, hessian: estimate.hessian });
    } else {
      smooth.set(variance, { gradient: (await smoothGrad(oracle, x0, options)).gradient });
    }
  }
  for (const variance of new Set(selection["SH+SG"].map((s) => s.chosen))) {
    const s = smooth.get(variance)!;
    attackWith("SH+SG", radiiChoosing(selection["SH+SG"], variance), s.gradient, s.hessian!);
  }
  // SoftPlus at the chosen β per radius.
  const softplus = new Map<number, { gradient: Float64Array; hessian?: Float64Array }>();
  for (const beta of new Set([...selection["SP (H+G)"], ...selection["SP G"]].map((s) => s.chosen))) {
    if (selection["SP (H+G)"].some((s) => s.chosen === beta)) {
      const { gradient, hessian } = await engine.surrogateHessian({ name: "softplus", beta }, x0, { softmax: k });
      softplus.set(beta, { gradient, hessian });
    } else {
      softplus.set(beta, { gradient: await engine.surrogateGradient({ name: "softplus", beta }, x0, { softmax: k }) });
    }
  }
  for (const beta of new Set(selection["SP (H+G)"].map((s) => s.chosen))) {
    const s = softplus.get(beta)!;
    attackWith("SP (H+G)", radiiChoosing(selection["SP (H+G)"], beta), s.gradient, s.hessian!);
  }
  // The vanilla SoftMax Hessian (factored, exact in float64) and gradient of the ReLU network.
  const vanilla = softmaxHessian(referenceSurrogates(task.reference).original, x0, k);
  attackWith("H+G", byRadius((e) => e), vanilla.gradient, vanilla.hessian);
  const gradient = Float64Array.from(networkOracle(task.reference, { softmax: k }).evaluate(x0, 1).gradients);

  const attacked: Record<string, Float64Array[]> = {
    "SH+SG": reduced["SH+SG"],
    SG: byRadius((e) => firstOrderAttack({ x0, gradient: smooth.get(selection.SG[e].chosen)!.gradient, radius: config.radii[e] }).point),
    "SP (H+G)": reduced["SP (H+G)"],
    "SP G": byRadius((e) => firstOrderAttack({ x0, gradient: softplus.get(selection["SP G"][e].chosen)!.gradient, radius: config.radii[e] }).point),
    "H+G": reduced["H+G"],
    G: byRadius((e) => firstOrderAttack({ x0, gradient, radius: config.radii[e] }).point),
    Random: byRadius((e) => randomAttack({ x0, radius: config.radii[e], seed: deriveSeed(config.seed, SEED_TAG.random, ds, j, e) }).point),
  } satisfies Record<AttackMethod, Float64Array[]>;
  for (const method of SECOND_ORDER_METHODS) attacked[`${method} (exact)`] = exact[method];
  const result: Record<string, AttackOutcome> = {};
  for (const [method, pointsHere] of Object.entries(attacked)) result[method] = await outcomes(task.network, x0, k, pointsHere);
  const probability = classesAndProbability(task.network, x0, 1, k).probability[0];
  return { row, predictedClass: k, probability, outcomes: result, ranks: ranks as Record<SecondOrderMethod, number[]> };
}
