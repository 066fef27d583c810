import { cp, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { CorruptFileError } from "./corrupt-file-error.js";
import type { RunOptions } from "./experiment.js";
import { stableStringify } from "./stable-stringify.js";
import { readSealedJson, writeSealedJson } from "./sealed-json.js";
import type { ShardSpec } from "./shard.js";
import { ShardMergeError } from "./shard-merge-error.js";

/** Name of the record a shard run writes into its `--out`, which `reproduce merge` reads. */
export const SHARD_RECORD = "shard.json";

/** The options that determine a run's numbers, as a shard records them (no paths of this machine, no switches). */
export type ShardedOptions = Omit<RunOptions, "out" | "fresh" | "quiet" | "shard" | "from" | "merging">;

/** What `<out>/shard.json` of a shard run holds. */
export interface ShardRecord {
  readonly shard: ShardSpec;
  /** The experiments the shard ran, in order. */
  readonly experiments: readonly string[];
  readonly options: ShardedOptions;
}

/** The options a shard records: everything but output paths, `--from` and switches that do not change numbers. */
export function shardedOptions(options: RunOptions): ShardedOptions {
  const { out: _out, fresh: _fresh, quiet: _quiet, shard: _shard, from: _from, merging: _merging, ...rest } = options;
  return rest;
}

/** Write `<out>/shard.json` (sealed, atomically). */
export async function writeShardRecord(options: RunOptions, experiments: readonly string[]): Promise<void> {
  if (!options.shard) throw new TypeError("writeShardRecord: options.shard is not set");
  const record: ShardRecord = { shard: options.shard, experiments: [...experiments], options: shardedOptions(options) };
  await writeSealedJson(join(options.out, SHARD_RECORD), record, 2);
}

/**
 * Read and check the records of the shard directories given to `reproduce merge`: every one sealed, all with the
 * same shard count, experiments and options, and together exactly shards 0…N−1.
 * @throws {@link ShardMergeError} naming the directory at fault.
 */
export async function readShardRecords(directories: readonly string[]): Promise<ShardRecord & { readonly count: number }> {
  const records: { directory: string; record: ShardRecord }[] = [];
  for (const directory of directories) {
    const path = join(directory, SHARD_RECORD);
    let record: ShardRecord | undefined;
    try {
      record = await readSealedJson<ShardRecord>(path);
    } catch (error) {
      if (error instanceof CorruptFileError) throw new ShardMergeError(error.message);
      throw error;
    }
    if (record === undefined) throw new ShardMergeError(`${directory} is not a shard's output directory (no ${SHARD_RECORD}; was it run with --shard?)`);
    records.push({ directory, record });
  }
  const first = records[0];
  const count = first.record.shard.count;
  const seen = new Map<number, string>();
  for (const { directory, record } of records) {
    if (record.shard.count !== count) throw new ShardMergeError(`${directory} is shard ${record.shard.index}/${record.shard.count}, but ${first.directory} is one of ${count}`);
    if (stableStringify(record.options) !== stableStringify(first.record.options) || stableStringify(record.experiments) !== stableStringify(first.record.experiments)) {
      throw new ShardMergeError(`${directory} was run with other options or experiments than ${first.directory} (${stableStringify(record.options)} ${record.experiments.join(",")} vs ${stableStringify(first.record.options)} ${first.record.experiments.join(",")})`);
    }
    const other = seen.get(record.shard.index);
    if (other !== undefined) throw new ShardMergeError(`${directory} and ${other} are both shard ${record.shard.index}/${count}`);
    seen.set(record.shard.index, directory);
  }
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new ShardMergeError(`shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${count} missing: pass every shard's directory to merge`);
  return { ...first.record, count };
}

/**
 * Copy the finished trained models of another output directory (`<source>/models/<hash>/` and its sealed record
 * `<hash>.json`) into `<target>/models/`, so a merge or a later shard round loads the shards' model instead of
 * training again. The folder is copied under a temporary name and renamed, and the record is written last, so an
 * interrupted copy is never taken for a model; the weights are checked against the record when the model is
 * loaded. Records of one hash in both directories must name the same weights.
 * @throws {@link ShardMergeError} when they do not, or a source record is damaged.
 */
export async function importModels(source: string, target: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(join(source, "models"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const name of names.filter((n) => /^[0-9a-f]{16}\.json$/.test(n)).sort()) {
    const key = name.slice(0, 16);
    const read = async (path: string) => {
      try {
        return await readSealedJson<{ weightsSha256?: string }>(path);
      } catch (error) {
        if (error instanceof CorruptFileError) throw new ShardMergeError(error.message);
        throw error;
      }
    };
    const record = await read(join(source, "models", name));
    const mine = await readSealedJson<{ weightsSha256?: string }>(join(target, "models", name)).catch(() => undefined);
    if (mine !== undefined) {
      if (mine.weightsSha256 !== record?.weightsSha256) {
        throw new ShardMergeError(`model ${key}: ${source} has weights ${String(record?.weightsSha256).slice(0, 12)}…, ${target} has ${String(mine.weightsSha256).slice(0, 12)}…`);
      }
      continue;
    }
    const temporary = join(target, "models", `${key}.importing-${process.pid}`);
    await rm(temporary, { recursive: true, force: true });
    await cp(join(source, "models", key), temporary, { recursive: true });
    await rm(join(target, "models", key), { recursive: true, force: true });
    await rename(temporary, join(target, "models", key));
    await writeSealedJson(join(target, "models", name), record, 2);
  }
}
