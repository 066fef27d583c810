import { fourQuadrantRecipe } from "@smoothhess/tfjs";
import { DEFAULT_ENGINE, type EngineName } from "../../engine.js";
import type { RunOptions } from "../../experiment.js";
import type { ModelSource } from "../../model-source.js";
import { logGrid } from "../../log-grid.js";

/** The off-diagonal interaction the network memorised, averaged over the four quadrants: (5 + 3 + 12 − 10)/4. */
export const QUADRANT_AVERAGE = 2.5;

/** Everything that determines the numbers of the Four Quadrant experiment. */
export interface FourQuadrantConfig {
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  /** The engine of SmoothHess and the SoftPlus Hessians: onnx, or tfjs (today's float64 reference path). */
  readonly engine: EngineName;
  /** This app's trained toy MLP, or the authors' checkpoint (then `epochs` is 0: nothing is trained). */
  readonly model: ModelSource;
  /** Training epochs (the recipe's with `--full`, a few with `--quick`). */
  readonly epochs: number;
  /** σ² grid of SmoothHess (Σ = σ²I), increasing. */
  readonly sigma2: readonly number[];
  /** Gradient samples per σ². */
  readonly samples: number;
  /** β grid of the SoftPlus surrogate. */
  readonly betas: readonly number[];
}

/** The Four Quadrant configuration of a preset, with `--points` (σ² grid size) and `--samples` overrides. */
export function configureFourQuadrant(options: RunOptions): FourQuadrantConfig {
  const quick = options.preset === "quick";
  const recipeEpochs = fourQuadrantRecipe(501 * 501).epochs;
  return {
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    engine: options.engine ?? DEFAULT_ENGINE,
    model: options.model ?? "ours",
    epochs: options.model === "authors" ? 0 : quick ? 4 : recipeEpochs,
    sigma2: logGrid(1e-3, 1, options.points ?? (quick ? 16 : 61)),
    samples: options.samples ?? (quick ? 20_000 : 100_000),
    betas: logGrid(0.1, 1e4, quick ? 21 : 101),
  };
}
