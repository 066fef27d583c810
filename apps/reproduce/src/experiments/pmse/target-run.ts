import type { PenultimateNeuron } from "@smoothhess/metrics/tfjs";
import type { Engine } from "../../engine.js";
import type { ExperimentContext } from "../../experiment.js";
import type { ImageTask } from "../../image-classifier-task.js";
import type { PmseTarget } from "../../paper-numbers/paper-layout.js";
import { DATASET_KEYS, TARGET_KEYS, type PmseConfig } from "./config.js";
import { sigmaCandidates } from "./explained.js";

/** Everything the validation and test steps of one dataset and target share. */
export interface TargetRun {
  readonly context: ExperimentContext;
  readonly config: PmseConfig;
  readonly task: ImageTask;
  readonly neuron: PenultimateNeuron;
  /** Oracles, kernel and surrogates of the network on the run's engine. */
  readonly engine: Engine;
  readonly target: PmseTarget;
  /** Positions of the dataset and target in the seed derivation. */
  readonly ds: number;
  readonly tg: number;
  /** Input dimension. */
  readonly d: number;
  /** `<dataset>-<target>`, the prefix of checkpoint keys and progress labels. */
  readonly prefix: string;
  /** The distinct σ candidates of all radii, and each radius's candidates as positions among them. */
  readonly sigmas: readonly number[];
  readonly sigmaIndex: readonly (readonly number[])[];
}

/** The shared state of one dataset and target. */
export function targetRun(
  context: ExperimentContext,
  config: PmseConfig,
  task: ImageTask,
  neuron: PenultimateNeuron,
  engine: Engine,
  target: PmseTarget,
): TargetRun {
  const dataset = task.config.dataset;
  const d = task.network.inputSize;
  const { sigmas, index: sigmaIndex } = sigmaCandidates(config.radii, d);
  return {
    context,
    config,
    task,
    neuron,
    engine,
    target,
    ds: DATASET_KEYS.indexOf(dataset),
    tg: TARGET_KEYS.indexOf(target),
    d,
    prefix: `${dataset}-${target}`,
    sigmas,
    sigmaIndex,
  };
}
