import type { ImageTask, ImageTaskDataset } from "../../image-classifier-task.js";
import type { PmseMethod, PmseTarget } from "../../paper-numbers/paper-layout.js";
import type { PenultimateNeuron } from "@smoothhess/metrics/tfjs";

/** P_MSE scores of every candidate at one validation point: `[radius][candidate]`. */
export type CandidateScores = number[][];

export interface SmoothHessValidation {
  readonly shsg: CandidateScores;
  readonly sg: CandidateScores;
}

export interface SurrogateValidation {
  readonly hg: CandidateScores;
  readonly g: CandidateScores;
}

/** What one test point yields. */
export interface PmseTestPoint {
  readonly row: number;
  /** The predicted class (the logit explained; for the neuron target only informative). */
  readonly predictedClass: number;
  /** f(x₀), the anchor of every Taylor model. */
  readonly value: number;
  /** P_MSE by sampling law, method and radius. */
  readonly pmse: Readonly<Record<string, Readonly<Record<PmseMethod, readonly number[]>>>>;
  /**
   * The P_MSE that the Monte-Carlo error of SH+SG and SG adds by itself, by sampling law and radius (see
   * `monteCarloNoise` of `@smoothhess/metrics`): how much of their P_MSE is sampling noise rather than model misfit.
   */
  readonly noise: Readonly<Record<string, Readonly<Record<"SH+SG" | "SG", readonly number[]>>>>;
}

/** One hyperparameter choice (App. E.2.1) with its validation curve. */
export interface PmseSelection {
  readonly radius: number;
  /** σ (standard deviation) for SH+SG and SG, β for the surrogates. */
  readonly chosen: number;
  readonly candidates: readonly number[];
  readonly curve: readonly { readonly value: number; readonly mean: number; readonly standardError: number }[];
}

/** Results of one dataset and target. */
export interface PmseTargetResults {
  readonly target: PmseTarget;
  readonly validationRows: readonly number[];
  readonly testRows: readonly number[];
  readonly selection: Readonly<Record<Exclude<PmseMethod, "G">, readonly PmseSelection[]>>;
  /** Mean and standard deviation over test points, by sampling law, method and radius. */
  readonly summary: Readonly<Record<string, Readonly<Record<PmseMethod, { readonly mean: readonly number[]; readonly std: readonly number[] }>>>>;
  /** Mean over test points of {@link PmseTestPoint.noise}, by sampling law, method and radius. */
  readonly noise: Readonly<Record<string, Readonly<Record<"SH+SG" | "SG", readonly number[]>>>>;
  readonly points: readonly PmseTestPoint[];
}

/** Results of one dataset. */
export interface PmseDatasetResults {
  readonly dataset: ImageTaskDataset;
  readonly model: ImageTask["summary"];
  readonly neuron: PenultimateNeuron & { readonly className: string };
  readonly targets: readonly PmseTargetResults[];
}
