import type { TfjsSurrogates } from "@smoothhess/surrogates/tfjs";
import type { TfjsOracle } from "@smoothhess/tfjs";
import type { ExperimentContext } from "../../experiment.js";
import type { ImageTask } from "../../image-classifier-task.js";
import type { AttackConfig } from "./config.js";

/** Everything the validation and test steps of one dataset share. */
export interface DatasetRun {
  readonly context: ExperimentContext;
  readonly config: AttackConfig;
  readonly task: ImageTask;
  /** Position of the dataset in the seed derivation. */
  readonly ds: number;
  readonly surrogates: TfjsSurrogates;
  /** The fast tfjs oracle of the SoftMax probability of class `k` (one per class, created on first use). */
  softmaxOracle(k: number): TfjsOracle;
}
