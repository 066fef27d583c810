import { nestedInteractions } from "@smoothhess/datasets";
import type { ExperimentContext } from "../../experiment.js";
import { nestedInteractionsRecipe } from "../../nested-interactions-recipe.js";
import { toyMlpSweeps } from "../shared/toy-mlp-sweeps.js";
import type { NestedConfig } from "./config.js";
import type { SmoothHessRow, SoftplusRow } from "./results.js";
import { summariseNested, type NestedSummary } from "./summary.js";

/** Every number of a Nested Interactions run (results.json). */
export interface NestedResults {
  readonly trainingMse: number;
  readonly trainingSteps: number;
  readonly smoothHess: readonly SmoothHessRow[];
  readonly softplus: readonly SoftplusRow[];
  readonly summary: NestedSummary;
}

/** Train the toy MLP on Nested Interactions, sweep SmoothHess over σ² and SoftPlus over β at x₀ = 0, and compare. */
export async function computeNested(context: ExperimentContext, config: NestedConfig): Promise<NestedResults> {
  const data = nestedInteractions({ spacing: config.gridSpacing });
  const recipe = nestedInteractionsRecipe(data.n, config.iterations);
  const sweeps = await toyMlpSweeps(context, {
    label: "nested",
    seed: config.seed,
    backend: config.backend,
    description: { model: "paperToyMlp", data: "nested-interactions", gridSpacing: config.gridSpacing, recipe, seed: config.seed, backend: config.backend },
    data: { x: data.x, y: data.y as Float32Array, n: data.n },
    training: { ...recipe, loss: "mse", seed: config.seed },
    sigma2: config.sigma2,
    samples: config.samples,
    betas: config.betas,
    smoothHessRow: (sigma2, result): SmoothHessRow => {
      const se = result.standardError.hessian!;
      return {
        sigma2,
        h11: result.hessian[0],
        h12: result.hessian[1],
        h22: result.hessian[3],
        h11StandardError: se[0],
        h12StandardError: se[1],
        h22StandardError: se[3],
      };
    },
    softplusRow: (beta, hessians): SoftplusRow => ({ beta, h11: hessians[0], h12: hessians[1], h22: hessians[3] }),
  });
  const summary = summariseNested(sweeps.smoothHess, sweeps.softplus);
  return { trainingMse: sweeps.trainingMse, trainingSteps: sweeps.trainingSteps, smoothHess: sweeps.smoothHess, softplus: sweeps.softplus, summary };
}
