import { type SpirometryTruth } from "@smoothhess/datasets";
import type { SpirometryModelSpec } from "./config.js";

/** What the experiment records about one explained curve and one model. */
export interface ExplainedPoint {
  /** Row in the test split and in the generated dataset. */
  readonly testRow: number;
  readonly datasetRow: number;
  readonly kind: CurveKind;
  readonly hasCough: boolean;
  /** Coughs from the generator, with the 0.5 s intervals their samples overlap. */
  readonly coughs: readonly { readonly start: number; readonly duration: number; readonly intervals: readonly number[] }[];
  readonly fev1: number;
  readonly predicted: number;
  /** SmoothGrad summed per interval (30), with batch-means standard errors. */
  readonly smoothGrad: readonly number[];
  readonly smoothGradStandardError: readonly number[];
  /** Interval interactions: block sums of SmoothHess (row-major, intervals × intervals), with standard errors. */
  readonly interactions: readonly number[];
  readonly interactionsStandardError: readonly number[];
  /** The interval J ≥ 1 with the largest |interaction with the first interval|, its value and z-score. */
  readonly strongest: { readonly interval: number; readonly value: number; readonly z: number; readonly atCough: boolean; readonly nextToCough: boolean };
  /** Rank of the first interval's |SmoothGrad| among all intervals (1 = largest). */
  readonly firstIntervalSmoothGradRank: number;
  /** Share of Σ interactions² on interval pairs farther apart than the narrow CNN's receptive field allows. */
  readonly outOfBandShare: number;
  /** Mean z² of those far pairs with a non-zero standard error (≈ 1.4 for pure noise with 8 batches, the t₇ variance). */
  readonly outOfBandMeanZ2: number;
}

export interface ModelResult extends SpirometryModelSpec {
  readonly receptiveFieldSamples: number;
  readonly mse: { readonly train: number; readonly test: number };
  readonly points: readonly ExplainedPoint[];
  readonly summary: ModelSummary;
}

/** How the strongest first-interval interactions of one kind of cough curve relate to the coughs. */
export interface CoughHits {
  readonly curves: number;
  /** Curves whose strongest interaction with the first interval (over intervals 1 … 29) lies on a cough interval / next to one. */
  readonly strongestAtCough: number;
  readonly strongestNextToCough: number;
  /** Expected number of hits if the strongest interval were uniform over intervals 1 … 29. */
  readonly chanceAtCough: number;
}

/** Aggregates over the explained curves of one model. */
export interface ModelSummary {
  readonly earlyCough: CoughHits;
  readonly lateCough: CoughHits;
  /**
   * Interaction of the first interval with the cough intervals, in standard errors: the mean over the curves of this
   * kind of the largest |z| on their cough intervals (≥ 1), and, as the matched control, the same for the cough-free
   * curves on those same intervals. Null without such curves.
   */
  readonly coughIntervalZ: Record<"early cough" | "late cough", { readonly cough: number | null; readonly cleanSameIntervals: number | null }>;
  /** Mean share of the summed SmoothGrad that falls on the plateau (intervals from 4 s on), over all explained curves. */
  readonly plateauSmoothGradShare: number;
  /** Mean rank of the first interval's |SmoothGrad| (1 = largest of 30) by kind of curve; null without such curves. */
  readonly firstIntervalRank: Record<CurveKind, number | null>;
  /** Mean out-of-band share and mean z² over all explained curves. */
  readonly outOfBandShare: number;
  readonly outOfBandMeanZ2: number;
}

export interface ChosenPoint {
  readonly kind: CurveKind;
  readonly testRow: number;
  readonly datasetRow: number;
  readonly truth: SpirometryTruth;
}

/** Kinds of explained curves (see {@link SpirometryConfig.earlyCoughCurves}). */
export type CurveKind = "early cough" | "late cough" | "no cough";
