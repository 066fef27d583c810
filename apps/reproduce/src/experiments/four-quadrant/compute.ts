import { fourQuadrant } from "@smoothhess/datasets";
import { fourQuadrantRecipe } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import { toyMlpSweeps } from "../shared/toy-mlp-sweeps.js";
import { QUADRANT_AVERAGE, type FourQuadrantConfig } from "./config.js";

/** One σ² of the SmoothHess sweep. */
export interface SmoothHessRow {
  readonly sigma2: number;
  readonly h12: number;
  readonly h12StandardError: number;
  readonly h11: number;
  readonly h22: number;
}

/** One β of the SoftPlus sweep. */
export interface SoftplusRow {
  readonly beta: number;
  readonly h12: number;
  readonly h11: number;
  readonly h22: number;
}

/** Every number of a Four Quadrant run (results.json). */
export interface FourQuadrantResults {
  readonly trainingMse: number;
  readonly trainingSteps: number;
  readonly smoothHess: readonly SmoothHessRow[];
  readonly softplus: readonly SoftplusRow[];
  readonly summary: {
    /** Range of SmoothHess H₁₂ over σ² ∈ [1e-2, 1]. */
    readonly smoothHessBand: { readonly sigma2From: number; readonly sigma2To: number; readonly min: number; readonly max: number };
    /** Share of those σ² where |H₁₂ − 2.5| ≤ 0.25. */
    readonly smoothHessShareWithinTenPercent: number;
    readonly softplusRange: { readonly min: number; readonly max: number };
    /** Share of the β grid where |H₁₂ − 2.5| ≤ 0.25, and those β. */
    readonly softplusShareWithinTenPercent: number;
    readonly softplusBetasWithinTenPercent: readonly number[];
  };
}

/** Train the toy MLP on Four Quadrant, sweep SmoothHess over σ² and SoftPlus over β at x₀ = 0, and summarise. */
export async function computeFourQuadrant(context: ExperimentContext, config: FourQuadrantConfig): Promise<FourQuadrantResults> {
  const data = fourQuadrant();
  const recipe = fourQuadrantRecipe(data.n);
  const sweeps = await toyMlpSweeps(context, {
    label: "four-quadrant",
    seed: config.seed,
    backend: config.backend,
    description: { model: "paperToyMlp", data: "four-quadrant", recipe, epochs: config.epochs, seed: config.seed, backend: config.backend },
    data: { x: data.x, y: data.y as Float32Array, n: data.n },
    training: { ...recipe, epochs: config.epochs, loss: "mse", seed: config.seed },
    sigma2: config.sigma2,
    samples: config.samples,
    betas: config.betas,
    smoothHessRow: (sigma2, result): SmoothHessRow => ({
      sigma2,
      h12: result.hessian[1],
      h12StandardError: result.standardError.hessian![1],
      h11: result.hessian[0],
      h22: result.hessian[3],
    }),
    softplusRow: (beta, hessians): SoftplusRow => ({ beta, h12: hessians[1], h11: hessians[0], h22: hessians[3] }),
  });
  const smoothHessRows = sweeps.smoothHess;
  const softplusRows = sweeps.softplus;

  const band = smoothHessRows.filter((r) => r.sigma2 >= 1e-2 - 1e-12);
  const bandMin = Math.min(...band.map((r) => r.h12));
  const bandMax = Math.max(...band.map((r) => r.h12));
  const withinTenPercent = (h: number) => Math.abs(h - QUADRANT_AVERAGE) <= 0.25;
  const softplusNear = softplusRows.filter((r) => withinTenPercent(r.h12));
  return {
    trainingMse: sweeps.trainingMse,
    trainingSteps: sweeps.trainingSteps,
    smoothHess: smoothHessRows,
    softplus: softplusRows,
    summary: {
      smoothHessBand: { sigma2From: 1e-2, sigma2To: 1, min: bandMin, max: bandMax },
      smoothHessShareWithinTenPercent: band.filter((r) => withinTenPercent(r.h12)).length / band.length,
      softplusRange: { min: Math.min(...softplusRows.map((r) => r.h12)), max: Math.max(...softplusRows.map((r) => r.h12)) },
      softplusShareWithinTenPercent: softplusNear.length / softplusRows.length,
      softplusBetasWithinTenPercent: softplusNear.map((r) => r.beta),
    },
  };
}
