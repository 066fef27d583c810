import type { Engine } from "../../engine.js";
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
  /** Oracles (the SoftMax probability of class k: `{ softmax: k }`), kernel and surrogates on the run's engine. */
  readonly engine: Engine;
}
