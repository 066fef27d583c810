import type { RunOptions } from "../../experiment.js";
import { logGrid } from "../../log-grid.js";
import { FIGURE_5 } from "../../paper-numbers/figure-5.js";
import { UsageError } from "../../usage-error.js";

/** Everything that determines the numbers of the Nested Interactions experiment. */
export interface NestedConfig {
  readonly preset: string;
  readonly seed: number;
  readonly backend: string;
  /** Grid spacing of the training set (the paper's 0.008; larger in unit tests). */
  readonly gridSpacing: number;
  /** Training iterations (the paper's 200,000 with `--full`). */
  readonly iterations: number;
  /** σ² grid of SmoothHess (Σ = σ²I), increasing. */
  readonly sigma2: readonly number[];
  /** Gradient samples per σ² (antithetic pairs, so even). */
  readonly samples: number;
  /** β grid of the SoftPlus surrogate. */
  readonly betas: readonly number[];
}

/** The three Hessian entries Fig. 5 plots. */
export const ENTRIES = ["h11", "h12", "h22"] as const;
export type Entry = (typeof ENTRIES)[number];
export const ENTRY_LABEL: Record<Entry, string> = { h11: "H₁₁", h12: "H₁₂", h22: "H₂₂" };
export const ENTRY_COLOR: Record<Entry, string> = { h11: "#1f77b4", h12: "#d62728", h22: "#2ca02c" };

/** Agreement tolerance with the exact smoothed target, per entry (absolute; the four-quadrant experiment's ±0.25). */
export const TOLERANCE = 0.25;
/**
 * Largest σ² counted as "inside the data": the Gaussian puts ≤ 1 % of its mass outside the training square
 * [−2, 2]² (1 − (1 − 2Φ(−2/σ))² ≤ 0.01 ⇔ σ ≤ 0.711). Beyond it the network extrapolates and the exact smoothed
 * target (which extends −5x₁x₂ to infinity) is no longer what the data show.
 */
export const IN_DATA_SIGMA2 = 0.5;
/** Smallest σ² of the comparison: the paper's caption calls everything below log₁₀σ² = −4 noise. */
export const COMPARISON_FROM = 1e-4;

/** The Nested Interactions configuration of a preset, with `--points` (σ² grid size) and `--samples` overrides. */
export function configureNested(options: RunOptions): NestedConfig {
  const quick = options.preset === "quick";
  const samples = options.samples ?? (quick ? 20_000 : 100_000);
  if (samples % 2 !== 0) throw new UsageError(`--samples must be even (antithetic pairs), got ${samples}`);
  return {
    preset: options.preset,
    seed: options.seed,
    backend: options.backend,
    gridSpacing: 0.008,
    iterations: quick ? 7_844 : FIGURE_5.recipe.iterations,
    sigma2: logGrid(FIGURE_5.sigma2Range[0], FIGURE_5.sigma2Range[1], options.points ?? (quick ? 22 : 71)),
    samples,
    betas: logGrid(FIGURE_5.betaRange[0], FIGURE_5.betaRange[1], quick ? 21 : 101),
  };
}
