import { BETA_GRIDS, BETAS_REPORTED_OUTSIDE_GRIDS, PERTURBATION_MSE_RADII, gridUnion, type BallSampling } from "@smoothhess/metrics";
import { DEFAULT_ENGINE } from "../../engine.js";
import type { RunOptions } from "../../experiment.js";
import { type ImageTaskDataset } from "../../image-classifier-task.js";
import type { PmseTarget } from "../../paper-numbers/paper-layout.js";
import { imageExperimentConfig, type ImageExperimentConfig } from "../shared/image-experiment-config.js";

/** The surrogate activations of the P_MSE tables (SoftPlus: Table 1; Swish: Table 5). */
export const ACTIVATIONS = ["softplus", "swish"] as const;
export type SurrogateName = (typeof ACTIVATIONS)[number];

/** Fixed positions of datasets and targets in the seed derivation (stable whatever subset a run uses). */
export const DATASET_KEYS: readonly ImageTaskDataset[] = ["mnist", "fmnist"];
export const TARGET_KEYS: readonly PmseTarget[] = ["logit", "neuron"];
export const SEED_TAG = { validationRows: 11, testRows: 12, validationBall: 21, testBall: 22, validationSmoothHess: 31, testSmoothHess: 32 };

/** The class whose examples pick the internal neuron (Table 1 caption): "three" for MNIST, "dress" for FMNIST. */
export const NEURON_CLASS: Readonly<Record<ImageTaskDataset, string>> = { mnist: "3", fmnist: "Dress" };

/** Everything that determines the numbers of a `pmse` run. */
export interface PmseConfig extends ImageExperimentConfig {
  readonly targets: readonly PmseTarget[];
  /** Neighbourhood radii ε (Table 1: 0.25, 0.5, 1.0). */
  readonly radii: readonly number[];
  /** Validation points that choose σ and β (App. E.2.1: 200). */
  readonly validationPoints: number;
  /** Test points whose P_MSE is reported (App. E.1: 200). */
  readonly testPoints: number;
  /** Gradient samples per SmoothHess / SmoothGrad estimate (the authors: 100,000 at d = 784). */
  readonly samples: number;
  /** Monte-Carlo points per ball when validating. */
  readonly validationBallSamples: number;
  /** Monte-Carlo points per ball when testing. */
  readonly testBallSamples: number;
  /** β grid for SoftPlus and Swish (App. E.2.1). */
  readonly betas: readonly number[];
  /** Radial laws of the test balls; the first one also drives validation. */
  readonly samplings: readonly BallSampling[];
}

/** Parse and check the pmse configuration from the CLI options. */
export function configurePmse(options: RunOptions): PmseConfig {
  const { head, quick, samples } = imageExperimentConfig("pmse", "runs pmse on", options, options.engine ?? DEFAULT_ENGINE);
  return {
    ...head,
    targets: ["logit", "neuron"],
    radii: [...PERTURBATION_MSE_RADII],
    // --points sets the test points and caps the validation points (so `--full --points 20` keeps the paper's
    // model, grids and sample sizes on fewer points).
    validationPoints: Math.min(quick ? 2 : 200, options.points ?? Number.POSITIVE_INFINITY),
    testPoints: options.points ?? (quick ? 6 : 200),
    samples,
    validationBallSamples: quick ? 256 : 1000,
    testBallSamples: quick ? 512 : 1000,
    // App. E.2.1's grid (113 values) plus the β Table 3 reports chosen outside it (95, which [20 : 95 : 5] excludes):
    // 114 values. The fingerprint of resumable --full runs covers this list; keep its numbers and order.
    betas: quick
      ? [2, 5, 10, 20, 50, 100, 200, 400]
      : gridUnion(
          BETA_GRIDS.perturbationMSE.mnist,
          BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.mnist,
          BETAS_REPORTED_OUTSIDE_GRIDS.perturbationMSE.fmnist,
        ),
    samplings: ["uniform-ball", "uniform-radius"],
  };
}
