import type { Preset, RunOptions } from "./experiment.js";
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
}

/** Validate CLI flags into {@link RunOptions}; every problem is a one-line {@link UsageError}. */
export function parseOptions(flags: RawFlags): RunOptions {
  if (flags.quick && flags.full) throw new UsageError("--quick and --full exclude each other");
  const preset: Preset = flags.full ? "full" : "quick";
  return {
    preset,
    points: optionalInteger("--points", flags.points, 1),
    samples: optionalInteger("--samples", flags.samples, 2),
    seed: optionalInteger("--seed", flags.seed, 0) ?? 0,
    backend: flags.backend ?? "wasm",
    out: flags.out ?? "results",
    fresh: flags.fresh ?? false,
    dataDir: flags.dataDir,
    quiet: flags.quiet ?? false,
  };
}

function optionalInteger(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 2 ** 31 - 1) throw new UsageError(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** Parse a positive number flag (such as ε); a {@link UsageError} otherwise. */
export function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a number > 0, got ${JSON.stringify(value)}`);
  return n;
}
