import { ENGINE_NAMES, DEFAULT_ENGINE, type EngineName } from "./engine.js";
import type { Preset, RunOptions } from "./experiment.js";
import { IMAGE_DATASETS, type ImageTaskDataset } from "./image-datasets.js";
import { MODEL_SOURCES, type ModelSource } from "./model-source.js";
import { parseShard } from "./shard.js";
import { TEST_POINT_ORDERS, type TestPointOrder } from "./test-point-order.js";
import { UsageError } from "./usage-error.js";

/** Raw CLI flags as commander hands them over. */
export interface RawFlags {
  quick?: boolean;
  full?: boolean;
  points?: string;
  samples?: string;
  seed?: string;
  backend?: string;
  out?: string;
  fresh?: boolean;
  dataDir?: string;
  quiet?: boolean;
  shard?: string;
  from?: string[];
  engine?: string;
  model?: string;
  dataset?: string;
  testPoints?: string;
}

/** The tfjs backends the CLI can run on in Node (`webgl`/`webgpu` need a browser). */
export const CLI_BACKENDS = ["wasm", "cpu", "tensorflow"] as const;

/**
 * Validate CLI flags into {@link RunOptions}; every problem is a one-line {@link UsageError}. Only the flags
 * themselves are checked here (syntax, ranges, parity, names); what needs the file system or a backend is checked
 * by `preflight` before any work starts.
 */
export function parseOptions(flags: RawFlags): RunOptions {
  if (flags.quick && flags.full) throw new UsageError("--quick and --full exclude each other");
  if (flags.from !== undefined && flags.shard === undefined) throw new UsageError("--from continues a shard round from a merged directory: it needs --shard");

  const preset: Preset = flags.full ? "full" : "quick";
  const samples = optionalInteger("--samples", flags.samples, 2);
  // Every experiment estimates SmoothHess with antithetic pairs (δ, −δ), which need an even sample count.
  if (samples !== undefined && samples % 2 !== 0) throw new UsageError(`--samples must be even (SmoothHess uses antithetic pairs), got ${samples}`);
  const backend = flags.backend ?? "wasm";
  if (!(CLI_BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(`--backend must be one of ${CLI_BACKENDS.join(", ")}, got ${JSON.stringify(backend)}`);
  }
  const engine = flags.engine ?? DEFAULT_ENGINE;
  if (!(ENGINE_NAMES as readonly string[]).includes(engine)) {
    throw new UsageError(`--engine must be one of ${ENGINE_NAMES.join(", ")}, got ${JSON.stringify(engine)}`);
  }
  const model = flags.model ?? "ours";
  if (!(MODEL_SOURCES as readonly string[]).includes(model)) {
    throw new UsageError(`--model must be one of ${MODEL_SOURCES.join(", ")}, got ${JSON.stringify(model)}`);
  }
  const datasets = flags.dataset === undefined ? undefined : flags.dataset.split(",").map((d) => d.trim());
  for (const d of datasets ?? []) {
    if (!(IMAGE_DATASETS as readonly string[]).includes(d)) throw new UsageError(`--dataset must list some of ${IMAGE_DATASETS.join(", ")} (comma-separated), got ${JSON.stringify(flags.dataset)}`);
  }
  if (flags.testPoints !== undefined && !(TEST_POINT_ORDERS as readonly string[]).includes(flags.testPoints)) {
    throw new UsageError(`--test-points must be one of ${TEST_POINT_ORDERS.join(", ")}, got ${JSON.stringify(flags.testPoints)}`);
  }
  return {
    preset,
    points: optionalInteger("--points", flags.points, 1),
    samples,
    seed: optionalInteger("--seed", flags.seed, 0) ?? 0,
    backend,
    engine: engine as EngineName,
    model: model as ModelSource,
    ...(datasets !== undefined ? { datasets: [...new Set(datasets)] as ImageTaskDataset[] } : {}),
    ...(flags.testPoints !== undefined ? { testPointOrder: flags.testPoints as TestPointOrder } : {}),
    out: nonEmpty("--out", flags.out) ?? "results",
    fresh: flags.fresh ?? false,
    dataDir: nonEmpty("--data-dir", flags.dataDir),
    quiet: flags.quiet ?? false,
    ...(flags.shard !== undefined ? { shard: parseShard(flags.shard) } : {}),
    ...(flags.from !== undefined ? { from: flags.from.map((dir) => nonEmpty("--from", dir)!) } : {}),
  };
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") throw new UsageError(`${flag} must not be empty`);
  return value;
}

function optionalInteger(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  // Number("") and Number("  ") are 0, so an empty value would pass as 0 without this check.
  const n = /^\s*[+-]?\d+(\.\d*)?([eE][+-]?\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > 2 ** 31 - 1) throw new UsageError(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Parse a positive number flag (such as ε); a {@link UsageError} otherwise. */
export function positiveNumber(flag: string, value: string): number {
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a number > 0, got ${JSON.stringify(value)}`);
  return n;
}
