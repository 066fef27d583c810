import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RunOptions } from "../../experiment.js";
import { UsageError } from "../../usage-error.js";

/** A dataset of Agarwal et al. §6.1: the generated Simulated set, or a UCI CSV the user supplies. */
export interface UnificationDatasetSpec {
  readonly name: "simulated" | "online-shopping" | "bankruptcy";
  /** Path of the user's CSV (absent for Simulated). */
  readonly file?: string;
  /** Label column and positive label value of the CSV. */
  readonly label?: string;
  readonly positive?: string;
  /** Training epochs (the paper's 15 / 100 / 60). */
  readonly epochs: number;
  /** Simulated only: append this many irrelevant N(0, 1) features (the dimension sweep; default none). */
  readonly noiseFeatures?: number;
}

/**
 * Not in the paper: Simulated padded with d − 2 irrelevant N(0, 1) features, to see the robustness comparison at
 * the dimensions of Online Shopping (11) and Bankruptcy (15), which are not reachable offline. One row per d at one
 * (σ², n), measured exactly as the main rows.
 */
export interface UnificationDimensionSweep {
  readonly dimensions: readonly number[];
  readonly sigma2: number;
  readonly n: number;
}

/** Everything that determines the numbers of the unification experiment. */
export interface UnificationConfig {
  readonly [key: string]: unknown;
  readonly preset: string;
  readonly seed: number;
  readonly datasets: readonly UnificationDatasetSpec[];
  /** Explained test points per dataset (the paper uses the whole test split). */
  readonly points: number;
  /** Perturbation counts n of every curve (x axis of Figs. 2–4). */
  readonly perturbations: readonly number[];
  /** σ² of the perturbations, N(x, σ²I) (Fig. 4: 0.01, 0.1, 1; Figs. 2–3 use 1). */
  readonly sigma2: readonly number[];
  /** Neighbours x' ~ N(x, neighbourVariance·I) per point for robustness (§6.3: 10 and 0.01). */
  readonly neighbours: number;
  readonly neighbourVariance: number;
  /**
   * Monte-Carlo draws of the explanations at x and at its neighbours: `"independent"` (a fresh perturbation sample
   * for every explanation, as §6.3 computes each explanation "by perturbations"; the default) or `"common"` (the
   * same draws at x and every x', which cancels the estimators' noise and measures the change of the map alone).
   */
  readonly draws: "independent" | "common";
  /** Hidden layers of the ELU network (§6.1: two layers of 10). */
  readonly hidden: readonly number[];
  readonly dimensionSweep: UnificationDimensionSweep;
}

/** The file names `--data-dir` is searched for (UCI's own names), with label column and positive value. */
export const UNIFICATION_CSV_FILES = [
  { name: "online-shopping", files: ["online_shoppers_intention.csv", "online_shoppers_intention.csv.gz"], label: "Revenue", positive: "TRUE", epochs: 100 },
  { name: "bankruptcy", files: ["bankruptcy.csv", "bankruptcy.csv.gz"], label: "class", positive: "1", epochs: 60 },
] as const;

/** The configuration of a preset; `--points` overrides the explained points, `--samples` the largest n. */
export function configureUnification(options: RunOptions): UnificationConfig {
  const quick = options.preset === "quick";
  const datasets: UnificationDatasetSpec[] = [{ name: "simulated", epochs: 15 }];
  if (options.dataDir !== undefined) {
    if (!existsSync(options.dataDir)) throw new UsageError(`--data-dir ${options.dataDir} does not exist`);
    for (const spec of UNIFICATION_CSV_FILES) {
      const found = spec.files.map((f) => join(options.dataDir!, f)).find((f) => existsSync(f));
      if (found) datasets.push({ name: spec.name, file: found, label: spec.label, positive: spec.positive, epochs: spec.epochs });
    }
    if (datasets.length === 1) {
      throw new UsageError(
        `--data-dir ${options.dataDir} holds none of ${UNIFICATION_CSV_FILES.flatMap((s) => s.files).join(", ")} (the UCI Online Shopping and Bankruptcy CSVs)`,
      );
    }
  }
  let perturbations = quick ? [10, 30, 100, 300, 1000] : [10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  if (options.samples !== undefined) perturbations = perturbations.filter((n) => n < options.samples!).concat(options.samples);
  return {
    preset: options.preset,
    seed: options.seed,
    datasets,
    // quick: 100 points, so that a paired difference of 2 standard errors resolves ~1e-2 at n = 10; full: the
    // whole test split, as §6.3
    points: options.points ?? (quick ? 100 : 200),
    perturbations,
    sigma2: [0.01, 0.1, 1],
    neighbours: 10,
    neighbourVariance: 0.01,
    draws: "independent",
    hidden: [10, 10],
    // Fig. 3's σ² = 1; n = 100, where the estimators' noise still exceeds the map's own change on Simulated
    dimensionSweep: { dimensions: [2, 5, 11, 15], sigma2: 1, n: 100 },
  };
}
