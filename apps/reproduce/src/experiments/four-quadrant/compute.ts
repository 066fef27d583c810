import { fourQuadrant } from "@smoothhess/datasets";
import { TOY_MLP_SIZES, fourQuadrantRecipe, useBackend, type BackendName } from "@smoothhess/tfjs";
import { loadAuthorsModel, type AuthorsModel } from "../../authors-model.js";
import type { ExperimentContext } from "../../experiment.js";
import { toyMlpSweeps } from "../shared/toy-mlp-sweeps.js";
import { QUADRANT_AVERAGE, type FourQuadrantConfig } from "./config.js";

/** One point inside each quadrant 1–4, where the network's K is read off. */
const QUADRANT_PROBES = [[1, 1], [-1, 1], [-1, -1], [1, -1]] as const;

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
  /** The network: layer widths, and with `--model authors` the checkpoint. */
  readonly network: {
    readonly architecture: string;
    readonly checkpoint?: { readonly file: string; readonly sha256: string; readonly sourceCheckpoint: string };
    /**
     * f(x)/(x₁x₂) at (1, 1), (−1, 1), (−1, −1), (1, −1): the K the network learnt in quadrants 1–4 (the data's
     * are 5, 3, 12, −10). The authors' checkpoint gives 5, −10, 12, 3: their data swaps quadrants 2 and 4.
     */
    readonly quadrantCoefficients: readonly number[];
  };
  /** MSE on the Four Quadrant data (the training data for our model). */
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

/** Train the toy MLP on Four Quadrant (or load the authors' checkpoint), sweep SmoothHess over σ² and SoftPlus over β at x₀ = 0, and summarise. */
export async function computeFourQuadrant(context: ExperimentContext, config: FourQuadrantConfig): Promise<FourQuadrantResults> {
  const data = fourQuadrant();
  const recipe = fourQuadrantRecipe(data.n);
  await useBackend(config.backend as BackendName);
  const authors = config.model === "authors" ? await loadAuthorsModel("four-quadrant") : undefined;
  if (authors) await context.checkpoints.bind("model-authors-four-quadrant", authors.sha256);
  try {
    return await sweepAndSummarise(context, config, data, recipe, authors);
  } finally {
    authors?.network.dispose();
  }
}

async function sweepAndSummarise(
  context: ExperimentContext,
  config: FourQuadrantConfig,
  data: ReturnType<typeof fourQuadrant>,
  recipe: ReturnType<typeof fourQuadrantRecipe>,
  authors: AuthorsModel | undefined,
): Promise<FourQuadrantResults> {
  const sweeps = await toyMlpSweeps(context, {
    label: "four-quadrant",
    seed: config.seed,
    backend: config.backend,
    engine: config.engine,
    probes: QUADRANT_PROBES,
    ...(authors ? { pretrained: { network: authors.network, onnx: authors.onnx, label: `the authors' checkpoint ${authors.file}` } } : {}),
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
    network: {
      architecture: authors ? authors.architecture : TOY_MLP_SIZES.join("-"),
      ...(authors ? { checkpoint: { file: authors.file, sha256: authors.sha256, sourceCheckpoint: authors.sourceCheckpoint } } : {}),
      quadrantCoefficients: sweeps.probeValues.map((v, i) => v / (QUADRANT_PROBES[i][0] * QUADRANT_PROBES[i][1])),
    },
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
