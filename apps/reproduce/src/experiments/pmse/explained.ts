import { perturbationBalls, threeSigmaRule, type BallSampling, type PerturbationBalls } from "@smoothhess/metrics";
import type { PenultimateNeuron } from "@smoothhess/metrics/tfjs";
import { predictedClasses } from "@smoothhess/tfjs";
import type { Engine } from "../../engine.js";
import type { ImageTask } from "../../image-classifier-task.js";
import type { PmseTarget } from "../../paper-numbers/paper-layout.js";
import type { PmseConfig } from "./config.js";

/** The explained function at one point: the predicted class, and the target in each package's vocabulary. */
export interface ExplainedFunction {
  readonly x0: Float64Array;
  readonly predicted: number;
  /** The explained scalar: the predicted logit or the internal neuron's pre-activation. */
  readonly surrogateTarget: { readonly output: number } | { readonly layer: number; readonly unit: number };
}

export function explainedFunction(task: ImageTask, neuron: PenultimateNeuron, target: PmseTarget, x0: Float64Array): ExplainedFunction {
  const predicted = predictedClasses(task.network, x0, 1)[0];
  const surrogateTarget: ExplainedFunction["surrogateTarget"] = target === "logit" ? { output: predicted } : { layer: neuron.layer, unit: neuron.unit };
  return { x0, predicted, surrogateTarget };
}

/** The distinct σ of the three-σ rule over all radii, and where each radius's candidates sit among them. */
export function sigmaCandidates(radii: readonly number[], d: number): { sigmas: number[]; index: number[][] } {
  const sigmas: number[] = [];
  const index = radii.map((radius) =>
    threeSigmaRule(radius, d).map((sigma) => {
      let at = sigmas.findIndex((s) => Math.abs(s - sigma) <= 1e-12 * sigma);
      if (at < 0) at = sigmas.push(sigma) - 1;
      return at;
    }),
  );
  return { sigmas, index };
}

/**
 * The P_MSE balls of one point, one per radius, with f evaluated at their points on the engine; models are scored
 * with the engine's quadratic-form kernel (`scoreMany(models)[m][e]` is model m on radius e). Dispose when done.
 */
export async function balls(
  config: PmseConfig,
  engine: Engine,
  fn: ExplainedFunction,
  samples: number,
  seedOf: (radiusIndex: number) => number,
  sampling: BallSampling,
): Promise<PerturbationBalls> {
  const valueOracle = await engine.valueOracle(fn.surrogateTarget);
  return perturbationBalls(valueOracle, fn.x0, {
    balls: config.radii.map((radius, e) => ({ radius, seed: seedOf(e) })),
    samples,
    sampling,
    kernel: engine.quadraticFormKernel,
  });
}

/** Σ vᵢ², the squared norm of a standard-error vector. */
export function sumOfSquares(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return s;
}
