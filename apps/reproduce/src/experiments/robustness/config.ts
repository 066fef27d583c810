import { PERTURBATION_MSE_RADII } from "@smoothhess/metrics";
import type { RunOptions } from "../../experiment.js";
import { imageTaskConfig, type ImageTaskConfig } from "../../image-classifier-task.js";

/** Everything that determines the numbers of the robustness experiment. */
export interface RobustnessConfig {
  readonly [key: string]: unknown;
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  /** The classifiers (shared with `pmse` and `attack`: same cache key, same model). */
  readonly tasks: readonly ImageTaskConfig[];
  /** Explained test points per dataset: the first correctly classified ones. */
  readonly points: number;
  /** Gradient samples of SmoothGrad and SmoothHess (antithetic pairs). */
  readonly samples: number;
  /** Smoothing variances σ² (Σ = σ²I). */
  readonly sigma2: readonly number[];
  /** Neighbourhood radii ε: neighbours uniform in the L2 ball of radius ε (the paper's P_MSE radii). */
  readonly radii: readonly number[];
  readonly neighbours: number;
  /** Size of the top-k sets: features for saliency / SmoothGrad, feature pairs for SmoothHess. */
  readonly topK: number;
}

/** The configuration of a preset; `--points` and `--samples` override. */
export function configureRobustness(options: RunOptions): RobustnessConfig {
  const quick = options.preset === "quick";
  return {
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    tasks: (["mnist", "fmnist"] as const).map((dataset) => imageTaskConfig(dataset, options.preset, options.seed, options.backend)),
    points: options.points ?? (quick ? 1 : 10),
    samples: options.samples ?? (quick ? 400 : 10_000),
    sigma2: quick ? [0.01, 0.1] : [0.005, 0.01, 0.05, 0.1, 0.5],
    radii: quick ? [0.25, 1] : [...PERTURBATION_MSE_RADII],
    neighbours: quick ? 3 : 10,
    topK: 20,
  };
}
