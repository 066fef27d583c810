import type { ImageTask, ImageTaskDataset } from "../../image-classifier-task.js";
import type { SecondOrderMethod } from "./config.js";

/** Per-radius outcome of the attacks of one method at one point. */
export interface AttackOutcome {
  /** 1 where the predicted class survived, per radius. */
  readonly unchanged: readonly number[];
  /** SoftMax probability of the originally predicted class at the attacked point, per radius (tie-breaker). */
  readonly probability: readonly number[];
}

/** One attacked test point. */
export interface AttackTestPoint {
  readonly row: number;
  readonly predictedClass: number;
  readonly probability: number;
  /** Outcomes by method (the paper's rows, plus "<method> (exact)" for the exactly solved second-order attacks). */
  readonly outcomes: Readonly<Record<string, AttackOutcome>>;
  /** Eigenpairs the reduced attack kept (k(T) of Eq. 71), by second-order method and radius. */
  readonly ranks: Readonly<Record<SecondOrderMethod, readonly number[]>>;
}

/** One choice of σ² or β with its validation curve (post-hoc accuracy per candidate). */
export interface AttackSelection {
  readonly radius: number;
  readonly chosen: number;
  readonly curve: readonly { readonly value: number; readonly accuracy: number; readonly meanProbability: number }[];
}

/** Results of one dataset. */
export interface AttackDatasetResults {
  readonly dataset: ImageTaskDataset;
  readonly model: ImageTask["summary"];
  readonly validationRows: readonly number[];
  readonly testRows: readonly number[];
  readonly selection: Readonly<Record<"SH+SG" | "SG" | "SP (H+G)" | "SP G", readonly AttackSelection[]>>;
  /** Post-hoc accuracy (fraction) by method and radius, with its binomial standard error. */
  readonly accuracy: Readonly<Record<string, { readonly value: readonly number[]; readonly standardError: readonly number[] }>>;
  readonly points: readonly AttackTestPoint[];
}
