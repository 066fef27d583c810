import { ATTACK_ENERGY_THRESHOLDS, ATTACK_RADII, BETA_GRIDS, VARIANCE_GRIDS } from "@smoothhess/metrics";
import type { NormalDraws } from "@smoothhess/stein";
import { DEFAULT_ENGINE } from "../../engine.js";
import type { RunOptions } from "../../experiment.js";
import { type ImageTaskDataset } from "../../image-classifier-task.js";
import { imageExperimentConfig, type ImageExperimentConfig } from "../shared/image-experiment-config.js";

/** Fixed positions of the datasets in the seed derivation, and the tags of the seeds. */
export const DATASET_KEYS: readonly ImageTaskDataset[] = ["mnist", "fmnist"];
export const SEED_TAG = { validationRows: 41, testRows: 42, validationSmoothHess: 51, testSmoothHess: 52, random: 61 };

/** How attack's SmoothHess / SmoothGrad draw their perturbations ({@link AttackConfig.normals}). */
export const ATTACK_NORMALS: NormalDraws = "ziggurat";

/** The second-order methods, whose attacks are also solved exactly (extra rows beside the paper's reduced variant). */
export const SECOND_ORDER_METHODS = ["SH+SG", "SP (H+G)", "H+G"] as const;
export type SecondOrderMethod = (typeof SECOND_ORDER_METHODS)[number];

/** Everything that determines the numbers of an `attack` run. */
export interface AttackConfig extends ImageExperimentConfig {
  /** Attack magnitudes ε (Table 2: 0.25, 0.5, 0.75, 1.25, 1.75). */
  readonly radii: readonly number[];
  /** Validation points that choose σ² and β (App. E.2.2: 200). */
  readonly validationPoints: number;
  /** Attacked test points (App. E.1: 400). */
  readonly testPoints: number;
  /** Gradient samples per SmoothHess / SmoothGrad estimate. */
  readonly samples: number;
  /**
   * How SmoothHess / SmoothGrad draw their Gaussian perturbations (`normals` of `@smoothhess/stein`). The ziggurat:
   * as exactly Gaussian as Box–Muller and its draws cheaper (the README's attack section says by how much). pmse keeps
   * Box–Muller: the method is part of the configuration's fingerprint, and pmse's published checkpoints were drawn
   * with Box–Muller.
   */
  readonly normals: NormalDraws;
  /** σ² grid (App. E.2.2). */
  readonly variances: readonly number[];
  /** β grid (App. E.2.2). */
  readonly betas: readonly number[];
  /** Energy threshold T of the reduced second-order attack (App. D.1, E.1: 0.98). */
  readonly energy: number;
}

/** The attack configuration of a preset, with `--points` and `--samples` overrides. */
export function configureAttack(options: RunOptions): AttackConfig {
  const { head, quick, samples } = imageExperimentConfig("attack", "attacks", options, options.engine ?? DEFAULT_ENGINE);
  return {
    ...head,
    radii: [...ATTACK_RADII.mnist],
    // --points sets the test points and caps the validation points.
    validationPoints: Math.min(quick ? 2 : 200, options.points ?? Number.POSITIVE_INFINITY),
    testPoints: options.points ?? (quick ? 8 : 400),
    samples,
    normals: ATTACK_NORMALS,
    variances: quick ? [0.01, 0.1] : [...VARIANCE_GRIDS.attack.mnist],
    betas: quick ? [5, 20] : [...BETA_GRIDS.attack.mnist],
    energy: ATTACK_ENERGY_THRESHOLDS.mnist,
  };
}
