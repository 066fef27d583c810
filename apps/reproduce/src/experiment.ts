import type { CheckpointStore } from "./checkpoint-store.js";
import { DEFAULT_ENGINE, type EngineName } from "./engine.js";
import type { ImageTaskDataset } from "./image-datasets.js";
import type { ModelSource } from "./model-source.js";
import type { Progress } from "./progress.js";
import type { ShardSpec } from "./shard.js";
import type { TestPointOrder } from "./test-point-order.js";

/** The two presets of every experiment. */
export type Preset = "quick" | "full";

/** Options common to every experiment, after parsing. */
export interface RunOptions {
  readonly preset: Preset;
  /** Overrides the preset's number of explained points. */
  readonly points?: number;
  /** Overrides the preset's Monte-Carlo sample size. */
  readonly samples?: number;
  readonly seed: number;
  readonly backend: string;
  /** The engine of the explanations (`--engine`; absent: {@link DEFAULT_ENGINE}); training is always tfjs. */
  readonly engine?: EngineName;
  /** `ours` trains (cached), `authors` loads the paper authors' checkpoints (`--model`; absent: ours). */
  readonly model?: ModelSource;
  /**
   * `pmse` / `attack`: only these datasets in this invocation (`--dataset`). Not part of the configuration's
   * fingerprint: runs of single datasets fill the same checkpoints a run of both reads.
   */
  readonly datasets?: readonly ImageTaskDataset[];
  /** `pmse` / `attack`: which test images they explain (`--test-points`; absent: `seeded`). */
  readonly testPointOrder?: TestPointOrder;
  /** Output root; the experiment writes to `<out>/<name>/` (`<out>/<name>-authors/` with `--model authors`). */
  readonly out: string;
  /** Discard checkpoints of another configuration instead of refusing to resume. */
  readonly fresh: boolean;
  /** Data directory for datasets that are not embedded (CIFAR-10, full MNIST IDX files). */
  readonly dataDir?: string;
  /** Suppress progress output. */
  readonly quiet: boolean;
  /** Compute only this shard's items of each stage (`--shard k/N`); not part of the configuration's fingerprint. */
  readonly shard?: ShardSpec;
  /**
   * Output directories whose checkpoints of the same configuration (and trained models) are copied in, checked,
   * before the run: the shards' directories for a merge, the merged directory for a shard's next round (`--from`).
   */
  readonly from?: readonly string[];
  /** A merge (`reproduce merge`): staged items are only loaded, never computed. */
  readonly merging?: boolean;
}

/** What an experiment gets to work with. */
export interface ExperimentContext {
  readonly options: RunOptions;
  /** `<out>/<name>/`. */
  readonly directory: string;
  /** Per-item checkpoints, keyed by the experiment. */
  readonly checkpoints: CheckpointStore;
  /** A progress bar (terminal) or 10 % log lines (elsewhere). */
  progress(label: string, total: number): Progress;
  /** One line to stderr. */
  log(message: string): void;
}

/** What an experiment hands back; the runner writes results.json and report.md from it. */
export interface ExperimentOutput<C extends object = object> {
  /** The resolved configuration (everything that determines the numbers). */
  readonly config: C;
  /** Every number the experiment produced. Must be identical for a resumed and an uninterrupted run. */
  readonly results: unknown;
  /** report.md, without the header the runner adds. */
  readonly report: string;
  /** Figure files written (relative to the experiment directory). */
  readonly figures: readonly string[];
}

/**
 * One reproducible experiment of the paper, typed by its configuration `C`: `run` receives exactly what
 * `configure` returned (the runner fingerprints it for checkpoints in between), so no cast is needed. An
 * `Experiment<FourQuadrantConfig>` is an `Experiment` (method parameters are compared bivariantly), which is how the
 * runner and the CLI hold experiments of different configurations in one list.
 */
export interface Experiment<C extends object = object> {
  /** CLI name, e.g. `four-quadrant`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /**
   * The engines it can run on; the first is used when `--engine` names one it lacks (results.json records the
   * engine used). Absent: tfjs only.
   */
  readonly engines?: readonly EngineName[];
  /** It takes `--dataset` (a subset of its datasets). */
  readonly datasetOption?: boolean;
  /** It takes `--test-points` (which test images it explains). */
  readonly testPointOrderOption?: boolean;
  /** It can explain the authors' checkpoints (`--model authors`). */
  readonly authorsModel?: boolean;
  /**
   * The configuration that determines the numbers (fingerprinted for checkpoints). Validate options here and
   * throw `UsageError` for bad ones, before any work starts.
   */
  configure(options: RunOptions): C;
  /**
   * Items this configuration computes exactly as another one does, which a run may copy from that configuration's
   * checkpoints in the same output folder instead of computing them (e.g. `--test-points first` shares every
   * validation item with the seeded run). Absent, or `undefined` for a configuration: nothing is shared.
   */
  sharedItems?(config: C): SharedItems | undefined;
  /** Run it. */
  run(context: ExperimentContext, config: C): Promise<ExperimentOutput<C>>;
}

/** Items one configuration shares with another ({@link Experiment.sharedItems}). */
export interface SharedItems {
  /** The other configuration (its fingerprint names the folder the items are copied from). */
  readonly config: object;
  /** Which checkpoint keys are shared; the others are computed as usual. */
  readonly shares: (key: string) => boolean;
}

/** `<name>` for our models, `<name>-authors` for the authors' (the output folder under `--out`). */
export function experimentDirectoryName(experiment: Pick<Experiment, "name">, options: Pick<RunOptions, "model">): string {
  return options.model === "authors" ? `${experiment.name}-authors` : experiment.name;
}

/** The engine `experiment` runs on under `options`: `--engine` where it supports it, else its first (tfjs). */
export function effectiveEngine(experiment: Pick<Experiment, "engines">, options: Pick<RunOptions, "engine">): EngineName {
  const engines = experiment.engines ?? ["tfjs"];
  const wanted = options.engine ?? DEFAULT_ENGINE;
  return engines.includes(wanted) ? wanted : engines[0];
}
